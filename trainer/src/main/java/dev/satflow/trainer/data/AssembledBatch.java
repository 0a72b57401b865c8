package dev.satflow.trainer.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * Model-ready tensors for one batch; they live in the manager passed to
 * {@link BatchAssembler#assemble} and die with it.
 *
 * @param inputs           the {@link dev.satflow.trainer.model.SpatialQaModel} inputs
 * @param labels           correct choice index per example, int64 {@code [B]}
 * @param size             number of examples B
 * @param twoImageExamples how many of them carry a second view
 * @param grounding        where each named object is, {@code [B, roles, cells]} float, rows summing to 1 where
 *                         the object is known (all zero elsewhere): the target of the grounding loss
 * @param boxes            each named object's box (x0, y0, x1, y1 as fractions of the image) and depth,
 *                         {@code [B, roles, 5]}: the targets of the box and depth losses; the box is zero where
 *                         the object is unknown, the depth negative where it is unknown
 * @param countDensity     for counting questions, how many counted objects each grid cell holds (each object's
 *                         box coverage, summing to 1 per object), {@code [B, cells]}: the counting head's target
 * @param counts           per example the count that density sums to, or -1 where there is none to teach
 *                         {@code [B]}
 */
public record AssembledBatch(NDList inputs, NDArray labels, int size, int twoImageExamples, NDArray grounding,
        NDArray boxes, NDArray countDensity, NDArray counts) {
}
