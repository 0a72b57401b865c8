package dev.satflow.trainer.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.trainer.data.Family;
import dev.satflow.trainer.data.QuestionCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MixingPlanTest {

    @TempDir
    Path dir;

    @Test
    void theDefaultPlanWarmsUpThenMixesWithRehearsal() {
        MixingPlan plan = MixingPlan.defaultPlan();
        assertEquals(2, plan.size());
        Stage warm = plan.stage(0);
        assertEquals(100, warm.steps());
        assertEquals(0.6, warm.familyShare(Family.STATIC), 1e-9);
        assertEquals(0.1, warm.weight("left_right"), 1e-9, "a family's weight is spread over its six types");
        assertEquals(LrSchedule.Kind.WARMUP, warm.lr().kind());
        Stage mixed = plan.stage(1);
        assertTrue(!mixed.bounded(), "the last stage runs open-ended");
        assertEquals(0.1, mixed.rehearsal(), 1e-9);
        assertEquals(0.5, mixed.familyShare(Family.DYNAMIC), 1e-9);
        assertEquals(12, mixed.weights().size());
        assertEquals(plan, MixingPlan.parse(plan.toJson(), "round trip"), "canonical JSON parses to the same plan");
    }

    @Test
    void weightsAreNormalisedMissingTypesGetZeroAndFamiliesAreDerived() {
        MixingPlan plan = MixingPlan.parse("""
                {"stages": [{"name": "a", "steps": 10, "weights": {"left_right": 3, "dynamic": 6, "perspective": 1}}]}
                """, "test");
        Stage s = plan.stage(0);
        assertEquals(0.3, s.weight("left_right"), 1e-9);
        assertEquals(0.0, s.weight("counting"), 0.0);
        assertEquals(0.1 + 0.1, s.weight("perspective"), 1e-9, "family share 0.6/6 plus its own 0.1");
        assertEquals(0.7, s.familyShare(Family.DYNAMIC), 1e-9);
        assertEquals(0.3, s.familyShare(Family.STATIC), 1e-9);
        assertEquals(LrSchedule.Kind.CONSTANT, s.lr().kind(), "constant by default");
        assertEquals(0.0, s.rehearsal(), 0.0);
    }

    @Test
    void untilConditionsParse() {
        MixingPlan plan = MixingPlan.parse("""
                {"stages": [
                  {"name": "ground", "until": {"metric": "train_accuracy", "type": "left_right", "above": 0.8,
                   "window": 200}, "steps": 5000, "weights": {"static": 1}},
                  {"name": "rest", "until": {"metric": "loss", "below": 0.3, "window": 64}, "weights": {"dynamic": 1},
                   "lr": {"schedule": "cosine", "peak": 0.002, "floor": 0.0002, "warmup": 10, "decay_steps": 100}}
                ]}""", "test");
        Until u = plan.stage(0).until();
        assertEquals(Until.Metric.TRAIN_ACCURACY, u.metric());
        assertEquals("left_right", u.type());
        assertTrue(u.above());
        assertEquals(200, u.window());
        assertEquals(5000, plan.stage(0).steps(), "steps with until: whichever comes first");
        Until loss = plan.stage(1).until();
        assertEquals(Until.Metric.LOSS, loss.metric());
        assertNull(loss.type());
        assertTrue(!loss.above() && loss.threshold() == 0.3);
    }

    @Test
    void mistakesFailNamingTheStageAndTheField() {
        assertMessage("stages[1] ('b'): weights: unknown question type 'left_rigth'", """
                {"stages": [{"name": "a", "steps": 1, "weights": {"static": 1}},
                            {"name": "b", "weights": {"left_rigth": 1}}]}""");
        assertMessage("stages[0] ('a') needs steps or until", """
                {"stages": [{"name": "a", "weights": {"static": 1}}, {"name": "b", "weights": {"static": 1}}]}""");
        assertMessage("unknown field 'step'", """
                {"stages": [{"name": "a", "step": 10, "weights": {"static": 1}}]}""");
        assertMessage("until: give exactly one of 'above' or 'below'", """
                {"stages": [{"until": {"metric": "loss", "window": 3}, "weights": {"static": 1}}]}""");
        assertMessage("until.metric = 'accuracy'", """
                {"stages": [{"until": {"metric": "accuracy", "above": 1, "window": 3}, "weights": {"static": 1}}]}""");
        assertMessage("rehearsal = 1.0", """
                {"stages": [{"weights": {"static": 1}, "rehearsal": 1.0}]}""");
        assertMessage("at least one question type needs a weight > 0", """
                {"stages": [{"weights": {"static": 0}}]}""");
        assertMessage("cosine schedule needs decay_steps", """
                {"stages": [{"weights": {"static": 1}, "lr": {"schedule": "cosine"}}]}""");
        assertMessage("lr.schedule = 'step'", """
                {"stages": [{"weights": {"static": 1}, "lr": {"schedule": "step"}}]}""");
        assertMessage("lr.floor = 0.1 is above peak = 0.01", """
                {"stages": [{"weights": {"static": 1}, "lr": {"schedule": "cosine", "peak": 0.01, "floor": 0.1,
                 "decay_steps": 5}}]}""");
        assertMessage("'stages' must be a non-empty list", "{\"stages\": []}");
    }

    @Test
    void loadsJsonAndYamlFiles() throws Exception {
        Path json = dir.resolve("plan.json");
        Files.writeString(json, MixingPlan.defaultPlanText());
        assertEquals(MixingPlan.defaultPlan(), MixingPlan.load(json));
        Path yaml = dir.resolve("plan.yaml");
        Files.writeString(yaml, """
                stages:
                  - name: warm-up
                    steps: 100
                    weights: {static: 0.6, dynamic: 0.4}
                    rehearsal: 0
                    lr: {schedule: warmup, warmup: 50}
                  - name: mixed
                    weights: {static: 0.5, dynamic: 0.5}
                    rehearsal: 0.1
                    lr: {schedule: cosine, decay_steps: 5000}
                """);
        assertEquals(MixingPlan.defaultPlan(), MixingPlan.load(yaml), "the default plan written as YAML");
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> MixingPlan.load(dir.resolve("nope.json")));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"stages\": [");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MixingPlan.load(broken)).getMessage()
                .contains("not valid JSON"));
    }

    @Test
    void theDynamicShareOverrideRescalesEveryStage() {
        MixingPlan plan = MixingPlan.parse("""
                {"stages": [{"steps": 3, "weights": {"left_right": 1, "height": 1, "goal_aim": 2}},
                            {"weights": {"counting": 1}}]}""", "test").withDynamicShare(0.25);
        Stage a = plan.stage(0);
        assertEquals(0.25, a.weight("goal_aim"), 1e-9);
        assertEquals(0.375, a.weight("left_right"), 1e-9, "within a family the plan's proportions stay");
        Stage b = plan.stage(1);
        assertEquals(0.75, b.weight("counting"), 1e-9);
        assertEquals(0.25 / QuestionCatalog.DYNAMIC.size(), b.weight("perspective"), 1e-9,
                "a family the stage left out is spread evenly");
    }

    private static void assertMessage(String expected, String json) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MixingPlan.parse(json, "p"));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }
}
