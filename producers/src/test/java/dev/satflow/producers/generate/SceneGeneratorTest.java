package dev.satflow.producers.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.core.geom.Camera;
import dev.satflow.core.geom.EgoMotions;
import dev.satflow.core.geom.OrientedBox;
import dev.satflow.core.geom.Vec3d;
import dev.satflow.core.geom.Yaw;
import dev.satflow.producers.catalog.Catalog;
import dev.satflow.producers.catalog.CategorySpec;
import dev.satflow.schema.Episode;
import dev.satflow.schema.ObjectPlacement;
import dev.satflow.schema.SceneObject;
import dev.satflow.schema.SceneSpec;
import dev.satflow.schema.View;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

/** The generator's contract over thousands of seeds: plausible, deterministic, with valid episodes. */
class SceneGeneratorTest {
    private static final int SEEDS = 2000;
    private final SceneGenerator gen = new SceneGenerator(GeneratorSettings.defaults());
    private final Catalog catalog = Catalog.standard();

    static byte[] bytes(SceneSpec s) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(SceneSpec.class).write(s, enc);
        enc.flush();
        return out.toByteArray();
    }

    @Test
    void thousandsOfSeedsArePlausibleAndVaried() {
        Map<String, Integer> kinds = new TreeMap<>();
        Map<String, Integer> categories = new TreeMap<>();
        Map<String, Integer> shapes = new TreeMap<>();
        Map<String, Integer> splits = new TreeMap<>();
        int objects = 0;
        int supported = 0;
        int moved = 0;
        int stillEgo = 0;
        int withFeatures = 0;
        for (long seed = 0; seed < SEEDS; seed++) {
            SceneSpec s = gen.generate(seed);
            assertEquals(List.of(), SceneInvariants.violations(s, catalog), "seed " + seed);
            assertTrue(s.getObjects().size() >= 5 && s.getObjects().size() <= 15, "objects in seed " + seed);
            assertTrue(s.getViews().size() <= SceneInvariants.MAX_VIEWS);
            assertTrue(s.getRoom().getLights().size() >= 1 && s.getRoom().getLights().size() <= 3);
            objects += s.getObjects().size();
            shapes.merge(s.getRoom().getShape(), 1, Integer::sum);
            splits.merge(s.getSplit(), 1, Integer::sum);
            if (!s.getRoom().getFeatures().isEmpty()) {
                withFeatures++;
            }
            for (SceneObject o : s.getObjects()) {
                categories.merge(o.getCategory(), 1, Integer::sum);
                if (o.getSupportId() != null) {
                    supported++;
                }
            }
            for (Episode e : s.getEpisodes()) {
                kinds.merge(e.getKind(), 1, Integer::sum);
                if (e.getObjectMove() != null) {
                    moved++;
                }
                if (e.getKind().equals("ego_motion") && e.getEgo().getRotateDeg() == 0
                        && e.getEgo().getForwardM() == 0) {
                    stillEgo++;
                }
            }
        }
        System.out.printf("%d scenes: %.1f objects each, %d on supports, shapes %s, splits %s, episodes %s,"
                + " %d objects moved, %d still ego episodes, %d categories: %s%n", SEEDS, objects / (double) SEEDS,
                supported, shapes, splits, kinds, moved, stillEgo, categories.size(), categories);
        assertTrue(categories.size() >= 30, "categories used: " + categories.keySet());
        assertTrue(shapes.getOrDefault("L", 0) > SEEDS / 5 && shapes.getOrDefault("rect", 0) > SEEDS / 3);
        assertTrue(supported > SEEDS, "small objects rest on furniture: " + supported);
        assertTrue(withFeatures > SEEDS * 0.9, "rooms with doors or windows: " + withFeatures);
        assertEquals(SEEDS, kinds.get("static"));
        assertEquals(SEEDS, kinds.get("ego_motion"));
        assertTrue(kinds.getOrDefault("camera_translation", 0) > SEEDS * 0.6, "camera translations: " + kinds);
        assertTrue(kinds.getOrDefault("perspective", 0) > SEEDS * 0.8, "perspective probes: " + kinds);
        assertTrue(moved > SEEDS / 2 && moved < kinds.get("object_displacement"), "moved objects: " + moved);
        assertTrue(stillEgo > SEEDS / 25, "some ego episodes do not move: " + stillEgo);
        double test = splits.getOrDefault("test", 0) / (double) SEEDS;
        assertTrue(test > 0.07 && test < 0.13, "test share " + test);
    }

    @Test
    void sameSeedGivesTheSameBytesAndOtherSeedsDiffer() throws Exception {
        for (long seed : new long[] {0, 1, 42, 123456789L, -7}) {
            assertArrayEquals(bytes(gen.generate(seed)), bytes(new SceneGenerator(GeneratorSettings.defaults())
                    .generate(seed)), "seed " + seed);
        }
        assertFalse(java.util.Arrays.equals(bytes(gen.generate(1)), bytes(gen.generate(2))));
        assertEquals("scene-42", gen.generate(42).getSceneId());
        assertEquals(SceneGenerator.VERSION, gen.generate(42).getGeneratorVersion());
    }

    @Test
    void descriptionsNameColourAndCategoryAndAreUnique() {
        for (long seed = 0; seed < 300; seed++) {
            SceneSpec s = gen.generate(seed);
            Map<String, Integer> seen = new HashMap<>();
            for (SceneObject o : s.getObjects()) {
                assertTrue(o.getDescription().endsWith(o.getColorName() + " " + o.getCategory()), o.getDescription());
                assertEquals(null, seen.put(o.getDescription(), o.getId()), "duplicate " + o.getDescription());
            }
        }
    }

    /** The recorded parameters reproduce every view, and each episode keeps SAT's ranges. */
    @Test
    void episodesRecordExactParametersAndKeepTheirObjectsInView() {
        int checkedMoves = 0;
        int checkedProbes = 0;
        for (long seed = 0; seed < 500; seed++) {
            SceneSpec s = gen.generate(seed);
            Map<String, View> views = new HashMap<>();
            s.getViews().forEach(v -> views.put(v.getViewId(), v));
            View v0 = s.getViews().get(0);
            assertEquals("initial", v0.getRole());
            assertEquals(30f, v0.getCamera().getPitchDeg());
            assertEquals(90f, v0.getCamera().getFovDeg());
            FloorPlan plan = new FloorPlan(s.getRoom().getFloor());
            List<OrientedBox> solids = new ArrayList<>();
            for (SceneObject o : s.getObjects()) {
                if (!catalog.get(o.getCategory()).isFloorCovering()) {
                    solids.add(OrientedBox.of(o));
                }
            }
            for (Episode e : s.getEpisodes()) {
                assertEquals(v0.getViewId(), e.getFromView());
                View to = e.getToView() == null ? null : views.get(e.getToView());
                switch (e.getKind()) {
                    case "static" -> assertEquals(null, to);
                    case "ego_motion" -> {
                        float r = Math.abs(e.getEgo().getRotateDeg());
                        float f = e.getEgo().getForwardM();
                        assertTrue(r == 0 || (r >= 20 && r <= 60), "rotation " + r);
                        assertTrue(f == 0 || (f >= 0.2 - 1e-6 && f <= 0.4 + 1e-6), "forward " + f);
                        assertPose(EgoMotions.apply(v0.getCamera(), e.getEgo()), to);
                    }
                    case "camera_translation" -> {
                        assertEquals(-e.getEgo().getRotateDeg(), e.getEgo().getCounterRotateDeg());
                        assertPose(EgoMotions.apply(v0.getCamera(), e.getEgo()), to);
                        assertEquals(v0.getCamera().getYawDeg(), to.getCamera().getYawDeg(), 1e-3);
                        double lateral = Camera.of(v0.getCamera(), 512, 512).toEgo(Vec3d.of(to.getCamera()
                                .getPosition())).x();
                        assertTrue(Math.abs(lateral) >= 0.2, "sideways shift " + lateral);
                    }
                    case "object_displacement" -> {
                        if (e.getObjectMove() == null) {
                            assertTrue(to.getPlacements().isEmpty());
                            continue;
                        }
                        ObjectPlacement p = to.getPlacements().get(0);
                        SceneObject o = s.getObjects().stream().filter(x -> x.getId() == p.getObjectId()).findFirst()
                                .orElseThrow();
                        assertTrue(o.getMovable());
                        double dx = p.getPosition().getX() - o.getPosition().getX();
                        double dz = p.getPosition().getZ() - o.getPosition().getZ();
                        assertEquals(e.getObjectMove().getDx(), dx, 1e-4);
                        assertEquals(e.getObjectMove().getDz(), dz, 1e-4);
                        double dist = Math.hypot(dx, dz);
                        assertTrue(Math.abs(dist - 0.25) < 0.02 || Math.abs(dist - 0.5) < 0.02, "moved " + dist);
                        // in view before and after, by projection of its centre
                        assertInImage(v0, Vec3d.of(o.getPosition()));
                        assertInImage(to, Vec3d.of(p.getPosition()));
                        checkedMoves++;
                    }
                    case "perspective" -> {
                        Vec3d point = Vec3d.of(e.getProbe().getPoint());
                        assertEquals(0, point.y(), 1e-6);
                        assertTrue(plan.containsWithClearance(point.x(), point.z(), 0.15), "probe inside the room");
                        for (OrientedBox b : solids) {
                            assertFalse(b.footprintContains(point.x(), point.z()), "probe point on free floor");
                        }
                        assertInImage(v0, point);
                        assertEquals(Math.abs(e.getProbe().getTurnDeg()), 90f);
                        assertEquals(to.getViewId(), e.getProbe().getProbeView());
                        assertEquals(point.x(), to.getCamera().getPosition().getX(), 1e-6);
                        assertEquals(point.z(), to.getCamera().getPosition().getZ(), 1e-6);
                        assertEquals(v0.getCamera().getPosition().getY(), to.getCamera().getPosition().getY());
                        assertEquals(Yaw.wrap(v0.getCamera().getYawDeg() + e.getProbe().getTurnDeg()),
                                to.getCamera().getYawDeg(), 1e-3);
                        checkedProbes++;
                    }
                    default -> throw new AssertionError("unknown episode kind " + e.getKind());
                }
            }
        }
        assertTrue(checkedMoves > 200 && checkedProbes > 400, checkedMoves + " moves, " + checkedProbes + " probes");
    }

    private static void assertPose(dev.satflow.schema.CameraPose expected, View actual) {
        assertNotNull(actual);
        assertEquals(expected.getPosition().getX(), actual.getCamera().getPosition().getX(), 1e-5);
        assertEquals(expected.getPosition().getZ(), actual.getCamera().getPosition().getZ(), 1e-5);
        assertEquals(expected.getYawDeg(), actual.getCamera().getYawDeg(), 1e-3);
    }

    private static void assertInImage(View v, Vec3d p) {
        Camera.Pixel px = Camera.of(v.getCamera(), 512, 512).project(p);
        assertTrue(px != null && px.insideImage(512, 512), "point " + p + " in view " + v.getViewId());
    }

    @Test
    void theInvariantsCatchAnOverlapAFloaterAndADuplicateName() {
        SceneSpec good = gen.generate(5);
        assertEquals(List.of(), SceneInvariants.violations(good, catalog));
        SceneObject a = good.getObjects().get(0);
        SceneObject b = good.getObjects().get(1);
        SceneSpec overlap = SceneSpec.newBuilder(good).build();
        overlap.getObjects().set(1, SceneObject.newBuilder(b).setPosition(a.getPosition())
                .setSupportId(null).setCategory(a.getCategory()).setSize(a.getSize()).build());
        assertTrue(SceneInvariants.violations(overlap, catalog).stream().anyMatch(m -> m.contains("interpenetrate")
                || m.contains("not unique")), SceneInvariants.violations(overlap, catalog).toString());
        SceneSpec floating = SceneSpec.newBuilder(good).build();
        SceneObject floor = good.getObjects().stream().filter(o -> o.getSupportId() == null
                && catalog.get(o.getCategory()).placement() != CategorySpec.Placement.ON_WALL).findFirst().orElseThrow();
        int k = good.getObjects().indexOf(floor);
        floating.getObjects().set(k, SceneObject.newBuilder(floor).setPosition(new dev.satflow.schema.Vec3(
                floor.getPosition().getX(), floor.getPosition().getY() + 0.3f, floor.getPosition().getZ())).build());
        assertTrue(SceneInvariants.violations(floating, catalog).stream().anyMatch(m -> m.contains("neither on the floor")));
        SceneSpec twins = SceneSpec.newBuilder(good).build();
        twins.getObjects().set(1, SceneObject.newBuilder(b).setDescription(a.getDescription()).build());
        assertTrue(SceneInvariants.violations(twins, catalog).stream().anyMatch(m -> m.contains("not unique")));
    }

    @Test
    void badSettingsNameTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GeneratorSettings.defaults().withObjects(9, 3));
        assertTrue(e.getMessage().contains("maxObjects"), e.getMessage());
    }
}
