package dev.satflow.producers.generate;

import dev.satflow.core.geom.OrientedBox;
import dev.satflow.core.geom.Vec3d;
import dev.satflow.core.geom.Yaw;
import dev.satflow.producers.catalog.Catalog;
import dev.satflow.producers.catalog.CategorySpec;
import dev.satflow.producers.catalog.CategorySpec.Placement;
import dev.satflow.schema.SceneObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Furnishes a room the way a person would: large furniture first (against walls or free-standing),
 * then things on walls, then small objects on tables, shelves and desks. Every candidate pose is
 * checked before it is kept: footprint inside the room, no overlap with anything placed (rugs
 * excepted: furniture stands on them), doors and windows kept clear, and enough reachable floor
 * left to walk. Colours are unique per category, so "the red mug" names one object.
 */
final class Furnisher {
    /** Gap kept between objects and to the walls, metres. */
    static final double GAP = 0.02;
    /** Smallest share of the floor that must stay reachable on foot. */
    static final double MIN_REACHABLE_SHARE = 0.3;
    /** Objects rest this far above their support, so rounding never sinks them into it. */
    static final double REST_GAP = 0.002;
    private static final int TRIES_PER_POSE = 14;
    /**
     * Categories that stand on the floor or, half the time, on a table, shelf or dresser; and small
     * ones that are sometimes on the floor. Objects at many heights make vertical questions depend on
     * the room rather than on the category names.
     */
    static final Set<String> FLOOR_OR_SURFACE = Set.of("houseplant", "cardboard box");
    static final Set<String> SURFACE_OR_FLOOR = Set.of("vase", "speaker", "book", "bowl", "bottle");
    /** Categories allowed this many instances come in sets; each further one follows with this chance. */
    private static final int SET_MIN = 3;
    private static final double SET_MORE = 0.65;
    private static final Set<String> FACE_FRONT = Set.of("television", "laptop", "microwave", "speaker", "toaster");

    /** A placed object: the spec record, its category and its box (float-exact, as consumers will read it). */
    record Placed(SceneObject object, CategorySpec category, OrientedBox box) {}

    private final RoomLayout layout;
    private final Catalog catalog;
    private final Themes.Theme theme;
    private final Rng rng;
    private final FreeSpace free;
    private final List<Placed> placed = new ArrayList<>();
    private final Map<String, Integer> counts = new HashMap<>();
    private final Map<String, Set<String>> colours = new HashMap<>();

    Furnisher(RoomLayout layout, Catalog catalog, Themes.Theme theme, Rng rng) {
        this.layout = layout;
        this.catalog = catalog;
        this.theme = theme;
        this.rng = rng;
        this.free = new FreeSpace(layout.plan);
    }

    FreeSpace freeSpace() {
        return free;
    }

    List<Placed> furnish(int target) {
        int anchors = (int) Math.ceil(target * 0.55);
        int budget = target * 30;
        for (int attempt = 0; attempt < budget && placed.size() < target; attempt++) {
            boolean anchorPhase = placed.size() < anchors && attempt < budget / 2;
            Themes.Entry e = draw(anchorPhase);
            if (e == null) {
                if (anchorPhase) {
                    continue;
                }
                break;
            }
            CategorySpec c = catalog.get(e.category());
            boolean ok = tryPlace(c);
            // sets: more of the same right away (chairs round a table, books, plants), so counts vary
            while (ok && e.max() >= SET_MIN && placed.size() < target && !full(e, c) && rng.chance(SET_MORE)) {
                ok = tryPlace(c);
            }
        }
        return List.copyOf(placed);
    }

    private boolean full(Themes.Entry e, CategorySpec c) {
        return counts.getOrDefault(c.name(), 0) >= e.max()
                || colours.getOrDefault(c.name(), Set.of()).size() >= Palettes.forCategory(c.name()).size();
    }

    private Themes.Entry draw(boolean anchorsOnly) {
        List<Themes.Entry> entries = theme.entries();
        double[] w = new double[entries.size()];
        boolean hasSupport = placed.stream().anyMatch(p -> p.category().canSupport());
        for (int i = 0; i < w.length; i++) {
            Themes.Entry e = entries.get(i);
            CategorySpec c = catalog.get(e.category());
            boolean full = full(e, c);
            boolean small = c.placement() == Placement.ON_SURFACE || c.placement() == Placement.ON_WALL;
            if (full || (anchorsOnly && small) || (c.placement() == Placement.ON_SURFACE && !hasSupport)) {
                w[i] = 0;
            } else {
                w[i] = e.weight();
            }
        }
        int k = rng.weighted(w);
        return k < 0 ? null : entries.get(k);
    }

    /** Whether it placed one. */
    private boolean tryPlace(CategorySpec c) {
        List<Palettes.Swatch> swatches = new ArrayList<>(Palettes.forCategory(c.name()));
        swatches.removeIf(s -> colours.getOrDefault(c.name(), Set.of()).contains(s.colorName()));
        Palettes.Swatch swatch = rng.pick(swatches);
        double t = rng.nextDouble();
        Placement where = c.placement();
        boolean hasSupport = placed.stream().anyMatch(p -> p.category().canSupport());
        if (FLOOR_OR_SURFACE.contains(c.name()) && hasSupport && rng.chance(0.5)) {
            where = Placement.ON_SURFACE; // a plant on the dresser, a box on the shelf: a smaller one
            t *= 0.35;
        } else if (SURFACE_OR_FLOOR.contains(c.name()) && rng.chance(0.3)) {
            where = Placement.FLOOR; // a vase or a pile of books on the floor
        }
        Vec3d size = size(c, t);
        for (int i = 0; i < TRIES_PER_POSE; i++) {
            Pose pose = switch (where) {
                case FLOOR -> onFloor(c, size);
                case AGAINST_WALL -> againstWall(size);
                case ON_WALL -> onWall(c, size);
                case ON_SURFACE -> onSurface(c, size);
            };
            if (pose == null) {
                continue;
            }
            OrientedBox box = new OrientedBox(pose.center, size, pose.yaw);
            if (!fits(c, box, pose.support)) {
                continue;
            }
            boolean blocks = (where == Placement.FLOOR || where == Placement.AGAINST_WALL) && !c.isFloorCovering();
            if (blocks) {
                free.block(box);
                if (free.reachableShare() < MIN_REACHABLE_SHARE) {
                    free.unblock(box);
                    continue;
                }
            }
            keep(c, box, swatch, t, pose.support);
            return true;
        }
        return false;
    }

    static boolean blocksWalking(CategorySpec c) {
        return (c.placement() == Placement.FLOOR || c.placement() == Placement.AGAINST_WALL) && !c.isFloorCovering();
    }

    private record Pose(Vec3d center, double yaw, Placed support) {}

    /** Per-axis sizes from the category's range; {@code t} is the instance's overall size class. */
    private Vec3d size(CategorySpec c, double t) {
        Vec3d lo = c.minSize();
        Vec3d hi = c.maxSize();
        return new Vec3d(f(RoomLayout.q(lerp(lo.x(), hi.x(), t))), f(axis(lo.y(), hi.y(), t)),
                f(RoomLayout.q(lerp(lo.z(), hi.z(), t))));
    }

    private double axis(double lo, double hi, double t) {
        double v = lerp(lo, hi, Math.max(0, Math.min(1, t + rng.uniform(-0.15, 0.15))));
        return Math.max(lo, Math.round(v * 1000) / 1000.0);
    }

    private static double lerp(double a, double b, double t) {
        return a + (b - a) * t;
    }

    private Pose onFloor(CategorySpec c, Vec3d size) {
        FloorPlan plan = layout.plan;
        double x = RoomLayout.q(rng.uniform(plan.minX(), plan.maxX()));
        double z = RoomLayout.q(rng.uniform(plan.minZ(), plan.maxZ()));
        double yaw = rng.nextInt(4) * 90.0;
        if (c.movable()) {
            yaw += Math.round(rng.uniform(-25, 25));
        }
        return new Pose(new Vec3d(x, size.y() / 2, z), Yaw.wrap(yaw), null);
    }

    private FloorPlan.Wall pickWall(double minLength) {
        List<FloorPlan.Wall> walls = layout.plan.walls().stream().filter(w -> w.length() >= minLength).toList();
        if (walls.isEmpty()) {
            return null;
        }
        double[] weights = walls.stream().mapToDouble(FloorPlan.Wall::length).toArray();
        return walls.get(rng.weighted(weights));
    }

    private Pose againstWall(Vec3d size) {
        FloorPlan.Wall w = pickWall(size.x() + 2 * GAP + 0.02);
        if (w == null) {
            return null;
        }
        double s = RoomLayout.q(rng.uniform(size.x() / 2 + GAP, w.length() - size.x() / 2 - GAP));
        Vec3d p = w.at(s, size.z() / 2 + GAP);
        return new Pose(new Vec3d(RoomLayout.q(p.x()), size.y() / 2, RoomLayout.q(p.z())), w.facingYaw(), null);
    }

    private Pose onWall(CategorySpec c, Vec3d size) {
        FloorPlan.Wall w = pickWall(size.x() + 0.3);
        if (w == null) {
            return null;
        }
        double h = layout.room.getHeight();
        double s = RoomLayout.q(rng.uniform(size.x() / 2 + 0.1, w.length() - size.x() / 2 - 0.1));
        // wall items at many heights, so "is the clock above the painting" is a question of the room, not the words
        double y = RoomLayout.q(c.name().equals("clock") ? rng.uniform(1.3, 2.2) : rng.uniform(0.9, 2.0));
        y = Math.min(y, h - size.y() / 2 - 0.1);
        if (y - size.y() / 2 < 0.3) {
            return null;
        }
        Vec3d p = w.at(s, size.z() / 2 + 0.005);
        return new Pose(new Vec3d(p.x(), y, p.z()), w.facingYaw(), null);
    }

    private Pose onSurface(CategorySpec c, Vec3d size) {
        List<Placed> supports = placed.stream().filter(p -> p.category().canSupport()).toList();
        if (supports.isEmpty()) {
            return null;
        }
        List<String> preferred = Themes.PREFERRED_SUPPORTS.getOrDefault(c.name(), List.of());
        double[] weights = new double[supports.size()];
        for (int i = 0; i < weights.length; i++) {
            String sc = supports.get(i).category().name();
            weights[i] = preferred.isEmpty() ? 1 : preferred.contains(sc) ? 6 : 0.3;
        }
        Placed sup = supports.get(rng.weighted(weights));
        double rel = FACE_FRONT.contains(c.name()) ? 0 : Math.round(rng.uniform(-30, 30));
        double cr = Math.abs(Math.cos(Math.toRadians(rel)));
        double sr = Math.abs(Math.sin(Math.toRadians(rel)));
        double ex = cr * size.x() + sr * size.z();
        double ez = sr * size.x() + cr * size.z();
        double roomX = sup.box().size().x() - ex - 2 * GAP;
        double roomZ = sup.box().size().z() - ez - 2 * GAP;
        if (roomX < 0 || roomZ < 0) {
            return null;
        }
        double lx = rng.uniform(-roomX / 2, roomX / 2);
        double lz = FACE_FRONT.contains(c.name()) ? rng.uniform(-roomZ / 2, roomZ / 2) * 0.3 + roomZ * 0.2
                : rng.uniform(-roomZ / 2, roomZ / 2);
        Vec3d off = Yaw.toWorld(sup.box().yawDeg(), new Vec3d(lx, 0, lz));
        double top = sup.category().surfaceY(sup.box().center().y(), sup.box().size().y());
        Vec3d centre = new Vec3d(RoomLayout.q(sup.box().center().x() + off.x()), top + REST_GAP + size.y() / 2,
                RoomLayout.q(sup.box().center().z() + off.z()));
        return new Pose(centre, Yaw.wrap(sup.box().yawDeg() + rel), sup);
    }

    /** The checks every candidate passes: inside the room, clear of everything placed and of the keep-clear zones. */
    private boolean fits(CategorySpec c, OrientedBox box, Placed support) {
        box = floatExact(box);
        if (box.top() > layout.room.getHeight() - 0.05) {
            return false;
        }
        if (!layout.plan.containsFootprint(box.footprint(c.placement() == Placement.ON_WALL ? 0.0 : GAP - 0.005))) {
            return false;
        }
        if (support != null && !withinTop(box, support.box())) {
            return false;
        }
        boolean covering = c.isFloorCovering();
        if (!covering) {
            for (OrientedBox zone : layout.keepClear) {
                if (box.intersects(zone, 0)) {
                    return false;
                }
            }
        }
        for (Placed p : placed) {
            if (p == support) {
                continue;
            }
            if (covering != p.category().isFloorCovering()) {
                continue; // furniture stands on rugs
            }
            if (box.intersects(p.box(), 2 * GAP)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the box's footprint lies on the support's top (within its footprint). */
    static boolean withinTop(OrientedBox box, OrientedBox support) {
        for (double[] corner : box.footprint(0)) {
            Vec3d local = Yaw.toLocal(support.yawDeg(),
                    new Vec3d(corner[0] - support.center().x(), 0, corner[1] - support.center().z()));
            if (Math.abs(local.x()) > support.size().x() / 2 + 1e-4
                    || Math.abs(local.z()) > support.size().z() / 2 + 1e-4) {
                return false;
            }
        }
        return true;
    }

    private void keep(CategorySpec c, OrientedBox box, Palettes.Swatch swatch, double t, Placed support) {
        box = floatExact(box);
        int id = placed.size() + 1;
        SceneObject o = SceneObject.newBuilder().setId(id).setCategory(c.name())
                // colour and category only: a size word ("small mug") would tell a question-only model
                // how near the object is likely to be
                .setDescription(swatch.colorName() + " " + c.name())
                .setColorName(swatch.colorName()).setMaterial(swatch.material(rng, 0.03))
                .setPosition(box.center().toAvro()).setSize(box.size().toAvro()).setYawDeg((float) box.yawDeg())
                .setMovable(c.movable()).setSupportId(support == null ? null : support.object().getId()).build();
        placed.add(new Placed(o, c, box));
        counts.merge(c.name(), 1, Integer::sum);
        colours.computeIfAbsent(c.name(), k -> new HashSet<>()).add(swatch.colorName());
    }

    /** The box as a consumer reads it back from the spec's float fields. */
    static OrientedBox floatExact(OrientedBox b) {
        return new OrientedBox(new Vec3d(f(b.center().x()), f(b.center().y()), f(b.center().z())),
                new Vec3d(f(b.size().x()), f(b.size().y()), f(b.size().z())), f(b.yawDeg()));
    }

    static double f(double v) {
        return (float) v;
    }
}
