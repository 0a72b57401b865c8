package dev.satflow.producers.generate;

import dev.satflow.core.geom.Camera;
import dev.satflow.core.geom.EgoMotions;
import dev.satflow.core.geom.OrientedBox;
import dev.satflow.core.geom.Vec3d;
import dev.satflow.core.geom.Yaw;
import dev.satflow.core.validate.SceneSpecValidator;
import dev.satflow.producers.catalog.Catalog;
import dev.satflow.schema.CameraPose;
import dev.satflow.schema.EgoMotion;
import dev.satflow.schema.Episode;
import dev.satflow.schema.ObjectMove;
import dev.satflow.schema.ObjectPlacement;
import dev.satflow.schema.Probe;
import dev.satflow.schema.RenderSettings;
import dev.satflow.schema.SceneSpec;
import dev.satflow.schema.View;
import java.util.ArrayList;
import java.util.List;

/**
 * Seeded synthetic rooms the way SAT builds them from ProcTHOR: a themed, furnished room, the
 * camera pose (of K sampled in free space) that sees the most objects, and the episodes SAT's
 * dynamic questions need, each with its exact parameters and the views to render:
 * <ul>
 *   <li>{@code static}: the initial view alone (goal aim, action consequence by turning);
 *   <li>{@code ego_motion}: stay still, step 0.2-0.4 m forward, rotate 20-60 degrees left or right,
 *       or rotate and step (six kinds, equally likely);
 *   <li>{@code camera_translation}: rotate, move, rotate back, so the camera shifts sideways;
 *   <li>{@code object_displacement}: a movable object in view moved 0.25/0.5 m along the camera's
 *       axes and still in view (sometimes nothing moves; sometimes the camera turns as well);
 *   <li>{@code perspective}: a reachable floor point seen in the image, a 90 degree turn there,
 *       and the view from that point.
 * </ul>
 * Everything comes from one {@link Rng} seeded by the scene seed, so a seed and {@link #VERSION}
 * give a byte-identical spec; every spec passes {@link SceneInvariants} and
 * {@link SceneSpecValidator} before it is returned.
 */
public final class SceneGenerator {
    public static final String VERSION = "satflow-gen/3";
    /** Camera height above the floor (AI2-THOR's agent camera is at about 1.5 m). */
    public static final double EYE_HEIGHT = 1.5;
    private static final int ATTEMPTS = 8;
    private static final double SEEN_MARGIN = 0.04;
    /** Ego-motion kinds drawn with equal odds: still, step, turn left/right, turn left/right + step. */
    private static final int EGO_KINDS = 6;
    /** Share of object-displacement episodes in which nothing moves (a third: see DynamicQuestions). */
    private static final double NOTHING_MOVES = 1.0 / 3;

    private final GeneratorSettings settings;
    private final Catalog catalog;

    public SceneGenerator(GeneratorSettings settings) {
        this(settings, Catalog.standard());
    }

    public SceneGenerator(GeneratorSettings settings, Catalog catalog) {
        this.settings = settings;
        this.catalog = catalog;
    }

    public GeneratorSettings settings() {
        return settings;
    }

    public SceneSpec generate(long seed) {
        Rng root = new Rng(seed);
        List<String> last = List.of("no room could hold " + settings.minObjects() + " objects");
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            SceneSpec s = attempt(seed, root.split());
            if (s == null) {
                continue;
            }
            List<String> problems = SceneInvariants.violations(s, catalog);
            if (problems.isEmpty()) {
                return SceneSpecValidator.validate(s);
            }
            last = problems;
        }
        throw new IllegalStateException("seed " + seed + ": no plausible scene in " + ATTEMPTS + " attempts; last: "
                + last);
    }

    /** The split of a seed: a hash, so splits are stable under any seed range and independent of the scene drawn. */
    public String splitOf(long seed) {
        double u = Rng.unit(Rng.mix(seed ^ 0x5A7F10E5C0FFEEL));
        if (u < settings.testFraction()) {
            return "test";
        }
        return u < settings.testFraction() + settings.valFraction() ? "val" : "train";
    }

    private SceneSpec attempt(long seed, Rng rng) {
        Rng roomRng = rng.split();
        Rng furnitureRng = rng.split();
        Rng cameraRng = rng.split();
        Rng episodeRng = rng.split();
        Themes.Theme theme = Themes.choose(roomRng, catalog);
        RoomLayout layout = RoomLayout.draw(roomRng, theme);
        Furnisher furnisher = new Furnisher(layout, catalog, theme, furnitureRng);
        List<Furnisher.Placed> placed = furnisher.furnish(furnitureRng.between(settings.minObjects(),
                settings.maxObjects()));
        if (placed.size() < settings.minObjects()) {
            return null;
        }
        Scene scene = new Scene(seed, layout, furnisher.freeSpace(), placed);
        CameraPose initial = scene.bestPose(cameraRng);
        if (initial == null) {
            return null;
        }
        scene.addView("initial", initial, List.of());
        scene.episode("static", scene.views.get(0), null, null, null, null);
        scene.egoMotion(episodeRng.split());
        scene.cameraTranslation(episodeRng.split());
        scene.objectDisplacement(episodeRng.split());
        scene.perspective(episodeRng.split());
        return SceneSpec.newBuilder().setSceneId(scene.sceneId).setSeed(seed).setGeneratorVersion(VERSION)
                .setSplit(splitOf(seed)).setRoom(layout.room)
                .setObjects(placed.stream().map(Furnisher.Placed::object).toList())
                .setViews(List.copyOf(scene.views)).setEpisodes(List.copyOf(scene.episodes))
                .setRender(RenderSettings.newBuilder().setWidth(settings.width()).setHeight(settings.height())
                        .setImageFormat(settings.imageFormat()).setShadows(settings.shadows()).build())
                .build();
    }

    /** One scene under construction: its views and episodes, and the geometry to check them against. */
    private final class Scene {
        final String sceneId;
        final RoomLayout layout;
        final FreeSpace free;
        final List<Furnisher.Placed> placed;
        final List<OrientedBox> boxes;
        final SightLines sight;
        final List<View> views = new ArrayList<>();
        final List<Episode> episodes = new ArrayList<>();

        Scene(long seed, RoomLayout layout, FreeSpace free, List<Furnisher.Placed> placed) {
            this.sceneId = "scene-" + seed;
            this.layout = layout;
            this.free = free;
            this.placed = placed;
            this.boxes = placed.stream().map(Furnisher.Placed::box).toList();
            this.sight = new SightLines(layout.plan, occluders(placed, null, null));
        }

        List<OrientedBox> occluders(List<Furnisher.Placed> all, Furnisher.Placed replaced, OrientedBox with) {
            List<OrientedBox> out = new ArrayList<>();
            for (Furnisher.Placed p : all) {
                if (!p.category().isFloorCovering()) {
                    out.add(p == replaced ? with : p.box());
                }
            }
            return out;
        }

        Camera camera(CameraPose pose) {
            return Camera.of(pose, settings.width(), settings.height());
        }

        CameraPose pose(Vec3d eye, double yaw) {
            return CameraPose.newBuilder().setPosition(new Vec3d(eye.x(), EYE_HEIGHT, eye.z()).toAvro())
                    .setYawDeg((float) Yaw.wrap(yaw)).setPitchDeg((float) settings.pitchDeg())
                    .setFovDeg((float) settings.fovDeg()).build();
        }

        /** SAT's camera: of K poses sampled in reachable free space, the one that sees the most objects. */
        CameraPose bestPose(Rng rng) {
            CameraPose best = null;
            int bestSeen = -1;
            for (int k = 0; k < settings.cameraCandidates(); k++) {
                Vec3d p = free.sampleReachable(rng);
                if (p == null) {
                    return null;
                }
                Vec3d eye = new Vec3d(RoomLayout.q(p.x()), 0, RoomLayout.q(p.z()));
                if (!free.reachable(eye.x(), eye.z())) {
                    continue;
                }
                Vec3d target = rng.pick(boxes).center();
                CameraPose pose = pose(eye, Math.round(Yaw.towards(eye, target) + rng.uniform(-25, 25)));
                int seen = sight.count(camera(pose), boxes, SEEN_MARGIN);
                if (seen > bestSeen) {
                    best = pose;
                    bestSeen = seen;
                }
            }
            return best;
        }

        View addView(String role, CameraPose pose, List<ObjectPlacement> placements) {
            View v = View.newBuilder().setViewId(sceneId + "/v" + views.size()).setRole(role).setCamera(pose)
                    .setPlacements(placements).build();
            views.add(v);
            return v;
        }

        void episode(String kind, View from, View to, EgoMotion ego, ObjectMove move, Probe probe) {
            episodes.add(Episode.newBuilder().setEpisodeId(sceneId + "/e" + episodes.size()).setKind(kind)
                    .setFromView(from.getViewId()).setToView(to == null ? null : to.getViewId()).setEgo(ego)
                    .setObjectMove(move).setProbe(probe).build());
        }

        CameraPose initial() {
            return views.get(0).getCamera();
        }

        Vec3d eye() {
            return Vec3d.of(initial().getPosition());
        }

        /**
         * One of six motions with equal odds (stay still, step forward, turn left or right, turn left or
         * right and step), so no answer to "how did the camera move" is likelier than another. A step
         * that would walk into something is retried with another turn, then dropped.
         */
        void egoMotion(Rng rng) {
            int kind = rng.nextInt(EGO_KINDS); // 0 still, 1 step, 2-3 turn, 4-5 turn + step
            boolean turn = kind >= 2;
            boolean step = kind == 1 || kind >= 4;
            double rotate = 0;
            double forward = 0;
            for (int tries = 0; tries < 6; tries++) {
                rotate = turn ? (kind % 2 == 0 ? -1 : 1) * Math.round(rng.uniform(20, 60)) : 0;
                forward = step ? RoomLayout.q(rng.uniform(0.2, 0.4)) : 0;
                Vec3d end = eye().plus(Yaw.forward(initial().getYawDeg() + rotate).times(forward));
                if (forward == 0 || free.walkable(eye(), end)) {
                    break;
                }
                forward = 0;
            }
            EgoMotion m = new EgoMotion((float) rotate, (float) forward, 0f);
            View to = addView("after_ego", EgoMotions.apply(initial(), m), List.of());
            episode("ego_motion", views.get(0), to, m, null, null);
        }

        /** Rotate, walk, rotate back: the camera ends up shifted sideways, facing as before. */
        void cameraTranslation(Rng rng) {
            for (int tries = 0; tries < 8; tries++) {
                double rotate = rng.sign() * Math.round(rng.uniform(45, 90));
                double forward = RoomLayout.q(rng.uniform(0.3, 0.6));
                Vec3d end = eye().plus(Yaw.forward(initial().getYawDeg() + rotate).times(forward));
                if (Math.abs(forward * Math.sin(Math.toRadians(rotate))) < 0.2 || !free.walkable(eye(), end)) {
                    continue;
                }
                EgoMotion m = new EgoMotion((float) rotate, (float) forward, (float) -rotate);
                View to = addView("after_translation", EgoMotions.apply(initial(), m), List.of());
                episode("camera_translation", views.get(0), to, m, null, null);
                return;
            }
        }

        /** A movable object in view moved along the camera's axes and still in view; some episodes move nothing. */
        void objectDisplacement(Rng rng) {
            Camera cam0 = camera(initial());
            EgoMotion ego = rng.chance(0.3) ? new EgoMotion((float) (rng.sign() * Math.round(rng.uniform(10, 25))), 0f,
                    0f) : null;
            CameraPose toPose = ego == null ? initial() : EgoMotions.apply(initial(), ego);
            if (!rng.chance(NOTHING_MOVES)) {
                List<Furnisher.Placed> candidates = new ArrayList<>();
                for (Furnisher.Placed p : placed) {
                    boolean supportsOthers = placed.stream().anyMatch(o -> o.object().getSupportId() != null
                            && o.object().getSupportId() == p.object().getId());
                    if (p.category().movable() && !supportsOthers && sight.sees(cam0, p.box(), SEEN_MARGIN)) {
                        candidates.add(p);
                    }
                }
                rng.shuffle(candidates);
                double yaw0 = initial().getYawDeg();
                for (Furnisher.Placed p : candidates) {
                    List<double[]> moves = new ArrayList<>();
                    for (double mag : new double[] {0.25, 0.5}) {
                        for (int sign : new int[] {1, -1}) {
                            moves.add(new double[] {sign * mag, 0});
                            moves.add(new double[] {0, sign * mag});
                        }
                    }
                    rng.shuffle(moves);
                    for (double[] mv : moves) {
                        Vec3d d = Yaw.right(yaw0).times(mv[0]).plus(Yaw.forward(yaw0).times(mv[1]));
                        OrientedBox moved = Furnisher.floatExact(p.box().movedTo(new Vec3d(
                                RoomLayout.q(p.box().center().x() + d.x()), p.box().center().y(),
                                RoomLayout.q(p.box().center().z() + d.z()))));
                        if (!canMoveTo(p, moved, Vec3d.of(toPose.getPosition()))) {
                            continue;
                        }
                        SightLines after = new SightLines(layout.plan, occluders(placed, p, moved));
                        if (!after.sees(camera(toPose), moved, SEEN_MARGIN)) {
                            continue;
                        }
                        ObjectPlacement placement = new ObjectPlacement(p.object().getId(), moved.center().toAvro(),
                                p.object().getYawDeg());
                        View to = addView("after_object", toPose, List.of(placement));
                        ObjectMove move = new ObjectMove(p.object().getId(),
                                (float) (moved.center().x() - p.box().center().x()),
                                (float) (moved.center().z() - p.box().center().z()));
                        episode("object_displacement", views.get(0), to, ego, move, null);
                        return;
                    }
                }
            }
            View to = addView("after_object", toPose, List.of());
            episode("object_displacement", views.get(0), to, ego, null, null);
        }

        /** The same checks as placement, for one object's new pose, with the camera kept clear. */
        boolean canMoveTo(Furnisher.Placed p, OrientedBox moved, Vec3d eye) {
            if (!layout.plan.containsFootprint(moved.footprint(Furnisher.GAP - 0.005))) {
                return false;
            }
            Furnisher.Placed support = null;
            for (Furnisher.Placed o : placed) {
                if (p.object().getSupportId() != null && o.object().getId() == p.object().getSupportId()) {
                    support = o;
                }
            }
            if (support != null && !Furnisher.withinTop(moved, support.box())) {
                return false;
            }
            for (OrientedBox zone : layout.keepClear) {
                if (moved.intersects(zone, 0)) {
                    return false;
                }
            }
            for (Furnisher.Placed o : placed) {
                if (o == p || o == support || o.category().isFloorCovering() != p.category().isFloorCovering()) {
                    continue;
                }
                if (moved.intersects(o.box(), 2 * Furnisher.GAP)) {
                    return false;
                }
            }
            OrientedBox clearance = new OrientedBox(moved.center(), new Vec3d(moved.size().x() + 0.5,
                    moved.size().y(), moved.size().z() + 0.5), moved.yawDeg());
            return !Furnisher.blocksWalking(p.category()) || !clearance.footprintContains(eye.x(), eye.z());
        }

        /** A reachable floor point seen in the initial view, a quarter turn there, and the view from it. */
        void perspective(Rng rng) {
            Camera cam0 = camera(initial());
            for (int tries = 0; tries < 40; tries++) {
                Vec3d p = free.sampleReachable(rng);
                if (p == null) {
                    return;
                }
                Vec3d point = new Vec3d(RoomLayout.q(p.x()), 0, RoomLayout.q(p.z()));
                double dist = point.horizontalDistance(eye());
                if (dist < 1.0 || dist > 4.5 || !free.reachable(point.x(), point.z())
                        || !sight.sees(cam0, point, 0.08, null)) {
                    continue;
                }
                double turn = rng.sign() * 90.0;
                View probe = addView("probe", pose(point, initial().getYawDeg() + turn), List.of());
                episode("perspective", views.get(0), probe, null, null,
                        new Probe(point.toAvro(), (float) turn, probe.getViewId()));
                return;
            }
        }
    }
}
