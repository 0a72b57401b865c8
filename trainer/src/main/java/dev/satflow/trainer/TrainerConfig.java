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
 */
public record TrainerConfig(long seed, float learningRate, float clipGradient, String device, int decodeThreads) {

    public TrainerConfig {
        if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be positive");
        }
        if (device == null || !(device.equals("cpu") || device.equals("gpu") || device.equals("auto"))) {
            throw new IllegalArgumentException("device must be cpu, gpu or auto: " + device);
        }
    }

    public static TrainerConfig defaults() {
        return new TrainerConfig(42L, 2e-3f, 5f, "cpu", 0);
    }

    public TrainerConfig withSeed(long newSeed) {
        return new TrainerConfig(newSeed, learningRate, clipGradient, device, decodeThreads);
    }

    public TrainerConfig withLearningRate(float newLearningRate) {
        return new TrainerConfig(seed, newLearningRate, clipGradient, device, decodeThreads);
    }
}
