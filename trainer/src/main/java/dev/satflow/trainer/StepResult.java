package dev.satflow.trainer;

/**
 * Outcome of one optimisation step.
 *
 * @param step          1-based count of steps this trainer has taken (continues across resume)
 * @param loss          mean softmax cross-entropy over the real choices
 * @param accuracy      fraction of the batch whose highest-scoring choice was the correct one (before the update)
 * @param size          examples in the batch
 * @param learningRate  the step size the update used
 * @param exampleLosses each example's cross-entropy, in batch order (empty when not recorded)
 * @param exampleRight  whether each example's top choice was the correct one, in batch order
 */
public record StepResult(long step, float loss, float accuracy, int size, float learningRate, float[] exampleLosses,
        boolean[] exampleRight) {

    public StepResult(long step, float loss, float accuracy, int size) {
        this(step, loss, accuracy, size, Float.NaN, new float[0], new boolean[0]);
    }
}
