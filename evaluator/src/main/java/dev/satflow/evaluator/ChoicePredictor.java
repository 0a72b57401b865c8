package dev.satflow.evaluator;

import dev.satflow.trainer.QaPredictor;
import dev.satflow.trainer.data.TrainingExample;
import java.nio.file.Path;
import java.util.List;

/**
 * What the evaluator needs of a model: the index of the option it picks for each example, in the order
 * the example lists its options. A checkpoint ({@link #load}) is one; tests hand in functions.
 */
@FunctionalInterface
public interface ChoicePredictor {
    int[] predict(List<TrainingExample> examples);

    /**
     * The examples as this predictor will see them, prepared once per question before its options are
     * rotated, so work every order shares (decoding images, drawing marks) is not repeated per order.
     * Must not change any answer. The default prepares nothing.
     */
    default List<TrainingExample> prepare(List<TrainingExample> examples) {
        return examples;
    }

    /** A predictor holding resources (a loaded checkpoint). */
    interface Loaded extends ChoicePredictor, AutoCloseable {
        @Override
        void close();
    }

    /**
     * Loads a checkpoint folder ({@code model.json}, parameters) for inference on the CPU; it prepares
     * examples by decoding their images once at the model's input size ({@link ModelInputs}).
     */
    static Loaded load(Path checkpointDir) {
        QaPredictor p = QaPredictor.load(checkpointDir);
        ModelInputs inputs = new ModelInputs(p.config().imageSize());
        return new Loaded() {
            @Override
            public int[] predict(List<TrainingExample> examples) {
                return p.predict(examples);
            }

            @Override
            public List<TrainingExample> prepare(List<TrainingExample> examples) {
                return inputs.shrinkAll(examples);
            }

            @Override
            public void close() {
                p.close();
            }
        };
    }
}
