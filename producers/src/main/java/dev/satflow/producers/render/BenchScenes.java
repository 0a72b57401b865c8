package dev.satflow.producers.render;

import dev.satflow.core.geom.Vec3d;
import dev.satflow.core.geom.Yaw;
import dev.satflow.producers.catalog.Catalog;
import dev.satflow.producers.catalog.CategorySpec;
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
import java.util.Random;

/**
 * Benchmark specs built without the scene generator: a 6 x 5 m room with a door and a window,
 * two lights (a shadow-casting ceiling lamp and a sun), ten catalog objects on a grid, and four
 * views, one of which displaces an object. Deterministic in the seed.
 */
final class BenchScenes {
    static final int OBJECTS = 10;
    static final int VIEWS = 4;

    private BenchScenes() {}

    static List<SceneSpec> build(Catalog catalog, int count, int width, int height, String format, long seed) {
        List<SceneSpec> specs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            specs.add(one(catalog, "bench-" + i, width, height, format, seed + i));
        }
        return specs;
    }

    static SceneSpec one(Catalog catalog, String sceneId, int width, int height, String format, long seed) {
        Random rnd = new Random(seed);
        double w = 6;
        double d = 5;
        Room room = Room.newBuilder()
                .setShape("rect")
                .setFloor(List.of(new Vec2((float) (-w / 2), (float) (d / 2)), new Vec2((float) (w / 2), (float) (d / 2)),
                        new Vec2((float) (w / 2), (float) (-d / 2)), new Vec2((float) (-w / 2), (float) (-d / 2))))
                .setHeight(2.7f)
                .setFloorMaterial(material(rnd, 0.45, 0.35, 0.25))
                .setWallMaterial(material(rnd, 0.82, 0.80, 0.75))
                .setCeilingMaterial(material(rnd, 0.95, 0.95, 0.95))
                .setFeatures(List.of(
                        WallFeature.newBuilder().setKind("door").setWall(2).setOffset(1.4f).setWidth(0.9f)
                                .setBottom(0).setHeight(2.05f).build(),
                        WallFeature.newBuilder().setKind("window").setWall(3).setOffset(2.5f).setWidth(1.4f)
                                .setBottom(0.9f).setHeight(1.2f).build()))
                .setLights(List.of(
                        Light.newBuilder().setKind("point").setPosition(new Vec3(0.3f, 2.5f, 0.1f))
                                .setColor(new Rgb(1f, 0.96f, 0.9f)).setIntensity(1.2f).setCastsShadows(true).build(),
                        Light.newBuilder().setKind("directional").setPosition(new Vec3(-0.4f, 1f, 0.3f))
                                .setColor(new Rgb(0.9f, 0.95f, 1f)).setIntensity(0.4f).setCastsShadows(false).build()))
                .build();

        List<CategorySpec> categories = catalog.all();
        List<SceneObject> objects = new ArrayList<>();
        // a 4 x 3 grid of 1.2 m cells keeps objects apart without a placement solver
        List<int[]> cells = new ArrayList<>();
        for (int gx = 0; gx < 4; gx++) {
            for (int gz = 0; gz < 3; gz++) {
                cells.add(new int[] {gx, gz});
            }
        }
        java.util.Collections.shuffle(cells, rnd);
        for (int i = 0; i < OBJECTS; i++) {
            CategorySpec c = categories.get(i % categories.size());
            Vec3d size = lerp(c.minSize(), c.maxSize(), rnd.nextDouble());
            double sx = Math.min(size.x(), 1.0);
            double sz = Math.min(size.z(), 1.0);
            int[] cell = cells.get(i);
            double x = -2.4 + cell[0] * 1.6 + (rnd.nextDouble() - 0.5) * 0.2;
            double z = -1.6 + cell[1] * 1.5 + (rnd.nextDouble() - 0.5) * 0.2;
            objects.add(SceneObject.newBuilder()
                    .setId(i + 1)
                    .setCategory(c.name())
                    .setDescription(c.name() + " " + (i + 1))
                    .setColorName("colour")
                    .setMaterial(material(rnd, rnd.nextDouble(), rnd.nextDouble(), rnd.nextDouble()))
                    .setPosition(new Vec3((float) x, (float) (size.y() / 2), (float) z))
                    .setSize(new Vec3((float) sx, (float) size.y(), (float) sz))
                    .setYawDeg((float) (rnd.nextDouble() * 360 - 180))
                    .setMovable(c.movable())
                    .setSupportId(null)
                    .build());
        }

        List<View> views = new ArrayList<>();
        for (int v = 0; v < VIEWS; v++) {
            double cx = (rnd.nextDouble() - 0.5) * 4;
            double cz = 1.6 + rnd.nextDouble() * 0.6;
            Vec3d eye = new Vec3d(cx, 1.5, cz);
            double yaw = Yaw.towards(eye, new Vec3d((rnd.nextDouble() - 0.5) * 2, 0, -0.5));
            List<ObjectPlacement> placements = new ArrayList<>();
            if (v == VIEWS - 1) {
                SceneObject moved = objects.get(0);
                placements.add(ObjectPlacement.newBuilder().setObjectId(moved.getId())
                        .setPosition(new Vec3(moved.getPosition().getX() + 0.5f, moved.getPosition().getY(),
                                moved.getPosition().getZ() + 0.3f))
                        .setYawDeg(moved.getYawDeg()).build());
            }
            views.add(View.newBuilder()
                    .setViewId(sceneId + "-v" + v)
                    .setRole(v == VIEWS - 1 ? "after_object" : "initial")
                    .setCamera(CameraPose.newBuilder().setPosition(eye.toAvro()).setYawDeg((float) yaw)
                            .setPitchDeg(25).setFovDeg(75).build())
                    .setPlacements(placements)
                    .build());
        }
        return SceneSpec.newBuilder()
                .setSceneId(sceneId)
                .setSeed(seed)
                .setGeneratorVersion("bench")
                .setRoom(room)
                .setObjects(objects)
                .setViews(views)
                .setEpisodes(List.of())
                .setRender(RenderSettings.newBuilder().setWidth(width).setHeight(height).setImageFormat(format)
                        .setShadows(true).build())
                .build();
    }

    private static Material material(Random rnd, double r, double g, double b) {
        return Material.newBuilder().setName("bench").setColor(new Rgb((float) r, (float) g, (float) b))
                .setSpecular((float) (0.05 + rnd.nextDouble() * 0.3)).setShininess(16 + rnd.nextInt(48)).build();
    }

    private static Vec3d lerp(Vec3d a, Vec3d b, double t) {
        return a.plus(b.minus(a).times(t));
    }
}
