package dev.satflow.producers.render;

import dev.satflow.producers.catalog.Catalog;
import dev.satflow.producers.catalog.CategorySpec;
import dev.satflow.producers.catalog.Part;
import dev.satflow.producers.catalog.Primitive;
import dev.satflow.core.geom.Vec3d;
import dev.satflow.schema.CameraPose;
import dev.satflow.schema.Light;
import dev.satflow.schema.Material;
import dev.satflow.schema.ObjectPlacement;
import dev.satflow.schema.RenderSettings;
import dev.satflow.schema.Rgb;
import dev.satflow.schema.Room;
import dev.satflow.schema.SceneObject;
import dev.satflow.schema.SceneSpec;
import dev.satflow.schema.Vec2;
import dev.satflow.schema.Vec3;
import dev.satflow.schema.View;
import dev.satflow.schema.WallFeature;
import java.util.ArrayList;
import java.util.List;

/** Hand-built specs for renderer tests, against a fixed test catalog (independent of the real one). */
final class TestScenes {
    private TestScenes() {}

    static final Catalog CATALOG = new Catalog(List.of(
            new CategorySpec("box", List.of(Part.box(0, 0, 0, 1, 1, 1, Part.MaterialSlot.PRIMARY)),
                    new Vec3d(0.1, 0.1, 0.1), new Vec3d(2, 2, 2), CategorySpec.Placement.FLOOR, true, 1),
            new CategorySpec("table", List.of(
                    Part.box(0, 0.45, 0, 1, 0.1, 1, Part.MaterialSlot.PRIMARY),
                    Part.box(-0.45, -0.05, -0.45, 0.08, 0.9, 0.08, Part.MaterialSlot.SECONDARY),
                    Part.box(0.45, -0.05, -0.45, 0.08, 0.9, 0.08, Part.MaterialSlot.SECONDARY),
                    Part.box(-0.45, -0.05, 0.45, 0.08, 0.9, 0.08, Part.MaterialSlot.SECONDARY),
                    Part.box(0.45, -0.05, 0.45, 0.08, 0.9, 0.08, Part.MaterialSlot.SECONDARY)),
                    new Vec3d(0.8, 0.7, 0.6), new Vec3d(1.6, 0.8, 1.0), CategorySpec.Placement.FLOOR, false, 1),
            new CategorySpec("lamp", List.of(
                    Part.of(Primitive.CYLINDER, 0, -0.47, 0, 0.5, 0.06, 0.5, Part.MaterialSlot.SECONDARY),
                    Part.of(Primitive.CYLINDER, 0, -0.1, 0, 0.06, 0.7, 0.06, Part.MaterialSlot.ACCENT),
                    Part.of(Primitive.CONE, 0, 0.35, 0, 1, 0.3, 1, Part.MaterialSlot.PRIMARY)),
                    new Vec3d(0.3, 1, 0.3), new Vec3d(0.5, 1.8, 0.5), CategorySpec.Placement.FLOOR, true, 0),
            new CategorySpec("ball", List.of(Part.of(Primitive.SPHERE, 0, 0, 0, 1, 1, 1, Part.MaterialSlot.PRIMARY)),
                    new Vec3d(0.1, 0.1, 0.1), new Vec3d(1, 1, 1), CategorySpec.Placement.FLOOR, true, 0)));

    static Vec3 v(double x, double y, double z) {
        return new Vec3((float) x, (float) y, (float) z);
    }

    static Material material(double r, double g, double b) {
        return Material.newBuilder().setName("m").setColor(new Rgb((float) r, (float) g, (float) b))
                .setSpecular(0.1f).setShininess(24).build();
    }

    /** A rectangular room [-w/2, w/2] x [-d/2, d/2], 2.7 m high, one ceiling light. */
    static Room.Builder rectRoom(double w, double d) {
        List<Vec2> floor = List.of(new Vec2((float) (-w / 2), (float) (d / 2)), new Vec2((float) (w / 2), (float) (d / 2)),
                new Vec2((float) (w / 2), (float) (-d / 2)), new Vec2((float) (-w / 2), (float) (-d / 2)));
        return Room.newBuilder().setShape("rect").setFloor(floor).setHeight(2.7f)
                .setFloorMaterial(material(0.55, 0.45, 0.35))
                .setWallMaterial(material(0.82, 0.80, 0.74))
                .setCeilingMaterial(material(0.95, 0.95, 0.95))
                .setFeatures(new ArrayList<>())
                .setLights(new ArrayList<>(List.of(pointLight(0, 2.5, 0, true))));
    }

    static Light pointLight(double x, double y, double z, boolean shadows) {
        return Light.newBuilder().setKind("point").setPosition(v(x, y, z)).setColor(new Rgb(1f, 0.97f, 0.92f))
                .setIntensity(1.2f).setCastsShadows(shadows).build();
    }

    static Light directional(double x, double y, double z, boolean shadows) {
        return Light.newBuilder().setKind("directional").setPosition(v(x, y, z)).setColor(new Rgb(1f, 1f, 1f))
                .setIntensity(0.6f).setCastsShadows(shadows).build();
    }

    static WallFeature feature(String kind, int wall, double offset, double width, double bottom, double height) {
        return WallFeature.newBuilder().setKind(kind).setWall(wall).setOffset((float) offset).setWidth((float) width)
                .setBottom((float) bottom).setHeight((float) height).build();
    }

    static SceneObject object(int id, String category, double x, double y, double z, double sx, double sy, double sz,
            double yaw, Material m) {
        return SceneObject.newBuilder().setId(id).setCategory(category).setDescription(category + " " + id)
                .setColorName("c").setMaterial(m).setPosition(v(x, y, z)).setSize(v(sx, sy, sz))
                .setYawDeg((float) yaw).setMovable(true).setSupportId(null).build();
    }

    /** A box resting on the floor at (x, z). */
    static SceneObject floorBox(int id, double x, double z, double size, Material m) {
        return object(id, "box", x, size / 2, z, size, size, size, 0, m);
    }

    static CameraPose camera(double x, double y, double z, double yaw, double pitch, double fov) {
        return CameraPose.newBuilder().setPosition(v(x, y, z)).setYawDeg((float) yaw).setPitchDeg((float) pitch)
                .setFovDeg((float) fov).build();
    }

    static View view(String id, CameraPose camera, List<ObjectPlacement> placements) {
        return View.newBuilder().setViewId(id).setRole("initial").setCamera(camera)
                .setPlacements(new ArrayList<>(placements)).build();
    }

    static ObjectPlacement placement(int objectId, double x, double y, double z, double yaw) {
        return ObjectPlacement.newBuilder().setObjectId(objectId).setPosition(v(x, y, z)).setYawDeg((float) yaw).build();
    }

    static SceneSpec spec(String id, Room room, List<SceneObject> objects, List<View> views, int w, int h,
            String format, boolean shadows) {
        return SceneSpec.newBuilder().setSceneId(id).setSeed(1).setGeneratorVersion("test").setSplit("train")
                .setRoom(room).setObjects(new ArrayList<>(objects)).setViews(new ArrayList<>(views))
                .setEpisodes(new ArrayList<>())
                .setRender(RenderSettings.newBuilder().setWidth(w).setHeight(h).setImageFormat(format)
                        .setShadows(shadows).build())
                .build();
    }

    /** A furnished room with a door and a window, for eyeballing and determinism checks. */
    static SceneSpec furnished(int w, int h) {
        Room room = rectRoom(6, 5)
                .setFeatures(new ArrayList<>(List.of(feature("door", 2, 1.5, 0.9, 0, 2.05),
                        feature("window", 3, 2.5, 1.4, 0.9, 1.2))))
                .setLights(new ArrayList<>(List.of(pointLight(0.5, 2.5, 0.2, true), directional(-0.3, 1, 0.4, false))))
                .build();
        List<SceneObject> objects = List.of(
                object(1, "table", 0, 0.375, -0.5, 1.2, 0.75, 0.8, 20, material(0.85, 0.85, 0.8)),
                floorBox(2, -1.6, -1.2, 0.5, material(0.8, 0.15, 0.1)),
                object(3, "lamp", 1.8, 0.75, -1.5, 0.4, 1.5, 0.4, 0, material(0.95, 0.9, 0.6)),
                object(4, "ball", -0.8, 0.2, 0.6, 0.4, 0.4, 0.4, 0, material(0.1, 0.3, 0.85)),
                floorBox(5, 1.2, 0.4, 0.35, material(0.2, 0.7, 0.25)));
        List<View> views = List.of(
                view("v0", camera(0, 1.5, 2.3, 0, 20, 75), List.of()),
                view("v1", camera(-2.5, 1.5, 2.0, 45, 20, 75), List.of()),
                view("v2", camera(2.5, 1.5, 2.0, -45, 20, 75), List.of(placement(2, -0.5, 0.25, -1.6, 30))),
                view("v3", camera(0, 1.5, -2.0, 180, 15, 75), List.of()));
        return spec("furnished", room, objects, views, w, h, "png", true);
    }
}
