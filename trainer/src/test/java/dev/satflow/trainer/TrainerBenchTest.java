package dev.satflow.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TrainerBenchTest {

    @Test
    void measuresPureAndFullStepsInOneRun() {
        TrainerBench.Result result = TrainerBench.run(new TrainerBench.Config(64, 128, 16, 2, 6, 0.5, 3));
        assertTrue(result.pureSamplesPerSecond() > 0);
        assertTrue(result.fullSamplesPerSecond() > 0);
        assertEquals(result.fullSamplesPerSecond() / result.pureSamplesPerSecond(), result.fullToPureRatio(), 1e-9);
        assertTrue(result.assembleMillisMedian() > 0);
        assertTrue(result.parameters() > 100_000);
        assertTrue(Float.isFinite(result.lastLoss()));
        assertTrue(result.toJson().contains("\"fullToPureRatio\":"), result.toJson());
    }
}
