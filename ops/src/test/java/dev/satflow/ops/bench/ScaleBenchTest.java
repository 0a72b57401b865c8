package dev.satflow.ops.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The 20K extrapolation: the largest run's rate, and a line that pays start-up once. */
class ScaleBenchTest {
    private static ScaleBench.Run run(int scenes, double wall) {
        return new ScaleBench.Run(scenes, 5L * scenes, 25L * scenes, wall, List.of(), Map.of(), 0);
    }

    @Test
    void aLineThroughTheRunsSeparatesStartUpFromPerSceneCost() {
        // 30 s of start-up, then 0.08 s per scene, exactly
        ScaleBench.Result r = new ScaleBench.Result(2, "gl", 512, 100, 50,
                List.of(run(500, 70), run(1000, 110), run(2000, 190)));
        assertEquals(30, r.fit()[0], 1e-9);
        assertEquals(0.08, r.fit()[1], 1e-12);
        assertEquals((30 + 0.08 * 20_000) / 60, r.minutesFor20kFitted(), 1e-9);
        // the largest run's average rate charges its start-up to every scene: 0.095 s/scene
        assertEquals(0.095 * 20_000 / 60, r.minutesFor20k(), 1e-9);
        assertEquals(0.095 / 0.14, r.growth(), 1e-12);
    }

    @Test
    void noisyRunsGetTheLeastSquaresLine() {
        ScaleBench.Result r = new ScaleBench.Result(2, "gl", 512, 100, 50,
                List.of(run(500, 64), run(1000, 107), run(2000, 198)));
        // by hand: mean scenes 1166.7, mean wall 123; slope 104500 / 1166667
        assertEquals(104_500.0 / 1_166_666.667, r.fit()[1], 1e-6);
        assertEquals(123 - r.fit()[1] * 3500.0 / 3, r.fit()[0], 1e-6);
    }
}
