package dev.satflow.ops.bench;

import dev.satflow.contracts.Topics;
import dev.satflow.core.kafka.KafkaClients;
import dev.satflow.embedded.LocalStack;
import dev.satflow.ops.stages.GroupLag;
import dev.satflow.ops.stages.Stages;
import dev.satflow.producers.generate.GeneratorSettings;
import dev.satflow.producers.generate.SceneGenerator;
import dev.satflow.producers.kafka.RenderService;
import dev.satflow.producers.render.RenderBench;
import dev.satflow.producers.render.RenderOptions;
import dev.satflow.producers.render.RenderWorker;
import dev.satflow.schema.SceneSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The renderer against its floors, on the same generated specs in one run:
 * floor 1 = draw + read back (no Kafka, no encoding), floor 2 = + annotations and image encoding
 * (no Kafka), pipeline = renderer consumers through Kafka with transactions. Then scaling: 1 and 2
 * render workers in one process, and 2 processes of 1 worker in one consumer group.
 *
 * <p>Pipeline rates are read off the render group's committed lag on the scene topic, after a
 * warm-up share of the scenes (JIT, GL context, group join), so they measure steady state.
 */
public final class RenderPipelineBench {
    /** What to run: sizes, scenes per pipeline run (plus warm-up), floor repetitions. */
    public record Settings(List<Integer> sizes, int scenes, int warmupScenes, int floorRuns, int scalingSize) {
        public static Settings defaults() {
            return new Settings(List.of(256, 512), 40, 8, 3, 256);
        }
    }

    public record SizeResult(int size, double floorFps, double encodedFloorFps, double pipelineFps) {
        /** Pipeline over encoded floor: what Kafka, transactions and annotations leave. */
        public double ratio() {
            return pipelineFps / encodedFloorFps;
        }

        public double encodeRatio() {
            return encodedFloorFps / floorFps;
        }
    }

    public record ScalingRow(int processes, int workersPerProcess, double fps) {}

    public record Result(String glRenderer, int cores, double meanViewsPerScene, List<SizeResult> sizes,
            List<ScalingRow> scaling) {}

    private final Settings settings;
    private final Consumer<String> log;

    public RenderPipelineBench(Settings settings, Consumer<String> log) {
        this.settings = settings;
        this.log = log;
    }

    public Result run() {
        Path data;
        try {
            data = Files.createTempDirectory("satflow-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<SizeResult> sizes = new ArrayList<>();
        List<ScalingRow> scaling = new ArrayList<>();
        String gl;
        double views;
        try (LocalStack stack = LocalStack.start(new LocalStack.Settings(data, 0, 0, 0, 4))) {
            try (RenderWorker probe = new RenderWorker(RenderOptions.defaults())) {
                gl = probe.glRenderer();
            }
            views = specs(settings.scalingSize()).stream().mapToInt(s -> s.getViews().size()).average().orElse(0);
            int run = 0;
            for (int size : settings.sizes()) {
                List<SceneSpec> specs = specs(size);
                RenderBench.Floors floors;
                try (RenderWorker worker = new RenderWorker(RenderOptions.defaults())) {
                    floors = RenderBench.floors(worker, specs.subList(settings.warmupScenes(), specs.size()),
                            settings.floorRuns());
                }
                log.accept(String.format(java.util.Locale.ROOT, "%d²: floor %.1f fps, encoded floor %.1f fps", size,
                        floors.drawReadbackFps(), floors.encodedFps()));
                double pipeline = pipeline(stack, specs, ++run, 1, 1);
                log.accept(String.format(java.util.Locale.ROOT, "%d²: pipeline %.1f fps", size, pipeline));
                sizes.add(new SizeResult(size, floors.drawReadbackFps(), floors.encodedFps(), pipeline));
            }
            List<SceneSpec> specs = specs(settings.scalingSize());
            for (int[] shape : new int[][] {{1, 1}, {1, 2}, {2, 1}}) {
                double fps = pipeline(stack, specs, ++run, shape[0], shape[1]);
                log.accept(String.format(java.util.Locale.ROOT, "%d process(es) x %d worker(s): %.1f fps", shape[0],
                        shape[1], fps));
                scaling.add(new ScalingRow(shape[0], shape[1], fps));
            }
        }
        return new Result(gl, Runtime.getRuntime().availableProcessors(), views, sizes, scaling);
    }

    private List<SceneSpec> specs(int size) {
        GeneratorSettings d = GeneratorSettings.defaults();
        SceneGenerator g = new SceneGenerator(new GeneratorSettings(d.minObjects(), d.maxObjects(),
                d.cameraCandidates(), d.pitchDeg(), d.fovDeg(), size, size, "png", true, d.valFraction(),
                d.testFraction()));
        List<SceneSpec> out = new ArrayList<>();
        for (int i = 0; i < settings.warmupScenes() + settings.scenes(); i++) {
            out.add(g.generate(10_000 + i));
        }
        return out;
    }

    /**
     * Publishes the specs under fresh scene ids to the scene topic, then renders them with
     * {@code processes} x {@code workers} consumers of one new group; frames per second after warm-up.
     */
    private double pipeline(LocalStack stack, List<SceneSpec> specs, int run, int processes, int workers) {
        Topics topics = stack.topics();
        String group = "satflow-bench-render-" + run;
        try (GroupLag lag = new GroupLag(stack.bootstrapServers())) {
            lag.startAtEnd(group, topics.scenes().name()); // earlier runs' scenes are not this run's work
        }
        try (KafkaProducer<String, SceneSpec> p = new KafkaProducer<>(
                KafkaClients.producer(stack.bootstrapServers(), "satflow-bench-publish"),
                topics.scenes().keySerde().serializer(), topics.scenes().valueSerde().serializer())) {
            for (SceneSpec s : specs) {
                SceneSpec copy = SceneSpec.newBuilder(s).setSceneId("bench" + run + "-" + s.getSceneId()).build();
                p.send(new ProducerRecord<>(topics.scenes().name(), copy.getSceneId(), copy));
            }
        }
        List<Process> children = new ArrayList<>();
        RenderService local = null;
        try {
            for (int i = 1; i < processes; i++) {
                children.add(spawnRenderer(stack, group, workers, "bench" + run + "-p" + i));
            }
            local = new RenderService(new RenderService.Settings(stack.bootstrapServers(), group, "bench" + run,
                    workers, 0), topics, Stages.glRenderers(), new SimpleMeterRegistry(), Clock.systemUTC()).start();
            return rate(stack, group, specs);
        } finally {
            if (local != null) {
                local.close();
            }
            children.forEach(Process::destroy);
            for (Process c : children) {
                try {
                    c.waitFor(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Frames per second between the end of the warm-up and the last committed scene. */
    private double rate(LocalStack stack, String group, List<SceneSpec> specs) {
        double framesPerScene = specs.stream().mapToInt(s -> s.getViews().size()).average().orElse(0);
        long warmedUpAt = specs.size() - settings.warmupScenes();
        List<String> scenes = List.of(stack.topics().scenes().name());
        try (GroupLag lag = new GroupLag(stack.bootstrapServers())) {
            long t0 = 0;
            long left0 = 0;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (System.nanoTime() < deadline) {
                long left = lag.lag(group, scenes);
                long now = System.nanoTime();
                if (t0 == 0 && left <= warmedUpAt) {
                    t0 = now;
                    left0 = left;
                }
                if (left == 0 && t0 != 0 && now > t0) {
                    return left0 * framesPerScene / ((now - t0) / 1e9);
                }
                sleep(20);
            }
            throw new IllegalStateException("renderers of group " + group + " did not finish the benchmark scenes");
        }
    }

    private static Process spawnRenderer(LocalStack stack, String group, int workers, String instance) {
        List<String> cmd = ChildJvm.command(List.of("-Xmx1g"), List.of("render", "--bootstrap",
                stack.bootstrapServers(), "--registry", stack.registryUrl(), "--group", group, "--workers",
                Integer.toString(workers), "--instance-id", instance));
        try {
            return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(
                    ProcessBuilder.Redirect.appendTo(new File(System.getProperty("java.io.tmpdir"),
                            "satflow-bench-" + instance + ".log"))).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a renderer process", e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
