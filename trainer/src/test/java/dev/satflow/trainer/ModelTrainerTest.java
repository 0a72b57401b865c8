package dev.satflow.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.satflow.trainer.data.TrainingExample;
import dev.satflow.trainer.model.ModelConfig;
import dev.satflow.trainer.model.Scoring;
import dev.satflow.trainer.synth.SyntheticSpatialTasks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelTrainerTest {

    private static final float NEG_INF = Float.NEGATIVE_INFINITY;

    @Test
    void paddedChoicesNeverWinAndAddNoLoss() {
        SyntheticSpatialTasks tasks = new SyntheticSpatialTasks(64, 3);
        List<TrainingExample> batch = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            batch.add(tasks.colour(2 + i % 4)); // 2, 3, 4 and 5 choices side by side
        }
        try (ModelTrainer trainer = ModelTrainer.create(ModelConfig.defaults(), TrainerConfig.defaults())) {
            for (int s = 0; s < 3; s++) {
                StepResult r = trainer.trainStep(batch);
                assertTrue(Float.isFinite(r.loss()), "loss must stay finite with -inf padded logits");
            }
            float[][] scores = trainer.scores(batch);
            int[] predicted = trainer.predict(batch);
            double manualLoss = 0;
            for (int i = 0; i < batch.size(); i++) {
                int real = batch.get(i).choices().size();
                for (int c = 0; c < 5; c++) {
                    if (c < real) {
                        assertTrue(Float.isFinite(scores[i][c]));
                    } else {
                        assertEquals(NEG_INF, scores[i][c], "padded slot " + c + " of example " + i);
                    }
                }
                assertTrue(predicted[i] < real, "a padded slot was predicted");
                manualLoss += crossEntropy(scores[i], real, batch.get(i).correctIndex());
            }
            // The trained loss covers real choices only: it equals cross-entropy computed over them alone.
            assertEquals(manualLoss / batch.size(), trainer.evaluate(batch).loss(), 1e-4);
        }
    }

    @Test
    void paddedLogitsGetExactlyZeroGradient() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray logits = manager.create(new float[] {2f, 1f, NEG_INF, NEG_INF, NEG_INF,
                0.5f, 0.1f, 0.3f, -1f, 2f}, new ai.djl.ndarray.types.Shape(2, 5));
            logits.setRequiresGradient(true);
            NDArray labels = manager.create(new long[] {1, 4});
            float loss;
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray l = Scoring.newLoss().evaluate(new NDList(labels), new NDList(logits));
                collector.backward(l);
                loss = l.getFloat();
            }
            float[] grad = logits.getGradient().toFloatArray();
            for (int c = 2; c < 5; c++) {
                assertEquals(0f, grad[c], "gradient into padded slot " + c);
            }
            for (float g : grad) {
                assertTrue(Float.isFinite(g));
            }
            double expected = (crossEntropy(new float[] {2, 1}, 2, 1)
                    + crossEntropy(new float[] {0.5f, 0.1f, 0.3f, -1f, 2f}, 5, 4)) / 2;
            assertEquals(expected, loss, 1e-5);
        }
    }

    @Test
    void checkpointRoundTripGivesIdenticalLogits(@TempDir Path tmp) {
        SyntheticSpatialTasks tasks = new SyntheticSpatialTasks(64, 4);
        List<TrainingExample> heldOut = mixed(tasks, 24);
        Path dir = tmp.resolve("step-5");
        float[][] before;
        try (ModelTrainer trainer = ModelTrainer.create(ModelConfig.defaults(), TrainerConfig.defaults())) {
            for (int s = 0; s < 5; s++) {
                trainer.trainStep(mixed(tasks, 16));
            }
            before = trainer.scores(heldOut);
            trainer.saveCheckpoint(dir, Map.of("satflow.qa.v2/0", "1234"));
            assertThrows(IllegalArgumentException.class, () -> trainer.saveCheckpoint(dir, Map.of()),
                    "never overwrite a checkpoint");
        }
        assertTrue(Files.isRegularFile(dir.resolve(Checkpoints.MODEL_FILE)));
        assertEquals(ModelConfig.defaults(), Checkpoints.readConfig(dir));
        CheckpointInfo info = Checkpoints.readInfo(dir);
        assertEquals(5, info.step());
        assertEquals("1234", info.metadata().get("satflow.qa.v2/0"));

        try (QaPredictor predictor = QaPredictor.load(dir)) {
            float[][] after = predictor.scores(heldOut);
            for (int i = 0; i < before.length; i++) {
                assertArrayEquals(before[i], after[i], "logits of example " + i + " must be bit-identical");
            }
        }
        try (ModelTrainer resumed = ModelTrainer.resume(dir, TrainerConfig.defaults())) {
            assertEquals(5, resumed.step());
            float[][] again = resumed.scores(heldOut);
            for (int i = 0; i < before.length; i++) {
                assertArrayEquals(before[i], again[i]);
            }
            StepResult next = resumed.trainStep(mixed(tasks, 16));
            assertEquals(6, next.step());
            assertTrue(Float.isFinite(next.loss()));
        }
    }

    @Test
    void sameSeedGivesTheSameLossSequence() {
        List<List<TrainingExample>> batches = new ArrayList<>();
        SyntheticSpatialTasks tasks = new SyntheticSpatialTasks(64, 6);
        for (int i = 0; i < 6; i++) {
            batches.add(mixed(tasks, 16));
        }
        float[] first = losses(11L, batches);
        float[] second = losses(11L, batches);
        assertArrayEquals(first, second, "same seed, same data, same thread count => bit-identical losses");
        assertNotEquals(first[0], losses(12L, batches)[0], "the seed must matter");
    }

    @Test
    void nativeArraysStayConstantAcrossSteps() {
        SyntheticSpatialTasks tasks = new SyntheticSpatialTasks(64, 9);
        List<TrainingExample> batch = mixed(tasks, 16);
        try (ModelTrainer trainer = ModelTrainer.create(ModelConfig.defaults(), TrainerConfig.defaults())) {
            NDManager modelManager = trainer.manager().getParentManager();
            trainer.trainStep(batch); // the first step creates Adam's moment arrays
            trainer.predict(batch);
            int afterWarmup = modelManager.getManagedArrays().size();
            for (int i = 0; i < 10; i++) {
                trainer.trainStep(batch);
                trainer.evaluate(batch);
            }
            assertEquals(afterWarmup, modelManager.getManagedArrays().size(),
                    "every step's tensors must be freed with its sub-manager");
        }
    }

    @Test
    void largerInputSizeIsJustConfiguration() {
        SyntheticSpatialTasks tasks = new SyntheticSpatialTasks(128, 8);
        try (ModelTrainer trainer = ModelTrainer.create(ModelConfig.withImageSize(96), TrainerConfig.defaults())) {
            StepResult r = trainer.trainStep(mixed(tasks, 8));
            assertEquals(8, r.size());
            assertTrue(Float.isFinite(r.loss()));
            assertEquals(4, trainer.predict(mixed(tasks, 4)).length);
        }
    }

    private static float[] losses(long seed, List<List<TrainingExample>> batches) {
        try (ModelTrainer trainer = ModelTrainer.create(ModelConfig.defaults(),
                TrainerConfig.defaults().withSeed(seed))) {
            float[] out = new float[batches.size()];
            for (int i = 0; i < batches.size(); i++) {
                out[i] = trainer.trainStep(batches.get(i)).loss();
            }
            return out;
        }
    }

    static List<TrainingExample> mixed(SyntheticSpatialTasks tasks, int n) {
        List<TrainingExample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(switch (i % 4) {
                case 0 -> tasks.leftRight();
                case 1 -> tasks.moved();
                case 2 -> tasks.whichMoved();
                default -> tasks.colour(4);
            });
        }
        return out;
    }

    /** -log softmax(logits[0..real))[correct], in double precision. */
    private static double crossEntropy(float[] logits, int real, int correct) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < real; c++) {
            max = Math.max(max, logits[c]);
        }
        double sum = 0;
        for (int c = 0; c < real; c++) {
            sum += Math.exp(logits[c] - max);
        }
        return max + Math.log(sum) - logits[correct];
    }
}
