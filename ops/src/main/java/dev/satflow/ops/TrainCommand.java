package dev.satflow.ops;

import dev.satflow.core.config.Config;
import dev.satflow.core.metrics.Metrics;
import dev.satflow.ops.stages.Stages;
import dev.satflow.trainer.stream.TrainerService;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The streaming trainer: batches drawn from satflow.qa.v2 as a mixing plan says, checkpoints announced on Kafka;
 * {@code --steps 0} trains continuously, a restart with the same run id resumes.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the spatial QA model from the train split of satflow.qa.v2, writing checkpoints "
                + "and announcing them on satflow.checkpoints.v1. A run with the same --run-id resumes.")
final class TrainCommand implements Callable<Integer> {
    @Mixin
    StackOptions stack;

    @Option(names = "--steps", paramLabel = "N", description = "Steps in all (default 2000; 0 = until Ctrl-C).")
    Long steps;

    @Option(names = "--max-steps", paramLabel = "N", description = "Same as --steps (smoke runs).")
    Long maxSteps;

    @Option(names = "--run-id", paramLabel = "ID") String runId;
    @Option(names = "--batch", paramLabel = "N") Integer batch;
    @Option(names = "--plan", paramLabel = "FILE", description = "Mixing plan (JSON or YAML; default: the built-in "
            + "plan, see the README).")
    Path plan;
    @Option(names = "--dynamic-fraction", paramLabel = "F", description = "Override every plan stage's share of "
            + "dynamic questions.")
    Double dynamicFraction;
    @Option(names = "--reservoir", paramLabel = "N", description = "Older examples kept for rehearsal (default 256).")
    Integer reservoir;
    @Option(names = "--learning-rate", paramLabel = "LR") Double learningRate;
    @Option(names = "--checkpoint-every", paramLabel = "N") Integer checkpointEvery;
    @Option(names = "--passes", paramLabel = "N", description = "Reads of the topic when caught up (0 = no limit).")
    Integer passes;
    @Option(names = "--image-size", paramLabel = "PX") Integer imageSize;
    @Option(names = "--out", paramLabel = "DIR", description = "Folder for checkpoints (default satflow-out).")
    Path out;

    static Map<String, Object> trainFlags(Long steps, String runId, Integer batch, Double dynamicFraction,
            Double learningRate, Integer checkpointEvery, Integer passes, Integer imageSize) {
        Map<String, Object> f = new HashMap<>();
        f.put("train.steps", steps);
        f.put("train.run-id", runId);
        f.put("train.batch", batch);
        f.put("train.dynamic-fraction", dynamicFraction);
        f.put("train.learning-rate", learningRate);
        f.put("train.checkpoint-every", checkpointEvery);
        f.put("train.passes", passes);
        f.put("train.image-size", imageSize);
        return f;
    }

    @Override
    public Integer call() {
        Map<String, Object> flags = trainFlags(maxSteps != null ? maxSteps : steps, runId, batch, dynamicFraction,
                learningRate, checkpointEvery, passes, imageSize);
        flags.put("out", out);
        flags.put("train.plan", plan);
        flags.put("train.reservoir", reservoir);
        Config config = stack.load(flags);
        AtomicReference<TrainerService> running = new AtomicReference<>();
        // SIGTERM: the trainer finishes its step, writes and announces a final checkpoint, then the JVM exits
        GracefulStop stop = GracefulStop.install("train", Duration.ofSeconds(60), () -> {
            TrainerService t = running.get();
            if (t != null) {
                t.close();
            }
        });
        try (Cluster cluster = Cluster.connect(config); Metrics metrics = stack.metrics(config, cluster)) {
            TrainerService.Settings s = Stages.train(config, cluster.bootstrap());
            TrainerService trainer = new TrainerService(s, cluster.topics(), metrics.registry(), Clock.systemUTC());
            running.set(trainer);
            Progress progress = new Progress(System.err, "train steps", s.steps());
            TrainerService.Summary sum = trainer.run(step -> { progress.update(step.step()); StageMetrics.trained(metrics.registry(), step); });
            progress.done();
            System.out.printf(Locale.ROOT, "trained %d steps on %d examples (%d static, %d dynamic, %d rehearsed), "
                    + "%.0f samples/s; last loss %.4f accuracy %.3f; plan stage %d '%s'; %d checkpoint(s)%s%n",
                    sum.steps(), sum.examples(), sum.staticExamples(), sum.dynamicExamples(), sum.rehearsedExamples(),
                    sum.samplesPerSecond(), sum.lastLoss(), sum.lastAccuracy(), sum.stageIndex(), sum.stageName(),
                    sum.checkpoints().size(), sum.resumed() ? " (resumed)" : "");
            sum.checkpoints().forEach(cp -> System.out.println("  " + cp.getCheckpointId() + " -> " + cp.getPath()));
        } finally {
            stop.finished();
        }
        return 0;
    }
}
