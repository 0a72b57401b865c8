package dev.satflow.trainer.data;

import java.util.List;

/**
 * One batch drawn by {@link StageMixer}.
 *
 * @param index          0-based number of this batch in the mixer's sequence
 * @param examples       the examples, families interleaved
 * @param staticCount    how many are static-family
 * @param dynamicCount   how many are dynamic-family
 * @param plannedDynamic how many dynamic examples the ratio asked for (differs from {@code dynamicCount} only in
 *                       batches drawn by {@link StageMixer#pollRelaxed} or {@link StageMixer#drain})
 */
public record MixedBatch(long index, List<TrainingExample> examples, int staticCount, int dynamicCount,
        int plannedDynamic) {

    public MixedBatch {
        examples = List.copyOf(examples);
    }

    public int size() {
        return examples.size();
    }

    /** True when the batch follows the planned ratio exactly. */
    public boolean onPlan() {
        return dynamicCount == plannedDynamic;
    }
}
