package dev.satflow.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.trainer.plan.MixingPlan;
import dev.satflow.trainer.plan.Stage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Per-type buffers drawn at random; realised type ratios within ±2 % over any 1,000 samples. */
class TypeMixerTest {

    private static final byte[] IMAGE = {1};
    private final Map<String, Integer> serial = new HashMap<>();

    private TrainingExample example(String type, int scene) {
        int n = serial.merge(type, 1, Integer::sum);
        return new TrainingExample("scene-" + scene + "/" + type + "/" + n, QuestionCatalog.family(type), type,
                "q?", List.of("a", "b"), 0, List.of(IMAGE));
    }

    private static Stage stage(String json) {
        return MixingPlan.parse("{\"stages\": [" + json + "]}", "test").stage(0);
    }

    private void topUp(TypeMixer mixer, Stage stage, int[] scene) {
        for (String type : stage.weights().keySet()) {
            while (mixer.hasRoom(type)) {
                mixer.offer(example(type, scene[0]++ / 5)); // five questions of a type per scene
            }
        }
    }

    @Test
    void realisedTypeRatiosStayWithinTwoPercentOverAnyThousandSamples() {
        List<Stage> stages = List.of(
                MixingPlan.defaultPlan().stage(0), // 0.1 per static type, 0.0667 per dynamic one
                MixingPlan.defaultPlan().stage(1), // 1/12 each, with rehearsal
                stage("{\"weights\": {\"left_right\": 5, \"relative_depth\": 3, \"counting\": 1, \"goal_aim\": 2,"
                        + " \"perspective\": 0.5, \"height\": 0.25}, \"rehearsal\": 0.2}"),
                stage("{\"weights\": {\"left_right\": 1, \"ego_movement\": 1}}"));
        for (Stage stage : stages) {
            long t0 = System.nanoTime();
            TypeMixer mixer = new TypeMixer(32, 128, 512, 11);
            int[] scene = {0};
            List<String> freshTypes = new ArrayList<>();
            int rehearsed = 0;
            int drawn = 0;
            Set<TrainingExample> freshSoFar = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            for (int b = 0; b < 1000; b++) {
                topUp(mixer, stage, scene); // data for every weighted type is available
                DrawnBatch batch = mixer.poll(stage).orElseThrow();
                assertTrue(batch.onPlan());
                assertEquals(32, batch.size());
                for (DrawnBatch.Item item : batch.items()) {
                    if (item.rehearsal()) {
                        rehearsed++;
                        assertTrue(freshSoFar.contains(item.example()), "rehearsal draws an older, trained example");
                    } else {
                        freshTypes.add(item.example().questionType());
                    }
                }
                batch.fresh().forEach(freshSoFar::add);
                drawn += batch.size();
            }
            double worst = worstWindowDeviation(freshTypes, stage, 1000);
            assertTrue(worst <= 0.02, stage.name() + ": worst deviation over 1,000-sample windows " + worst);
            double share = (double) rehearsed / drawn;
            assertEquals(stage.rehearsal(), share, 0.01, stage.name() + ": rehearsal share");
            System.out.printf("%s: %d fresh samples, worst type deviation over any 1,000 = %.4f, rehearsal %.3f "
                    + "(%.0f ms)%n", stage.name(), freshTypes.size(), worst, share, (System.nanoTime() - t0) / 1e6);
        }
    }

    /** Largest |count(type)/n − weight(type)| over every window of n consecutive samples and every type. */
    private static double worstWindowDeviation(List<String> types, Stage stage, int n) {
        Map<String, Integer> counts = new HashMap<>();
        double worst = 0;
        for (int i = 0; i < types.size(); i++) {
            counts.merge(types.get(i), 1, Integer::sum);
            if (i >= n) {
                counts.merge(types.get(i - n), -1, Integer::sum);
            }
            if (i >= n - 1) {
                for (String t : stage.weights().keySet()) {
                    worst = Math.max(worst, Math.abs(counts.getOrDefault(t, 0) / (double) n - stage.weight(t)));
                }
                for (String t : counts.keySet()) {
                    assertTrue(stage.weight(t) > 0 || counts.get(t) == 0, "unweighted type " + t + " drawn");
                }
            }
        }
        return worst;
    }

    @Test
    void batchesAreDrawnAtRandomFromTheBufferAndSpanManyScenes() {
        Stage one = stage("{\"weights\": {\"left_right\": 1}}");
        TypeMixer mixer = new TypeMixer(32, 512, 0, 3);
        List<TrainingExample> offered = new ArrayList<>();
        for (int i = 0; i < 512; i++) {
            TrainingExample e = example("left_right", i / 8); // 8 questions per scene, 64 scenes, in scene order
            offered.add(e);
            assertTrue(mixer.offer(e));
        }
        DrawnBatch first = mixer.poll(one).orElseThrow();
        Set<String> scenes = new HashSet<>();
        first.examples().forEach(e -> scenes.add(e.qaId().substring(0, e.qaId().indexOf('/'))));
        assertTrue(scenes.size() >= 20, "32 examples from " + scenes.size() + " scenes (FIFO would give 4)");
        assertFalse(offered.subList(0, 32).containsAll(first.examples()), "not the first 32 offered");
    }

    @Test
    void aFullBufferRefusesOffersUntilADrawMakesRoom() {
        Stage one = stage("{\"weights\": {\"height\": 1}}");
        TypeMixer mixer = new TypeMixer(8, 10, 0, 1);
        for (int i = 0; i < 10; i++) {
            assertTrue(mixer.offer(example("height", i)));
        }
        assertFalse(mixer.hasRoom("height"));
        assertFalse(mixer.offer(example("height", 99)), "full: backpressure");
        assertTrue(mixer.hasRoom("counting"), "buffers are per type");
        mixer.poll(one).orElseThrow();
        assertEquals(2, mixer.buffered("height"));
        assertTrue(mixer.offer(example("height", 100)));
    }

    @Test
    void strictWaitsForEveryWeightedTypeRelaxedFillsFromTheOthersWithoutABurstAfterwards() {
        Stage half = stage("{\"weights\": {\"left_right\": 1, \"goal_aim\": 1}}");
        TypeMixer mixer = new TypeMixer(32, 64, 0, 5);
        for (int i = 0; i < 64; i++) {
            mixer.offer(example("left_right", i));
        }
        for (int i = 0; i < 3; i++) {
            mixer.offer(example("goal_aim", i));
        }
        assertTrue(mixer.poll(half).isEmpty(), "goal_aim holds 3 of the 16 it needs");
        assertEquals(67, mixer.bufferedTotal(), "a refused draw takes nothing");
        DrawnBatch relaxed = mixer.pollRelaxed(half).orElseThrow();
        assertEquals(32, relaxed.size());
        assertFalse(relaxed.onPlan());
        assertEquals(Map.of("goal_aim", 3, "left_right", 29), relaxed.freshByType());
        for (int b = 0; b < 5; b++) {
            while (mixer.hasRoom("goal_aim")) {
                mixer.offer(example("goal_aim", 100 + b));
            }
            while (mixer.hasRoom("left_right")) {
                mixer.offer(example("left_right", 100 + b));
            }
            Map<String, Integer> byType = mixer.poll(half).orElseThrow().freshByType();
            assertTrue(Math.abs(byType.get("goal_aim") - 16) <= 1, "no catch-up burst: " + byType);
        }
    }

    @Test
    void drainGivesTheRemainderAndUnweightedTypesCanBeEvicted() {
        Stage lr = stage("{\"weights\": {\"left_right\": 1}}");
        TypeMixer mixer = new TypeMixer(8, 16, 0, 2);
        for (int i = 0; i < 5; i++) {
            mixer.offer(example("left_right", i));
            mixer.offer(example("counting", i));
        }
        assertTrue(mixer.pollRelaxed(lr).isEmpty(), "5 weighted examples: not a batch");
        DrawnBatch rest = mixer.drain(lr).orElseThrow();
        assertEquals(5, rest.size());
        assertEquals(Map.of("left_right", 5), rest.freshByType(), "counting has no weight in this stage");
        assertTrue(mixer.drain(lr).isEmpty());
        assertEquals(5, mixer.evictUnweighted(lr).size());
        assertEquals(0, mixer.bufferedTotal());
    }

    @Test
    void theReservoirIsAUniformBoundedSample() {
        int hits = 0;
        double meanIndex = 0;
        int trials = 200;
        for (int t = 0; t < trials; t++) {
            Reservoir<Integer> r = new Reservoir<>(50, t);
            for (int i = 0; i < 1000; i++) {
                r.offer(i);
            }
            assertEquals(50, r.size());
            assertEquals(1000, r.seen());
            for (int v : r.items()) {
                meanIndex += v;
                if (v < 100) {
                    hits++;
                }
            }
            List<Integer> sample = r.sample(20);
            assertEquals(20, new HashSet<>(sample).size(), "no repeats within a sample");
        }
        meanIndex /= trials * 50.0;
        // each of the 1,000 is held with probability 50/1000: the first 100 account for ~10 % of what is held
        assertEquals(0.10, hits / (trials * 50.0), 0.015);
        assertEquals(499.5, meanIndex, 15);
    }
}
