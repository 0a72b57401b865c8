package dev.satflow.trainer;

import ai.djl.ndarray.NDManager;
import dev.satflow.trainer.data.AssembledBatch;
import dev.satflow.trainer.data.BatchAssembler;
import dev.satflow.trainer.data.TextEncoder;
import dev.satflow.trainer.data.TrainingExample;
import dev.satflow.trainer.model.ModelConfig;
import dev.satflow.trainer.synth.SyntheticSpatialTasks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures, in one run, (a) the pure optimisation step on ready tensors and (b) the full step from
 * {@link TrainingExample}s (PNG decode + resample + tokenise + assemble + step), as medians over individually
 * timed steps. The two kinds of step alternate, so slow drifts of a noisy machine hit both alike. Examples come
 * from {@link SyntheticSpatialTasks} at the renderer's frame size, half of them two-image questions.
 *
 * <p>Command line: {@code TrainerBench [imageSize=64] [sourceImageSize=256] [batch=32] [warmup=10] [steps=40]
 * [dynamicFraction=0.5] [seed=7]}; prints one line of JSON.
 */
public final class TrainerBench {

    private static final Logger log = LoggerFactory.getLogger(TrainerBench.class);
    /** Distinct pre-generated batches cycled through, so decoding never hits a warm cache of one image. */
    private static final int DISTINCT_BATCHES = 6;

    private TrainerBench() {
    }

    /**
     * @param imageSize       model input side (64 default, 96 larger)
     * @param sourceImageSize side of the PNGs fed in (the renderer's default frame is 256)
     */
    public record Config(int imageSize, int sourceImageSize, int batchSize, int warmupSteps, int timedSteps,
            double dynamicFraction, long seed) {

        public Config {
            if (batchSize <= 0 || warmupSteps < 0 || timedSteps <= 0) {
                throw new IllegalArgumentException("batchSize and timedSteps must be positive");
            }
        }

        public static Config defaults() {
            return new Config(64, 256, 32, 10, 40, 0.5, 7L);
        }
    }

    /**
     * @param pureSamplesPerSecond   batch / median pure step time
     * @param fullSamplesPerSecond   batch / median full step time
     * @param fullToPureRatio        full / pure throughput (1.0 = input preparation costs nothing)
     * @param assembleMillisMedian   median time to decode + tokenise + assemble one batch on its own
     * @param warmFullSamplesPerSecond the full step when every image is in the trainer's decoded-image cache (a
     *                               question seen before: the next pass, a rehearsal), batch / median time
     */
    public record Result(Config config, long parameters, int libtorchThreads, double pureSamplesPerSecond,
            double fullSamplesPerSecond, double fullToPureRatio, double pureMillisMedian, double fullMillisMedian,
            double assembleMillisMedian, double warmFullSamplesPerSecond, double warmFullMillisMedian,
            float lastLoss) {

        public double warmFullToPureRatio() {
            return warmFullSamplesPerSecond / pureSamplesPerSecond;
        }

        public String toJson() {
            return String.format(Locale.ROOT,
                    "{\"imageSize\":%d,\"sourceImageSize\":%d,\"batch\":%d,\"timedSteps\":%d,\"parameters\":%d,"
                            + "\"libtorchThreads\":%d,\"pureSamplesPerSecond\":%.1f,\"fullSamplesPerSecond\":%.1f,"
                            + "\"fullToPureRatio\":%.3f,\"pureMillisMedian\":%.2f,\"fullMillisMedian\":%.2f,"
                            + "\"assembleMillisMedian\":%.2f,\"warmFullSamplesPerSecond\":%.1f,"
                            + "\"warmFullMillisMedian\":%.2f,\"warmFullToPureRatio\":%.3f,\"lastLoss\":%.4f}",
                    config.imageSize(), config.sourceImageSize(), config.batchSize(), config.timedSteps(), parameters,
                    libtorchThreads, pureSamplesPerSecond, fullSamplesPerSecond, fullToPureRatio, pureMillisMedian,
                    fullMillisMedian, assembleMillisMedian, warmFullSamplesPerSecond, warmFullMillisMedian,
                    warmFullToPureRatio(), lastLoss);
        }
    }

    public static Result run(Config config) {
        List<List<TrainingExample>> batches = syntheticBatches(config);
        ModelConfig modelConfig = ModelConfig.withImageSize(config.imageSize());
        // "full" decodes every image (the cache off: these batches repeat, and a first pass over new data misses);
        // "warm" takes every image from a cache that has seen them all
        TrainerConfig cold = TrainerConfig.defaults().withSeed(config.seed()).withDecodeCacheBytes(0);
        try (ModelTrainer trainer = ModelTrainer.create(modelConfig, cold);
                BatchAssembler warm = new BatchAssembler(modelConfig, new TextEncoder(modelConfig), 0,
                        TrainerConfig.DEFAULT_DECODE_CACHE_BYTES);
                NDManager ready = trainer.manager().newSubManager()) {
            BatchAssembler assembler = trainer.assembler();
            List<AssembledBatch> assembled = new ArrayList<>();
            for (List<TrainingExample> batch : batches) {
                assembled.add(assembler.assemble(batch, ready));
                try (NDManager scratch = trainer.manager().newSubManager()) {
                    warm.assemble(batch, scratch);
                }
            }
            int total = config.warmupSteps() + config.timedSteps();
            double[] pure = new double[config.timedSteps()];
            double[] full = new double[config.timedSteps()];
            double[] warmFull = new double[config.timedSteps()];
            float lastLoss = 0;
            for (int i = 0; i < total; i++) {
                long t0 = System.nanoTime();
                trainer.trainStep(assembled.get(i % assembled.size()));
                long t1 = System.nanoTime();
                lastLoss = trainer.trainStep(batches.get((i + 1) % batches.size())).loss();
                long t2 = System.nanoTime();
                try (NDManager step = trainer.manager().newSubManager()) {
                    trainer.trainStep(warm.assemble(batches.get((i + 2) % batches.size()), step));
                }
                long t3 = System.nanoTime();
                if (i >= config.warmupSteps()) {
                    pure[i - config.warmupSteps()] = (t1 - t0) / 1e6;
                    full[i - config.warmupSteps()] = (t2 - t1) / 1e6;
                    warmFull[i - config.warmupSteps()] = (t3 - t2) / 1e6;
                }
            }
            double[] assemble = new double[Math.max(5, config.timedSteps() / 2)];
            for (int i = 0; i < assemble.length; i++) {
                try (NDManager scratch = trainer.manager().newSubManager()) {
                    long t0 = System.nanoTime();
                    assembler.assemble(batches.get(i % batches.size()), scratch);
                    assemble[i] = (System.nanoTime() - t0) / 1e6;
                }
            }
            double pureMs = median(pure);
            double fullMs = median(full);
            double pureRate = config.batchSize() * 1000.0 / pureMs;
            double fullRate = config.batchSize() * 1000.0 / fullMs;
            double warmMs = median(warmFull);
            return new Result(config, trainer.parameterCount(), libtorchThreads(), pureRate, fullRate,
                    fullRate / pureRate, pureMs, fullMs, median(assemble), config.batchSize() * 1000.0 / warmMs, warmMs,
                    lastLoss);
        }
    }

    private static List<List<TrainingExample>> syntheticBatches(Config config) {
        SyntheticSpatialTasks tasks = new SyntheticSpatialTasks(config.sourceImageSize(), config.seed());
        int dynamicPerBatch = (int) Math.round(config.batchSize() * config.dynamicFraction());
        List<List<TrainingExample>> batches = new ArrayList<>();
        for (int b = 0; b < DISTINCT_BATCHES; b++) {
            List<TrainingExample> batch = new ArrayList<>();
            for (int i = 0; i < config.batchSize(); i++) {
                batch.add(i < dynamicPerBatch ? tasks.moved() : tasks.leftRight());
            }
            batches.add(batch);
        }
        return batches;
    }

    private static int libtorchThreads() {
        try {
            return ai.djl.pytorch.jni.JniUtils.getNumThreads();
        } catch (RuntimeException | LinkageError e) {
            return -1;
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    public static void main(String[] args) {
        Config d = Config.defaults();
        int imageSize = d.imageSize();
        int source = d.sourceImageSize();
        int batch = d.batchSize();
        int warmup = d.warmupSteps();
        int steps = d.timedSteps();
        double dynamic = d.dynamicFraction();
        long seed = d.seed();
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("expected key=value, got " + arg);
            }
            switch (kv[0]) {
                case "imageSize" -> imageSize = Integer.parseInt(kv[1]);
                case "sourceImageSize" -> source = Integer.parseInt(kv[1]);
                case "batch" -> batch = Integer.parseInt(kv[1]);
                case "warmup" -> warmup = Integer.parseInt(kv[1]);
                case "steps" -> steps = Integer.parseInt(kv[1]);
                case "dynamicFraction" -> dynamic = Double.parseDouble(kv[1]);
                case "seed" -> seed = Long.parseLong(kv[1]);
                default -> throw new IllegalArgumentException("unknown option " + kv[0]);
            }
        }
        Result result = run(new Config(imageSize, source, batch, warmup, steps, dynamic, seed));
        log.info("pure {} samples/s, full {} samples/s (ratio {})",
                String.format(Locale.ROOT, "%.0f", result.pureSamplesPerSecond()),
                String.format(Locale.ROOT, "%.0f", result.fullSamplesPerSecond()),
                String.format(Locale.ROOT, "%.2f", result.fullToPureRatio()));
        System.out.println(result.toJson());
    }
}
