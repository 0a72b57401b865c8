package dev.satflow.trainer.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stage switches happen exactly at a stage's step count or on the step that meets its condition. */
class PlanCursorTest {

    private static final MixingPlan PLAN = MixingPlan.parse("""
            {"stages": [
              {"name": "fixed", "steps": 7, "weights": {"static": 1},
               "lr": {"schedule": "warmup", "peak": 0.01, "warmup": 4}},
              {"name": "until-left-right", "until": {"metric": "train_accuracy", "type": "left_right", "above": 0.75,
               "window": 8}, "weights": {"left_right": 1, "ego_movement": 1}},
              {"name": "until-loss", "until": {"metric": "loss", "below": 0.5, "window": 4}, "steps": 50,
               "weights": {"dynamic": 1}},
              {"name": "last", "steps": 3, "weights": {"static": 1},
               "lr": {"schedule": "cosine", "peak": 0.01, "floor": 0.001, "decay_steps": 4}}
            ]}""", "test");

    @Test
    void aFixedLengthStageEndsExactlyAtItsStepCount() {
        PlanCursor c = new PlanCursor(PLAN);
        for (int s = 1; s <= 6; s++) {
            assertFalse(c.afterStep(List.of("left_right"), new float[] {1f}, new boolean[] {true}), "step " + s);
            assertEquals(0, c.stageIndex());
        }
        assertTrue(c.afterStep(List.of("left_right"), new float[] {1f}, new boolean[] {true}), "the 7th step ends it");
        assertEquals(1, c.stageIndex());
        assertEquals(0, c.stepsInStage());
    }

    @Test
    void anUntilStageEndsOnTheStepThatMeetsItsConditionOverItsWindowOfMatchingExamples() {
        PlanCursor c = atStage(1);
        // each step: 2 left_right examples (the condition's type) and 2 ego_movement ones (ignored, always right)
        boolean[][] leftRight = {{false, false}, {true, false}, {true, true}, {true, true}, {true, true},
                {true, true}};
        // window of 8 left_right examples: after step 4 it holds 0,0,1,0,1,1,1,1 = 5/8; after step 5: 1,0,1,1,1,1,1,1
        // = 7/8 > 0.75 -> step 5 is the stage's last
        for (int s = 0; s < leftRight.length; s++) {
            boolean switched = c.afterStep(List.of("left_right", "ego_movement", "left_right", "ego_movement"),
                    new float[] {1, 1, 1, 1}, new boolean[] {leftRight[s][0], true, leftRight[s][1], true});
            if (s < 4) {
                assertFalse(switched, "step " + (s + 1) + ": window mean " + c.windowMean());
                assertEquals(1, c.stageIndex());
            } else {
                assertTrue(switched, "step 5 meets 7/8 > 0.75");
                assertEquals(2, c.stageIndex());
                return;
            }
        }
    }

    @Test
    void aLossConditionOrTheStepCapEndsTheStage() {
        PlanCursor c = atStage(2);
        assertFalse(c.afterStep(List.of("goal_aim", "goal_aim"), new float[] {0.2f, 0.2f}, new boolean[2]),
                "window (4) not full");
        assertTrue(c.afterStep(List.of("goal_aim", "goal_aim"), new float[] {0.4f, 0.6f}, new boolean[2]),
                "mean 0.35 < 0.5");
        assertEquals(3, c.stageIndex());

        PlanCursor capped = atStage(2);
        for (int s = 1; s < 50; s++) {
            assertFalse(capped.afterStep(List.of("goal_aim"), new float[] {2f}, new boolean[1]));
        }
        assertTrue(capped.afterStep(List.of("goal_aim"), new float[] {2f}, new boolean[1]), "steps: 50 caps it");
    }

    @Test
    void theLastStageNeverEndsAndItsScheduleHoldsTheFloor() {
        PlanCursor c = atStage(3);
        float[] rates = new float[6];
        for (int s = 0; s < 6; s++) {
            rates[s] = c.learningRate(1f);
            assertFalse(c.afterStep(List.of("height"), new float[] {1f}, new boolean[1]));
            assertEquals(3, c.stageIndex());
        }
        assertTrue(c.finished());
        assertEquals(0.01f, rates[0], 1e-7f);
        assertEquals(0.001f + 0.009f * 0.5f * (1f + (float) Math.cos(Math.PI / 4)), rates[1], 1e-7f);
        assertEquals(0.0055f, rates[2], 1e-7f, "half way down the cosine");
        assertEquals(0.001f, rates[4], 1e-9f, "the floor after decay_steps");
        assertEquals(0.001f, rates[5], 1e-9f);
    }

    @Test
    void warmUpRisesLinearlyToThePeakThenHolds() {
        PlanCursor c = new PlanCursor(PLAN);
        float[] expected = {0.0025f, 0.005f, 0.0075f, 0.01f, 0.01f, 0.01f, 0.01f};
        for (float e : expected) {
            assertEquals(e, c.learningRate(0.5f), 1e-7f, "the stage's peak wins over the run's rate");
            c.afterStep(List.of("height"), new float[] {1f}, new boolean[1]);
        }
        assertEquals(0.5f, c.learningRate(0.5f), 0f, "stage 1 sets no lr: the run's rate, constant");
        assertEquals(0.3f, LrSchedule.CONSTANT.rate(1000, 0, 0.3f), 0f);
    }

    @Test
    void stateRestoresTheSamePositionAndWindow() {
        PlanCursor c = atStage(1);
        c.afterStep(List.of("left_right", "left_right", "left_right"), new float[3], new boolean[] {true, false, true});
        PlanCursor.State saved = c.state();
        assertEquals(1, saved.stage());
        assertEquals(1, saved.stepsInStage());
        assertArrayEquals(new double[] {1, 0, 1}, saved.window());
        PlanCursor restored = PlanCursor.restore(PLAN, saved);
        for (PlanCursor x : List.of(c, restored)) {
            assertFalse(x.afterStep(Collections.nCopies(4, "left_right"), new float[4], new boolean[] {true, true,
                    true, true}), "7 of 8 in the window: not full yet");
            assertTrue(x.afterStep(List.of("left_right"), new float[1], new boolean[] {true}), "7/8 > 0.75");
        }
    }

    @Test
    void aRestoredIndexBeyondAShorterPlanLandsInItsLastStage() {
        MixingPlan one = MixingPlan.parse("{\"stages\": [{\"weights\": {\"static\": 1}}]}", "one");
        PlanCursor c = PlanCursor.restore(one, new PlanCursor.State(3, 10, false, new double[0]));
        assertEquals(0, c.stageIndex());
    }

    private static PlanCursor atStage(int index) {
        return PlanCursor.restore(PLAN, new PlanCursor.State(index, 0, false, new double[0]));
    }
}
