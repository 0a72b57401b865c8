package dev.satflow.trainer;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.training.loss.Loss;
import dev.satflow.trainer.data.BatchAssembler;
import dev.satflow.trainer.data.TrainingExample;
import dev.satflow.trainer.model.ModelConfig;
import dev.satflow.trainer.model.Scoring;
import dev.satflow.trainer.model.SpatialQaModel;
import java.nio.file.Path;
import java.util.List;

/**
 * Inference-only view of a checkpoint, for the evaluator and tools: no optimiser, no gradients.
 * Not thread-safe (it owns a {@link BatchAssembler}); use one per thread.
 */
public final class QaPredictor implements AutoCloseable {

    private static final int BATCH = 64;

    private final Model model;
    private final ModelConfig config;
    private final BatchAssembler assembler;
    private final CheckpointInfo info;
    private final Loss loss = Scoring.newLoss();

    private QaPredictor(Model model, ModelConfig config, CheckpointInfo info) {
        this.model = model;
        this.config = config;
        this.info = info;
        this.assembler = new BatchAssembler(config);
    }

    /** Loads {@code model.json} + parameters from a checkpoint directory onto the CPU. */
    public static QaPredictor load(Path checkpointDir) {
        return load(checkpointDir, Device.cpu());
    }

    public static QaPredictor load(Path checkpointDir, Device device) {
        ModelConfig config = Checkpoints.readConfig(checkpointDir);
        CheckpointInfo info = Checkpoints.readInfo(checkpointDir);
        Model model = Model.newInstance("satflow-qa", device, "PyTorch");
        try {
            SpatialQaModel block = new SpatialQaModel(config);
            model.setBlock(block);
            Checkpoints.loadParameters(checkpointDir, block, model.getNDManager());
            return new QaPredictor(model, config, info);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    public ModelConfig config() {
        return config;
    }

    public CheckpointInfo info() {
        return info;
    }

    /** Logits per example, {@code [n][maxChoices]}; padded choice slots are negative infinity. */
    public float[][] scores(List<TrainingExample> examples) {
        return score(examples).logits();
    }

    /** Predicted choice index per example. */
    public int[] predict(List<TrainingExample> examples) {
        return score(examples).predictions();
    }

    /** Loss and accuracy against the examples' correct answers. */
    public EvalResult evaluate(List<TrainingExample> examples) {
        Scoring.Scored scored = score(examples);
        return new EvalResult(examples.size(), scored.meanLoss(),
                ModelTrainer.accuracyOf(scored.predictions(), examples));
    }

    private Scoring.Scored score(List<TrainingExample> examples) {
        return Scoring.score(model.getBlock(), model.getNDManager(), assembler, loss, examples, BATCH);
    }

    @Override
    public void close() {
        assembler.close();
        model.close();
    }
}
