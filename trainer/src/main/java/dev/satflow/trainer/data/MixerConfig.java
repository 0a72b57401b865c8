package dev.satflow.trainer.data;

/**
 * How {@link StageMixer} composes batches.
 *
 * @param batchSize         examples per batch
 * @param dynamicFraction   share of dynamic-family examples per batch, 0..1 (e.g. 0.5)
 * @param capacityPerFamily bound of each family's buffer; at least {@code batchSize}
 * @param seed              fixes the order of examples inside each batch
 */
public record MixerConfig(int batchSize, double dynamicFraction, int capacityPerFamily, long seed) {

    public MixerConfig {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be positive");
        }
        if (!(dynamicFraction >= 0 && dynamicFraction <= 1)) {
            throw new IllegalArgumentException("dynamicFraction must be within [0, 1]");
        }
        if (capacityPerFamily < batchSize) {
            throw new IllegalArgumentException("capacityPerFamily must hold at least one batch");
        }
    }
}
