package dev.satflow.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import dev.satflow.trainer.data.AssembledBatch;
import dev.satflow.trainer.data.BatchAssembler;
import dev.satflow.trainer.data.TrainingExample;
import java.util.List;

/** Inference shared by the trainer and the stand-alone predictor: eval-mode forward, no autograd. */
public final class Scoring {

    /** The loss every part of satflow trains and evaluates with: softmax cross-entropy, sparse int64 labels. */
    public static Loss newLoss() {
        return Loss.softmaxCrossEntropyLoss();
    }

    /**
     * @param logits   {@code [n][maxChoices]}, padded slots negative infinity
     * @param meanLoss mean cross-entropy of the correct choices
     */
    public record Scored(float[][] logits, double meanLoss) {

        /** Index of the highest logit per example (ties go to the lower index). */
        public int[] predictions() {
            int[] out = new int[logits.length];
            for (int i = 0; i < logits.length; i++) {
                int best = 0;
                for (int c = 1; c < logits[i].length; c++) {
                    if (logits[i][c] > logits[i][best]) {
                        best = c;
                    }
                }
                out[i] = best;
            }
            return out;
        }
    }

    private Scoring() {
    }

    /**
     * Scores {@code examples} in chunks of {@code batchSize} (memory stays bounded for any list length), each
     * chunk's tensors in a sub-manager of {@code parent} that is closed right after.
     */
    public static Scored score(Block block, NDManager parent, BatchAssembler assembler, Loss loss,
            List<TrainingExample> examples, int batchSize) {
        int maxChoices = assembler.config().maxChoices();
        float[][] out = new float[examples.size()][];
        double lossSum = 0;
        try (GradMode noGrad = GradMode.disabled()) {
            for (int from = 0; from < examples.size(); from += batchSize) {
                List<TrainingExample> chunk = examples.subList(from, Math.min(examples.size(), from + batchSize));
                try (NDManager step = parent.newSubManager()) {
                    AssembledBatch batch = assembler.assemble(chunk, step);
                    NDArray logits = block.forward(new ParameterStore(step, false), batch.inputs(), false).head();
                    lossSum += (double) loss.evaluate(new NDList(batch.labels()), new NDList(logits)).getFloat()
                            * chunk.size();
                    float[] flat = logits.toFloatArray();
                    for (int i = 0; i < chunk.size(); i++) {
                        float[] row = new float[maxChoices];
                        System.arraycopy(flat, i * maxChoices, row, 0, maxChoices);
                        out[from + i] = row;
                    }
                }
            }
        }
        return new Scored(out, examples.isEmpty() ? 0 : lossSum / examples.size());
    }
}
