package dev.satflow.producers.generate;

import dev.satflow.core.geom.Vec3d;
import dev.satflow.core.geom.Yaw;
import dev.satflow.core.validate.SceneSpecValidator;
import dev.satflow.producers.catalog.Catalog;
import dev.satflow.producers.catalog.CategorySpec;
import dev.satflow.schema.CameraPose;
import dev.satflow.schema.Episode;
import dev.satflow.schema.Light;
import dev.satflow.schema.Material;
import dev.satflow.schema.RenderSettings;
import dev.satflow.schema.Rgb;
import dev.satflow.schema.Room;
import dev.satflow.schema.SceneObject;
import dev.satflow.schema.SceneSpec;
import dev.satflow.schema.Vec2;
import dev.satflow.schema.Vec3;
import dev.satflow.schema.View;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded synthetic rooms with objects, views and episodes (first, simple version: objects on a grid). */
public final class SceneGenerator {
    public static final String VERSION = "satflow-gen/1";

    private final GeneratorSettings settings;
    private final Catalog catalog;

    public SceneGenerator(GeneratorSettings settings) {
        this(settings, Catalog.standard());
    }

    public SceneGenerator(GeneratorSettings settings, Catalog catalog) {
        this.settings = settings;
        this.catalog = catalog;
    }

    public SceneSpec generate(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        String sceneId = "scene-" + seed;
        double w = 7;
        double d = 6;
        Room room = Room.newBuilder().setShape("rect")
                .setFloor(List.of(new Vec2((float) (-w / 2), (float) (d / 2)), new Vec2((float) (w / 2), (float) (d / 2)),
                        new Vec2((float) (w / 2), (float) (-d / 2)), new Vec2((float) (-w / 2), (float) (-d / 2))))
                .setHeight(2.7f)
                .setFloorMaterial(material("oak", 0.55, 0.42, 0.3))
                .setWallMaterial(material("white paint", 0.85, 0.84, 0.8))
                .setCeilingMaterial(material("white paint", 0.95, 0.95, 0.95))
                .setFeatures(List.of())
                .setLights(List.of(Light.newBuilder().setKind("point").setPosition(new Vec3(0f, 2.5f, 0f))
                        .setColor(new Rgb(1f, 0.97f, 0.92f)).setIntensity(1.2f).setCastsShadows(true).build()))
                .build();
        List<CategorySpec> floorCats = catalog.all().stream()
                .filter(c -> c.placement() != CategorySpec.Placement.ON_SURFACE).toList();
        int n = settings.minObjects() + rnd.nextInt(settings.maxObjects() - settings.minObjects() + 1);
        List<SceneObject> objects = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            CategorySpec c = floorCats.get(rnd.nextInt(floorCats.size()));
            int gx = i % 8;
            int gz = i / 8;
            Vec3d size = c.minSize();
            double x = -w / 2 + 0.5 + gx * 0.85;
            double z = -d / 2 + 0.5 + gz * 0.85;
            objects.add(SceneObject.newBuilder().setId(i + 1).setCategory(c.name())
                    .setDescription(c.name() + " " + (i + 1)).setColorName("grey")
                    .setMaterial(material("grey", 0.5, 0.5, 0.5))
                    .setPosition(new Vec3((float) x, (float) (size.y() / 2), (float) z))
                    .setSize(size.toAvro()).setYawDeg(0).setMovable(c.movable()).setSupportId(null).build());
        }
        Vec3d eye = new Vec3d(0, 1.5, d / 2 - 0.5);
        CameraPose pose = CameraPose.newBuilder().setPosition(eye.toAvro())
                .setYawDeg((float) Yaw.towards(eye, new Vec3d(0, 0, -d / 2)))
                .setPitchDeg((float) settings.pitchDeg()).setFovDeg((float) settings.fovDeg()).build();
        String v0 = sceneId + "/v0";
        View initial = View.newBuilder().setViewId(v0).setRole("initial").setCamera(pose).setPlacements(List.of()).build();
        Episode stat = Episode.newBuilder().setEpisodeId(sceneId + "/e0").setKind("static").setFromView(v0)
                .setToView(null).setEgo(null).setObjectMove(null).setProbe(null).build();
        SceneSpec spec = SceneSpec.newBuilder().setSceneId(sceneId).setSeed(seed).setGeneratorVersion(VERSION)
                .setSplit("train").setRoom(room).setObjects(objects).setViews(List.of(initial))
                .setEpisodes(List.of(stat))
                .setRender(RenderSettings.newBuilder().setWidth(settings.width()).setHeight(settings.height())
                        .setImageFormat(settings.imageFormat()).setShadows(settings.shadows()).build())
                .build();
        return SceneSpecValidator.validate(spec);
    }

    private static Material material(String name, double r, double g, double b) {
        return Material.newBuilder().setName(name).setColor(new Rgb((float) r, (float) g, (float) b))
                .setSpecular(0.05f).setShininess(16).build();
    }
}
