package dev.satflow.qa.questions;

import dev.satflow.core.geom.Camera;
import dev.satflow.core.geom.EgoMotions;
import dev.satflow.core.geom.OrientedBox;
import dev.satflow.core.geom.Vec3d;
import dev.satflow.qa.SourcedFrame;
import dev.satflow.schema.Box2d;
import dev.satflow.schema.CameraPose;
import dev.satflow.schema.EgoMotion;
import dev.satflow.schema.Episode;
import dev.satflow.schema.Frame;
import dev.satflow.schema.ObjectAnnotation;
import dev.satflow.schema.ObjectMove;
import dev.satflow.schema.ObjectPlacement;
import dev.satflow.schema.Probe;
import dev.satflow.schema.RenderSettings;
import dev.satflow.schema.Room;
import dev.satflow.schema.SceneObject;
import dev.satflow.schema.SceneSpec;
import dev.satflow.schema.Vec2;
import dev.satflow.schema.Vec3;
import dev.satflow.schema.View;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Hand-built scenes and their frames, without a GPU: annotations come from projecting each
 * object's box analytically (no occlusion), so a test states the geometry and knows the answer.
 */
final class HandScenes {
    static final int W = 256;
    static final int H = 256;
    private static final byte[] PNG = blankPng();
    private static final dev.satflow.schema.Material MATERIAL = dev.satflow.schema.Material.newBuilder().setName("paint")
            .setColor(new dev.satflow.schema.Rgb(0.8f, 0.2f, 0.2f)).setSpecular(0f).setShininess(8f).build();

    private final String sceneId;
    private final List<SceneObject> objects = new ArrayList<>();
    private final List<View> views = new ArrayList<>();
    private final List<Episode> episodes = new ArrayList<>();

    HandScenes(String sceneId) {
        this.sceneId = sceneId;
    }

    static CameraPose pose(double x, double z, double yawDeg, double pitchDeg) {
        return CameraPose.newBuilder().setPosition(new Vec3(f(x), 1.5f, f(z))).setYawDeg(f(yawDeg))
                .setPitchDeg(f(pitchDeg)).setFovDeg(90f).build();
    }

    HandScenes object(int id, String category, String description, double x, double y, double z, double size) {
        objects.add(SceneObject.newBuilder().setId(id).setCategory(category).setDescription(description)
                .setColorName("red").setMaterial(MATERIAL).setPosition(new Vec3(f(x), f(y), f(z))).setSize(new Vec3(f(size), f(size), f(size)))
                .setYawDeg(0).setMovable(true).setSupportId(null).build());
        return this;
    }

    HandScenes view(String id, String role, CameraPose pose, List<ObjectPlacement> placements) {
        views.add(View.newBuilder().setViewId(sceneId + "/" + id).setRole(role).setCamera(pose)
                .setPlacements(placements).build());
        return this;
    }

    HandScenes initial(CameraPose pose) {
        view("v0", "initial", pose, List.of());
        return episode(Episode.newBuilder().setEpisodeId(sceneId + "/e-static").setKind("static")
                .setFromView(sceneId + "/v0").setToView(null).setEgo(null).setObjectMove(null).setProbe(null).build());
    }

    HandScenes ego(String kind, double rotate, double forward, double counter) {
        EgoMotion m = new EgoMotion(f(rotate), f(forward), f(counter));
        String to = "v" + views.size();
        view(to, kind.equals("ego_motion") ? "after_ego" : "after_translation",
                EgoMotions.apply(views.get(0).getCamera(), m), List.of());
        return episode(Episode.newBuilder().setEpisodeId(sceneId + "/e-" + kind).setKind(kind)
                .setFromView(sceneId + "/v0").setToView(sceneId + "/" + to).setEgo(m).setObjectMove(null).setProbe(null)
                .build());
    }

    HandScenes move(int objectId, double dx, double dz) {
        SceneObject o = objects.stream().filter(x -> x.getId() == objectId).findFirst().orElseThrow();
        List<ObjectPlacement> placed = dx == 0 && dz == 0 ? List.of()
                : List.of(new ObjectPlacement(objectId, new Vec3(f(o.getPosition().getX() + dx), o.getPosition().getY(),
                        f(o.getPosition().getZ() + dz)), o.getYawDeg()));
        String to = "v" + views.size();
        view(to, "after_object", views.get(0).getCamera(), placed);
        return episode(Episode.newBuilder().setEpisodeId(sceneId + "/e-move").setKind("object_displacement")
                .setFromView(sceneId + "/v0").setToView(sceneId + "/" + to).setEgo(null)
                .setObjectMove(dx == 0 && dz == 0 ? null : new ObjectMove(objectId, f(dx), f(dz))).setProbe(null).build());
    }

    HandScenes probe(double x, double z, double turnDeg) {
        CameraPose v0 = views.get(0).getCamera();
        String to = "v" + views.size();
        view(to, "probe", CameraPose.newBuilder(v0).setPosition(new Vec3(f(x), v0.getPosition().getY(), f(z)))
                .setYawDeg(f(dev.satflow.core.geom.Yaw.wrap(v0.getYawDeg() + turnDeg))).build(), List.of());
        return episode(Episode.newBuilder().setEpisodeId(sceneId + "/e-probe").setKind("perspective")
                .setFromView(sceneId + "/v0").setToView(null).setEgo(null).setObjectMove(null)
                .setProbe(new Probe(new Vec3(f(x), 0f, f(z)), f(turnDeg), sceneId + "/" + to)).build());
    }

    HandScenes episode(Episode e) {
        episodes.add(e);
        return this;
    }

    SceneSpec spec() {
        return SceneSpec.newBuilder().setSceneId(sceneId).setSeed(7).setGeneratorVersion("hand/1").setSplit("train")
                .setRoom(Room.newBuilder().setShape("rect").setFloor(List.of(new Vec2(-10f, 10f), new Vec2(10f, 10f),
                        new Vec2(10f, -10f), new Vec2(-10f, -10f))).setHeight(3f).setFloorMaterial(MATERIAL)
                        .setWallMaterial(null).setCeilingMaterial(null).setFeatures(List.of()).setLights(List.of())
                        .build())
                .setObjects(objects).setViews(views).setEpisodes(episodes)
                .setRender(RenderSettings.newBuilder().setWidth(W).setHeight(H).setImageFormat("png").setShadows(false)
                        .build())
                .build();
    }

    /** One frame per view, annotated from the analytic projection of each object's box corners. */
    static List<SourcedFrame> frames(SceneSpec spec) {
        List<SourcedFrame> out = new ArrayList<>();
        long offset = 100;
        for (View v : spec.getViews()) {
            Camera cam = Camera.of(v.getCamera(), W, H);
            Map<Integer, Vec3> placed = new HashMap<>();
            v.getPlacements().forEach(p -> placed.put(p.getObjectId(), p.getPosition()));
            List<ObjectAnnotation> anns = new ArrayList<>();
            for (SceneObject o : spec.getObjects()) {
                SceneObject at = SceneObject.newBuilder(o).setPosition(placed.getOrDefault(o.getId(), o.getPosition()))
                        .build();
                anns.add(annotate(cam, at));
            }
            Frame f = Frame.newBuilder().setSceneId(spec.getSceneId()).setViewId(v.getViewId()).setRole(v.getRole())
                    .setViewCount(spec.getViews().size()).setCamera(v.getCamera()).setIntrinsics(cam.intrinsics())
                    .setImageFormat("png").setImage(ByteBuffer.wrap(PNG)).setObjects(anns).setRendererVersion("hand/1")
                    .setGlRenderer("none").setRenderMillis(0).build();
            out.add(new SourcedFrame(f, "satflow.frames.v1", 0, offset++));
        }
        return out;
    }

    private static ObjectAnnotation annotate(Camera cam, SceneObject o) {
        OrientedBox box = OrientedBox.of(o);
        double minU = Double.MAX_VALUE;
        double maxU = -Double.MAX_VALUE;
        double minV = Double.MAX_VALUE;
        double maxV = -Double.MAX_VALUE;
        for (Vec3d c : box.corners()) {
            Camera.Pixel p = cam.project(c);
            if (p == null) {
                return ObjectAnnotation.newBuilder().setObjectId(o.getId()).setBox(null).build();
            }
            minU = Math.min(minU, p.u());
            maxU = Math.max(maxU, p.u());
            minV = Math.min(minV, p.v());
            maxV = Math.max(maxV, p.v());
        }
        // rounded so that the mirror image of a box is exactly the mirrored box (mirror tests rely on it)
        int x0 = (int) Math.max(0, Math.round(minU));
        int x1 = (int) Math.min(W - 1, Math.round(maxU) - 1);
        int y0 = (int) Math.max(0, Math.floor(minV));
        int y1 = (int) Math.min(H - 1, Math.floor(maxV));
        if (x1 < x0 || y1 < y0) {
            return ObjectAnnotation.newBuilder().setObjectId(o.getId()).setBox(null).build();
        }
        int area = (x1 - x0 + 1) * (y1 - y0 + 1);
        Camera.Pixel c = cam.project(Vec3d.of(o.getPosition()));
        return ObjectAnnotation.newBuilder().setObjectId(o.getId()).setVisiblePixels(area).setUnoccludedPixels(area)
                .setVisibleFraction(1f).setBox(new Box2d(x0, y0, x1, y1)).setMeanDepth(f(c.depth()))
                .setCentroidX(f(Math.min(W, Math.max(0, c.u())))).setCentroidY(f(Math.min(H - 1, Math.max(0, c.v()))))
                // no occlusion here: the box centre is inside the object, half the short side from its edge
                .setLabelX((x0 + x1 + 1) / 2f).setLabelY((y0 + y1 + 1) / 2f)
                .setLabelRadius(Math.min(x1 - x0 + 1, y1 - y0 + 1) / 2f)
                .build();
    }

    /** The scene seen in a mirror (x -> -x): every left becomes right, nothing else changes. */
    static SceneSpec mirror(SceneSpec s) {
        SceneSpec.Builder b = SceneSpec.newBuilder(s);
        List<SceneObject> objs = new ArrayList<>();
        for (SceneObject o : s.getObjects()) {
            objs.add(SceneObject.newBuilder(o).setPosition(flip(o.getPosition())).setYawDeg(-o.getYawDeg()).build());
        }
        List<View> vs = new ArrayList<>();
        for (View v : s.getViews()) {
            List<ObjectPlacement> ps = new ArrayList<>();
            v.getPlacements().forEach(p -> ps.add(new ObjectPlacement(p.getObjectId(), flip(p.getPosition()),
                    -p.getYawDeg())));
            vs.add(View.newBuilder(v).setCamera(mirror(v.getCamera())).setPlacements(ps).build());
        }
        List<Episode> es = new ArrayList<>();
        for (Episode e : s.getEpisodes()) {
            Episode.Builder eb = Episode.newBuilder(e);
            if (e.getEgo() != null) {
                eb.setEgo(new EgoMotion(-e.getEgo().getRotateDeg(), e.getEgo().getForwardM(),
                        -e.getEgo().getCounterRotateDeg()));
            }
            if (e.getObjectMove() != null) {
                eb.setObjectMove(new ObjectMove(e.getObjectMove().getObjectId(), -e.getObjectMove().getDx(),
                        e.getObjectMove().getDz()));
            }
            if (e.getProbe() != null) {
                eb.setProbe(new Probe(flip(e.getProbe().getPoint()), -e.getProbe().getTurnDeg(),
                        e.getProbe().getProbeView()));
            }
            es.add(eb.build());
        }
        return b.setObjects(objs).setViews(vs).setEpisodes(es).build();
    }

    private static CameraPose mirror(CameraPose p) {
        return CameraPose.newBuilder(p).setPosition(flip(p.getPosition())).setYawDeg(-p.getYawDeg()).build();
    }

    private static Vec3 flip(Vec3 v) {
        return new Vec3(-v.getX(), v.getY(), v.getZ());
    }

    static float f(double v) {
        return (float) v;
    }

    private static byte[] blankPng() {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }
}
