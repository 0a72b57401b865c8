package dev.satflow.trainer.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * Model-ready tensors for one batch; they live in the manager passed to
 * {@link BatchAssembler#assemble} and die with it.
 *
 * @param inputs           the six {@link dev.satflow.trainer.model.SpatialQaModel} inputs
 * @param labels           correct choice index per example, int64 {@code [B]}
 * @param size             number of examples B
 * @param twoImageExamples how many of them carry a second view
 */
public record AssembledBatch(NDList inputs, NDArray labels, int size, int twoImageExamples) {
}
