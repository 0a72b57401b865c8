package dev.satflow.trainer;

/**
 * Inference-mode quality on a list of examples.
 *
 * @param examples how many were scored
 * @param loss     mean softmax cross-entropy over the real choices
 * @param accuracy fraction whose highest-scoring choice is the correct one
 */
public record EvalResult(int examples, double loss, double accuracy) {
}
