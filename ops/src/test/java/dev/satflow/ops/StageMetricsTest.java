package dev.satflow.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.core.metrics.Metrics;
import dev.satflow.schema.EvalReport;
import dev.satflow.schema.TypeScore;
import dev.satflow.trainer.StepResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The trainer's and evaluator's gauges: what they read after steps and reports, in valid exposition text. */
class StageMetricsTest {
    private static final long S = 1_000_000_000L;

    @Test
    void samplesPerSecondAveragesTheLastWindowAndDecaysWhenTrainingStops() {
        AtomicLong now = new AtomicLong(1000 * S);
        StageMetrics.TrainGauges g = new StageMetrics.TrainGauges(new SimpleMeterRegistry(), now::get);
        assertTrue(Double.isNaN(g.samplesPerSecond()), "no step yet");
        g.step(new StepResult(1, 2.0f, 0.25f, 32));
        now.addAndGet(2 * S);
        g.step(new StepResult(2, 1.8f, 0.5f, 32));
        assertEquals(32.0, g.samplesPerSecond(), 1e-9, "64 examples in the 2 s since the first step");
        for (int i = 0; i < 20; i++) { // 40 s more at 16 examples/s
            now.addAndGet(2 * S);
            g.step(new StepResult(3 + i, 1.5f, 0.5f, 32));
        }
        assertEquals(16.0, g.samplesPerSecond(), 1e-9, "the last 30 s: 15 steps of 32 examples");
        now.addAndGet(60 * S);
        assertEquals(0.0, g.samplesPerSecond(), 1e-9, "nothing trained in the last window");
    }

    @Test
    void trainAndEvalGaugesAppearInTheScrapeWithTheirValues() {
        try (Metrics metrics = new Metrics()) {
            StageMetrics.trained(metrics.registry(), new StepResult(7, 1.25f, 0.5f, 16, 0.001f, new float[0],
                    new boolean[0]));
            StageMetrics.evaluated(metrics.registry(), report(120, 0.75f, Map.of("left_right", 0.8f, "depth", 0.6f)));
            Map<String, PrometheusText.Family> m = PrometheusText.parse(metrics.scrape());
            assertEquals(1.25, one(m, "satflow_train_loss", Map.of()), 1e-6);
            assertEquals(0.5, one(m, "satflow_train_batch_accuracy", Map.of()), 1e-6);
            assertEquals(0.001, one(m, "satflow_train_learning_rate", Map.of()), 1e-9);
            assertTrue(m.containsKey("satflow_train_samples_per_second"));
            assertEquals("gauge", m.get("satflow_eval_accuracy").type());
            assertEquals(0.75, one(m, "satflow_eval_accuracy", Map.of("type", "all")), 1e-6);
            assertEquals(0.8, one(m, "satflow_eval_accuracy", Map.of("type", "left_right")), 1e-6);
            assertEquals(0.6, one(m, "satflow_eval_accuracy", Map.of("type", "depth")), 1e-6);
            assertEquals(0.5, one(m, "satflow_eval_chance", Map.of("type", "depth")), 1e-6);
            assertEquals(0.5, one(m, "satflow_eval_circular_accuracy", Map.of("type", "depth")), 1e-6);
            assertEquals(120, one(m, "satflow_eval_checkpoint_step", Map.of()));

            // the next report replaces the rows: a type it lacks is gone, not stale
            StageMetrics.evaluated(metrics.registry(), report(240, 0.9f, Map.of("left_right", 0.95f)));
            m = PrometheusText.parse(metrics.scrape());
            assertEquals(0.95, one(m, "satflow_eval_accuracy", Map.of("type", "left_right")), 1e-6);
            assertFalse(m.get("satflow_eval_accuracy").sample("satflow_eval_accuracy", Map.of("type", "depth"))
                    .isPresent(), "depth was not in the last report");
            assertEquals(240, one(m, "satflow_eval_checkpoint_step", Map.of()));
        }
    }

    private static EvalReport report(long step, float accuracy, Map<String, Float> byType) {
        List<TypeScore> scores = byType.entrySet().stream().map(e -> TypeScore.newBuilder()
                .setQuestionType(e.getKey()).setCount(10).setCorrect(Math.round(10 * e.getValue()))
                .setAccuracy(e.getValue()).setChance(0.5f).setCircularAccuracy(e.getValue() - 0.1f).build()).toList();
        return EvalReport.newBuilder().setCheckpointId("run-1/step-" + step).setRunId("run-1").setStep(step)
                .setSplit("test").setScores(scores).setAccuracy(accuracy).setChance(0.5f).setCount(10 * scores.size())
                .setReportPath("/tmp/r").setCreatedAtMs(1).build();
    }

    private static double one(Map<String, PrometheusText.Family> m, String name, Map<String, String> labels) {
        PrometheusText.Family f = m.get(name);
        assertTrue(f != null, name + " missing from " + m.keySet());
        return f.sample(name, labels).orElseThrow(() -> new AssertionError(name + labels + " missing")).value();
    }
}
