package dev.satflow.trainer;

/**
 * Outcome of one optimisation step.
 *
 * @param step     1-based count of steps this trainer has taken (continues across resume)
 * @param loss     mean softmax cross-entropy over the real choices
 * @param accuracy fraction of the batch whose highest-scoring choice was the correct one (before the update)
 * @param size     examples in the batch
 */
public record StepResult(long step, float loss, float accuracy, int size) {
}
