package dev.satflow.trainer;

/**
 * How to optimise (not what to build: that is {@link dev.satflow.trainer.model.ModelConfig}).
 *
 * @param seed          seeds parameter initialisation; with a fixed libtorch thread count the same seed and data
 *                      give bit-identical losses
 * @param learningRate  Adam step size
 * @param clipGradient  element-wise gradient clip; 0 or less turns clipping off
 * @param device        "cpu" (default), "gpu" (first CUDA device, fails without one), or "auto" (the engine's
 *                      default: a GPU when a CUDA libtorch is provided, else CPU)
 * @param decodeThreads threads decoding PNGs during batch assembly (the caller's included); 0 = one per core.
 *                      Decoding runs while libtorch is idle, so using every core costs the step nothing
 * @param decodeCacheBytes decoded model-size images kept for questions trained on again (passes, rehearsal);
 *                      0 = off
 */
public record TrainerConfig(long seed, float learningRate, float clipGradient, String device, int decodeThreads,
        long decodeCacheBytes) {

    /** 256 MB: every image of a 300-scene demo at 64², a fifth of a 2,000-scene run's. */
    public static final long DEFAULT_DECODE_CACHE_BYTES = 256L << 20;

    public TrainerConfig {
        if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be positive");
        }
        if (device == null || !(device.equals("cpu") || device.equals("gpu") || device.equals("auto"))) {
            throw new IllegalArgumentException("device must be cpu, gpu or auto: " + device);
        }
        if (decodeCacheBytes < 0) {
            throw new IllegalArgumentException("decodeCacheBytes must be >= 0: " + decodeCacheBytes);
        }
    }

    public static TrainerConfig defaults() {
        return new TrainerConfig(42L, 2e-3f, 5f, "cpu", 0, DEFAULT_DECODE_CACHE_BYTES);
    }

    public TrainerConfig withSeed(long newSeed) {
        return new TrainerConfig(newSeed, learningRate, clipGradient, device, decodeThreads, decodeCacheBytes);
    }

    public TrainerConfig withDecodeCacheBytes(long bytes) {
        return new TrainerConfig(seed, learningRate, clipGradient, device, decodeThreads, bytes);
    }

    public TrainerConfig withLearningRate(float newLearningRate) {
        return new TrainerConfig(seed, newLearningRate, clipGradient, device, decodeThreads, decodeCacheBytes);
    }
}
