package dev.satflow.ops.stages;

import dev.satflow.contracts.Topics;
import dev.satflow.core.config.Config;
import dev.satflow.evaluator.EvaluatorService;
import dev.satflow.producers.generate.GeneratorSettings;
import dev.satflow.producers.kafka.FrameRenderer;
import dev.satflow.producers.kafka.RenderService;
import dev.satflow.producers.render.RenderOptions;
import dev.satflow.producers.render.RenderWorker;
import dev.satflow.qa.QaApp;
import dev.satflow.qa.QaTopology;
import dev.satflow.qa.questions.SatQuestionDeriver;
import dev.satflow.schema.Frame;
import dev.satflow.schema.SceneSpec;
import dev.satflow.trainer.TrainerConfig;
import dev.satflow.trainer.plan.MixingPlan;
import dev.satflow.trainer.model.ModelConfig;
import dev.satflow.trainer.stream.TrainerService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Turns layered settings into each stage's settings: the one place that knows which key feeds
 * which constructor argument, shared by the single-stage commands and the demo.
 */
public final class Stages {
    private Stages() {}

    public static GeneratorSettings generator(Config c) {
        return new GeneratorSettings(
                c.integer("generate.min-objects", 1, 64),
                c.integer("generate.max-objects", 1, 64),
                c.integer("generate.camera-candidates", 1, 1000),
                c.decimal("generate.pitch", -80, 80),
                c.decimal("generate.fov", 10, 150),
                c.integer("render.width", 16, 4096),
                c.integer("render.height", 16, 4096),
                imageFormat(c),
                c.bool("render.shadows"),
                c.decimal("generate.val-fraction", 0, 1),
                c.decimal("generate.test-fraction", 0, 1));
    }

    private static String imageFormat(Config c) {
        String f = c.string("render.format").toLowerCase(java.util.Locale.ROOT);
        if (!f.equals("png") && !f.equals("jpeg")) {
            throw new dev.satflow.core.config.ConfigException("setting 'render.format' = '" + f + "' (from "
                    + c.source("render.format") + "): expected png or jpeg");
        }
        return f;
    }

    public static RenderService.Settings render(Config c, String bootstrap) {
        // default: <host>-<slot>, the same after a restart (see InstanceSlot), so transactional ids are too
        String instance = c.optional("render.instance-id").filter(s -> !s.isBlank())
                .orElseGet(() -> InstanceSlot.acquire("render-" + c.string("render.group")));
        return new RenderService.Settings(bootstrap, c.string("render.group"), instance,
                c.integer("render.workers", 1, 64), c.integer("render.max-scenes", 0, Integer.MAX_VALUE));
    }

    /** One GL renderer per render thread, each with its own EGL context and encoder pool. */
    public static Supplier<FrameRenderer> glRenderers() {
        RenderOptions options = RenderOptions.defaults();
        return () -> {
            RenderWorker worker = new RenderWorker(options);
            return new FrameRenderer() {
                @Override
                public List<Frame> render(SceneSpec spec) {
                    return worker.renderScene(spec);
                }

                @Override
                public void close() {
                    worker.close();
                }
            };
        };
    }

    public static QaApp.Settings qa(Config c, String bootstrap) {
        Path state = c.optional("qa.state-dir").map(Path::of)
                .orElse(c.path("data-dir").resolve("streams-state"));
        return new QaApp.Settings(bootstrap, c.string("qa.application-id"), state.toAbsolutePath(),
                c.integer("qa.threads", 1, 64));
    }

    public static QaTopology.Options qaTopology(Config c, Topics topics) {
        return new QaTopology.Options(topics, SatQuestionDeriver.standard(),
                Duration.ofSeconds(c.integer("qa.incomplete-after", 1, 7 * 24 * 3600)), Duration.ofSeconds(10));
    }

    public static TrainerService.Settings train(Config c, String bootstrap) {
        int batch = c.integer("train.batch", 1, 4096);
        long seed = c.longValue("train.seed");
        TrainerService.Mix mix = new TrainerService.Mix(batch, plan(c),
                Math.max(batch, c.integer("train.buffer", 1, 1 << 20)), c.integer("train.reservoir", 0, 1 << 20),
                seed);
        ModelConfig model = ModelConfig.withImageSize(c.integer("train.image-size", 8, 1024));
        TrainerConfig trainer = new TrainerConfig(seed, (float) c.decimal("train.learning-rate", 1e-7, 10),
                TrainerConfig.defaults().clipGradient(), c.string("train.device"), 0,
                (long) c.integer("train.decode-cache-mb", 0, 1 << 20) << 20);
        return new TrainerService.Settings(bootstrap, c.string("train.group"), c.string("train.run-id"),
                c.path("out"), nonNegative(c, "train.steps"), c.integer("train.checkpoint-every", 1, 1 << 30),
                c.integer("train.passes", 0, 1 << 20), mix, model, trainer,
                Duration.ofMillis(Math.round(c.decimal("train.linger", 0, 86_400) * 1000)), c.bool("train.example-log"));
    }

    /** The mixing plan: {@code train.plan} or the built-in one, with {@code train.dynamic-fraction} applied. */
    public static MixingPlan plan(Config c) {
        MixingPlan plan;
        Optional<String> file = c.optional("train.plan");
        try {
            plan = file.isPresent() ? MixingPlan.load(Path.of(file.get())) : MixingPlan.defaultPlan();
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new dev.satflow.core.config.ConfigException("setting 'train.plan' = '" + file.orElse("") + "' (from "
                    + c.source("train.plan") + "): " + e.getMessage());
        }
        if (c.optional("train.dynamic-fraction").isPresent()) {
            plan = plan.withDynamicShare(c.decimal("train.dynamic-fraction", 0, 1));
        }
        return plan;
    }

    public static EvaluatorService.Settings evaluate(Config c, String bootstrap) {
        return new EvaluatorService.Settings(bootstrap, c.string("eval.group"), c.string("eval.split"),
                c.path("out").resolve("reports"), c.integer("eval.max-checkpoints", 0, Integer.MAX_VALUE));
    }

    private static long nonNegative(Config c, String key) {
        long v = c.longValue(key);
        if (v < 0) {
            throw new dev.satflow.core.config.ConfigException("setting '" + key + "' = '" + v + "' (from "
                    + c.source(key) + "): expected an integer >= 0");
        }
        return v;
    }
}
