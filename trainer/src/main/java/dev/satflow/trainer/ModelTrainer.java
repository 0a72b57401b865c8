package dev.satflow.trainer;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import dev.satflow.trainer.data.AssembledBatch;
import dev.satflow.trainer.data.BatchAssembler;
import dev.satflow.trainer.data.TextEncoder;
import dev.satflow.trainer.data.TrainingExample;
import dev.satflow.trainer.model.ModelConfig;
import dev.satflow.trainer.model.Scoring;
import dev.satflow.trainer.model.SpatialQaModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step-level training of a {@link SpatialQaModel}: the caller decides what goes into each batch (see
 * {@link dev.satflow.trainer.data.StageMixer}) and when to checkpoint; this class owns the model, the Adam
 * optimiser and the per-step memory discipline (every step's tensors live in a sub-manager closed at the end
 * of the step, so native memory stays flat over any number of steps).
 *
 * <p>Loss is softmax cross-entropy over the real choices: padded slots carry -inf logits, so their softmax
 * weight and gradient are exactly zero.
 *
 * <p>Not thread-safe. libtorch also allows only one gradient collection per process at a time, so run at most
 * one training step at once in a JVM.
 */
public final class ModelTrainer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ModelTrainer.class);
    private static final int INIT_BATCH = 2;
    private static final int PREDICT_BATCH = 64;
    /** Depth is one value beside the box's four, and its differences are what depth questions turn on. */
    private static final float DEPTH_LOSS_WEIGHT = 4f;
    /** The count's squared error beside the per-cell one: a cell's error is a fraction of an object. */
    private static final float COUNT_LOSS_WEIGHT = 0.25f;

    private final ModelConfig modelConfig;
    private final TrainerConfig trainerConfig;
    private final Model model;
    private final Trainer trainer;
    private final BatchAssembler assembler;
    private long step;
    /** Adam's step size from the next update on; read by the optimiser's tracker on every update. */
    private volatile float learningRate;

    private ModelTrainer(ModelConfig modelConfig, TrainerConfig trainerConfig, Model model, long step) {
        this.modelConfig = modelConfig;
        this.trainerConfig = trainerConfig;
        this.model = model;
        this.step = step;
        this.learningRate = trainerConfig.learningRate();
        this.assembler = new BatchAssembler(modelConfig, new TextEncoder(modelConfig), trainerConfig.decodeThreads(),
                // the cache lives on the Java heap: never more than a quarter of it, whatever the setting
                Math.min(trainerConfig.decodeCacheBytes(), Runtime.getRuntime().maxMemory() / 4));
        float clip = trainerConfig.clipGradient() > 0 ? trainerConfig.clipGradient() : -1f;
        Optimizer adam = Optimizer.adam()
                .optLearningRateTracker((Tracker) numUpdate -> learningRate)
                .optClipGrad(clip)
                .build();
        Device device = model.getNDManager().getDevice();
        this.trainer = model.newTrainer(new DefaultTrainingConfig(Scoring.newLoss())
                .optOptimizer(adam)
                .optDevices(new Device[] {device}));
        // A no-op for loaded parameters; draws the seeded initial values for a fresh block.
        trainer.initialize(((SpatialQaModel) model.getBlock()).inputShapes(INIT_BATCH));
    }

    /** A freshly initialised model; the same seed gives the same initial weights. */
    public static ModelTrainer create(ModelConfig modelConfig, TrainerConfig trainerConfig) {
        // libtorch's generator is process-global: seed it right before the initial values are drawn.
        Engine.getEngine("PyTorch").setRandomSeed(Long.hashCode(trainerConfig.seed()));
        Model model = newModel(modelConfig, trainerConfig);
        try {
            ModelTrainer created = new ModelTrainer(modelConfig, trainerConfig, model, 0);
            log.info("model initialised: {} parameters, image {}x{}, grid {}x{}, seed {}",
                    created.parameterCount(), modelConfig.imageSize(), modelConfig.imageSize(),
                    modelConfig.gridSize(), modelConfig.gridSize(), trainerConfig.seed());
            return created;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * Continues from a checkpoint: same architecture, parameters and step count; Adam's moments restart.
     * The checkpoint's caller metadata is available from {@link Checkpoints#readInfo}.
     */
    public static ModelTrainer resume(Path checkpointDir, TrainerConfig trainerConfig) {
        ModelConfig config = Checkpoints.readConfig(checkpointDir);
        CheckpointInfo info = Checkpoints.readInfo(checkpointDir);
        Model model = newModel(config, trainerConfig);
        try {
            Checkpoints.loadParameters(checkpointDir, model.getBlock(), model.getNDManager());
            ModelTrainer resumed = new ModelTrainer(config, trainerConfig, model, info.step());
            log.info("resumed from {} at step {}", checkpointDir, info.step());
            return resumed;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private static Model newModel(ModelConfig config, TrainerConfig trainerConfig) {
        Device device = switch (trainerConfig.device()) {
            case "gpu" -> Device.gpu();
            case "auto" -> Engine.getEngine("PyTorch").defaultDevice();
            default -> Device.cpu();
        };
        Model model = Model.newInstance("satflow-qa", device, "PyTorch");
        model.setBlock(new SpatialQaModel(config));
        return model;
    }

    /** Assembles {@code batch} (PNG decode, tokenise, stack) and takes one optimisation step on it. */
    public StepResult trainStep(List<TrainingExample> batch) {
        try (NDManager stepManager = trainer.getManager().newSubManager()) {
            return optimise(assembler.assemble(batch, stepManager));
        }
    }

    /**
     * One optimisation step on tensors assembled earlier (e.g. by {@link #assembler()} into a longer-lived
     * manager). The batch's arrays are lent to this step and handed back unchanged.
     */
    public StepResult trainStep(AssembledBatch batch) {
        try (NDManager stepManager = trainer.getManager().newSubManager()) {
            stepManager.tempAttachAll(batch.inputs(), batch.labels(), batch.grounding(), batch.boxes(),
                    batch.countDensity(), batch.counts());
            return optimise(batch);
        }
    }

    private StepResult optimise(AssembledBatch batch) {
        float loss;
        float[] flatLogits;
        try (GradientCollector collector = trainer.newGradientCollector()) {
            NDList out = trainer.forward(batch.inputs());
            NDArray logits = out.get(SpatialQaModel.OUT_LOGITS);
            NDArray lossArray = trainer.getLoss().evaluate(new NDList(batch.labels()), new NDList(logits));
            float weight = modelConfig.groundingWeight();
            if (weight > 0) {
                // cross-entropy of each named object's box distribution against the role pointer, averaged
                // over the objects with a known box
                NDArray target = batch.grounding();
                NDArray known = target.sum(new int[] {2}).sum().maximum(1f);
                NDArray grounding = target.mul(out.get(SpatialQaModel.OUT_GROUNDING)).sum().neg().div(known);
                lossArray = lossArray.add(grounding.mul(weight));
                // and each named object's box (where its bottom is, how big it looks) and depth, where known
                NDArray predicted = out.get(SpatialQaModel.OUT_BOXES);
                NDArray knownBox = target.sum(new int[] {2}, true);                                  // [B, R, 1]
                NDArray boxError = predicted.get(":, :, 0:4").sub(batch.boxes().get(":, :, 0:4")).abs()
                        .mul(knownBox).sum();
                NDArray trueDepth = batch.boxes().get(":, :, 4:5");
                NDArray knownDepth = trueDepth.gte(0f).toType(DataType.FLOAT32, false).mul(knownBox);
                NDArray depthError = predicted.get(":, :, 4:5").sub(trueDepth).abs().mul(knownDepth).sum()
                        .mul(DEPTH_LOSS_WEIGHT);
                lossArray = lossArray.add(boxError.add(depthError).div(known).mul(weight));
                // counting: the density against the counted objects' coverage, and its sum against the count,
                // averaged over the counting examples (over the whole batch, a few per batch, it is ~30x weaker)
                NDArray counted = batch.counts().gte(0f).toType(DataType.FLOAT32, false);             // [B]
                NDArray density = out.get(SpatialQaModel.OUT_COUNT_DENSITY);                          // [B, P]
                NDArray mapError = density.sub(batch.countDensity()).square().sum(new int[] {1});
                NDArray countError = density.sum(new int[] {1}).sub(batch.counts()).square();
                NDArray countLoss = mapError.add(countError.mul(COUNT_LOSS_WEIGHT)).mul(counted).sum()
                        .div(counted.sum().maximum(1f));
                lossArray = lossArray.add(countLoss.mul(weight));
            }
            collector.backward(lossArray);
            loss = lossArray.getFloat();
            flatLogits = logits.toFloatArray();
        }
        // per-example outcomes (before the update) from the logits on the host: a few floats per example
        long[] labels = batch.labels().toLongArray();
        int n = batch.size();
        int width = flatLogits.length / Math.max(1, n);
        float[] losses = new float[n];
        boolean[] right = new boolean[n];
        long correct = 0;
        for (int i = 0; i < n; i++) {
            int best = 0;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < width; c++) {
                float v = flatLogits[i * width + c];
                if (v > max) {
                    max = v;
                    best = c;
                }
            }
            double sum = 0;
            for (int c = 0; c < width; c++) {
                float v = flatLogits[i * width + c];
                if (v != Float.NEGATIVE_INFINITY) {
                    sum += Math.exp(v - max);
                }
            }
            losses[i] = (float) (Math.log(sum) + max - flatLogits[i * width + (int) labels[i]]);
            right[i] = best == labels[i];
            if (right[i]) {
                correct++;
            }
        }
        if (!Float.isFinite(loss)) {
            // Applying this update would poison every weight; stop here so the caller can inspect the batch.
            // At the first steps on an AVX-512 CPU this is libtorch's oneDNN (wrong kernels on AMD Zen 5).
            throw new IllegalStateException("non-finite loss " + loss + " at step " + (step + 1)
                    + (step < 3 && !"AVX2".equalsIgnoreCase(System.getenv("ONEDNN_MAX_CPU_ISA"))
                            ? "; if this CPU has AVX-512, run with ONEDNN_MAX_CPU_ISA=AVX2 (the satflow launcher sets it)"
                            : ""));
        }
        trainer.step();
        step++;
        return new StepResult(step, loss, (float) correct / batch.size(), batch.size(), learningRate, losses, right);
    }

    /** Logits per example, {@code [n][maxChoices]}, in inference mode; padded slots are negative infinity. */
    public float[][] scores(List<TrainingExample> examples) {
        return score(examples).logits();
    }

    /** Predicted choice index per example, in inference mode (BatchNorm running statistics, no autograd). */
    public int[] predict(List<TrainingExample> examples) {
        return score(examples).predictions();
    }

    /** Inference-mode loss and accuracy, e.g. on a held-out set. */
    public EvalResult evaluate(List<TrainingExample> examples) {
        Scoring.Scored scored = score(examples);
        return new EvalResult(examples.size(), scored.meanLoss(), accuracyOf(scored.predictions(), examples));
    }

    private Scoring.Scored score(List<TrainingExample> examples) {
        return Scoring.score(model.getBlock(), trainer.getManager(), assembler, trainer.getLoss(), examples,
                PREDICT_BATCH);
    }

    static double accuracyOf(int[] predicted, List<TrainingExample> examples) {
        int correct = 0;
        for (int i = 0; i < predicted.length; i++) {
            if (predicted[i] == examples.get(i).correctIndex()) {
                correct++;
            }
        }
        return examples.isEmpty() ? 0 : (double) correct / examples.size();
    }

    /** Writes parameters, model.json and trainer.json (with {@code metadata}) to a new directory. */
    public void saveCheckpoint(Path dir, Map<String, String> metadata) {
        Checkpoints.write(dir, modelConfig, model.getBlock(), new CheckpointInfo(step, trainerConfig, metadata));
        log.info("checkpoint at step {} written to {}", step, dir);
    }

    public long step() {
        return step;
    }

    /** Sets Adam's step size for the following updates (a plan's per-step schedule). */
    public void setLearningRate(float rate) {
        if (!(rate > 0) || !Float.isFinite(rate)) {
            throw new IllegalArgumentException("learning rate must be positive: " + rate);
        }
        learningRate = rate;
    }

    /** The step size the next update uses. */
    public float learningRate() {
        return learningRate;
    }

    public ModelConfig modelConfig() {
        return modelConfig;
    }

    public TrainerConfig trainerConfig() {
        return trainerConfig;
    }

    /** The assembler this trainer uses; exposed so callers can pre-assemble batches (benchmarks). */
    public BatchAssembler assembler() {
        return assembler;
    }

    /** Parent manager for pre-assembled batches passed to {@link #trainStep(AssembledBatch)}. */
    public NDManager manager() {
        return trainer.getManager();
    }

    /** The model's block, for tests that look at its parameters. */
    ai.djl.nn.Block block() {
        return model.getBlock();
    }

    public long parameterCount() {
        long n = 0;
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            if (p.getValue().requiresGradient()) {
                n += p.getValue().getArray().size();
            }
        }
        return n;
    }

    @Override
    public void close() {
        assembler.close();
        trainer.close();
        model.close();
    }
}
