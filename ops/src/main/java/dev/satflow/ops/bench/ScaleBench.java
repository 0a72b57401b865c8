package dev.satflow.ops.bench;

import dev.satflow.core.kafka.KafkaClients;
import dev.satflow.embedded.LocalStack;
import dev.satflow.ops.stages.GroupLag;
import dev.satflow.ops.stages.TopicSizes;
import dev.satflow.producers.generate.GeneratorSettings;
import dev.satflow.producers.generate.SceneGenerator;
import dev.satflow.producers.render.RenderBench;
import dev.satflow.producers.render.RenderOptions;
import dev.satflow.producers.render.RenderWorker;
import dev.satflow.schema.SceneSpec;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The pipeline at growing size: for each scene count, a fresh embedded stack and three stage
 * processes started together, as a user would run them (`generate --scenes N`, `render --max-scenes N`,
 * `qa`), timed until the QA processor has committed every scene and frame. Per stage: wall, throughput
 * and the process's peak RSS (VmHWM, sampled until it exits); per run: bytes per topic and seconds per
 * scene, so growth can be checked for linearity and memory for flatness, and 20K scenes extrapolated.
 * The render floor (draw + read back + encode, no Kafka) is measured in the same run on this run's
 * first scenes, so the pipeline is judged against it.
 */
public final class ScaleBench {
    public record Settings(List<Integer> sceneCounts, int floorScenes, int floorRuns, String childHeap) {
        public static Settings defaults() {
            return new Settings(List.of(500, 1000, 2000), 20, 3, "1g");
        }
    }

    /** One stage process of one run. */
    public record Stage(String name, double wallSeconds, double perSecond, String unit, long peakRssBytes,
            double cpuSeconds) {}

    /**
     * @param brokerCpuSeconds CPU of this process during the run: the embedded broker and registry (and the
     *                         lag polling), i.e. what Kafka itself costs next to the stages
     */
    public record Run(int scenes, long frames, long questions, double wallSeconds, List<Stage> stages,
            Map<String, Long> topicBytes, double brokerCpuSeconds) {
        public double secondsPerScene() {
            return wallSeconds / scenes;
        }

        public double framesPerSecond() {
            return frames / wallSeconds;
        }
    }

    public record Result(int cores, String glRenderer, int size, double floorFps, double encodedFloorFps,
            List<Run> runs) {
        /** Seconds per scene of the largest run over the smallest's: 1.0 is linear cost. */
        public double growth() {
            return runs.get(runs.size() - 1).secondsPerScene() / runs.get(0).secondsPerScene();
        }

        /** 20,000 scenes at the largest run's seconds per scene. */
        public double minutesFor20k() {
            return runs.get(runs.size() - 1).secondsPerScene() * 20_000 / 60;
        }

        /**
         * Least-squares line through (scenes, wall seconds) of all runs: [start-up seconds, seconds per added
         * scene]. Each process's start (JVM, JIT, group joins) is paid once per run, so the largest run's
         * average rate overstates what the 18,000 scenes after it cost; the line separates the two.
         */
        public double[] fit() {
            double n = runs.size();
            double mx = runs.stream().mapToDouble(Run::scenes).sum() / n;
            double my = runs.stream().mapToDouble(Run::wallSeconds).sum() / n;
            double sxy = 0;
            double sxx = 0;
            for (Run r : runs) {
                sxy += (r.scenes() - mx) * (r.wallSeconds() - my);
                sxx += (r.scenes() - mx) * (r.scenes() - mx);
            }
            double slope = sxy / sxx;
            return new double[] {my - slope * mx, slope};
        }

        /** 20,000 scenes by {@link #fit}: start-up once, then the per-scene slope. */
        public double minutesFor20kFitted() {
            double[] f = fit();
            return (f[0] + f[1] * 20_000) / 60;
        }

        /** End-to-end frames per second of the largest run over the encoded render floor. */
        public double pipelineOverFloor() {
            return runs.get(runs.size() - 1).framesPerSecond() / encodedFloorFps;
        }
    }

    private static final String QA_APP = "satflow-bench-scale-qa";
    private static final String RENDER_GROUP = "satflow-bench-scale-render";

    private final Settings settings;
    private final Consumer<String> log;

    public ScaleBench(Settings settings, Consumer<String> log) {
        this.settings = settings;
        this.log = log;
    }

    public Result run() {
        GeneratorSettings gen = GeneratorSettings.defaults();
        List<SceneSpec> sample = new ArrayList<>();
        SceneGenerator generator = new SceneGenerator(gen);
        for (int i = 0; i < settings.floorScenes(); i++) {
            sample.add(generator.generate(1 + i)); // the same seeds `generate --seed 1` publishes first
        }
        RenderBench.Floors floors;
        String gl;
        try (RenderWorker worker = new RenderWorker(RenderOptions.defaults())) {
            gl = worker.glRenderer();
            floors = RenderBench.floors(worker, sample, settings.floorRuns());
        }
        log.accept(String.format(Locale.ROOT, "%d²: render floor %.1f fps, encoded floor %.1f fps", gen.width(),
                floors.drawReadbackFps(), floors.encodedFps()));
        List<Run> runs = new ArrayList<>();
        for (int n : settings.sceneCounts()) {
            Run r = pipeline(n);
            log.accept(String.format(Locale.ROOT, "%d scenes: %d frames, %d questions in %.1f s (%.3f s/scene, "
                    + "%.1f fps)", n, r.frames(), r.questions(), r.wallSeconds(), r.secondsPerScene(),
                    r.framesPerSecond()));
            runs.add(r);
        }
        return new Result(Runtime.getRuntime().availableProcessors(), gl, gen.width(), floors.drawReadbackFps(),
                floors.encodedFps(), runs);
    }

    private Run pipeline(int scenes) {
        Path data = tempDir("satflow-scale-" + scenes + "-");
        try (LocalStack stack = LocalStack.start(new LocalStack.Settings(data, 0, 0, 0, 12))) {
            String bootstrap = stack.bootstrapServers();
            // the run's own data folder: the QA processor's state from an earlier run (same application id, same
            // scene ids) would otherwise be found in the default one, and change what this run asks
            List<String> connect = List.of("--bootstrap", bootstrap, "--registry", stack.registryUrl(),
                    "--data-dir", data.resolve("stages").toString());
            long t0 = System.nanoTime();
            long cpu0 = ownCpuNanos();
            Child qa = Child.start("qa", settings.childHeap(), concat(List.of("qa", "--application-id", QA_APP),
                    connect));
            Child render = Child.start("render", settings.childHeap(), concat(List.of("render", "--group",
                    RENDER_GROUP, "--instance-id", "bench-scale", "--max-scenes", Integer.toString(scenes)), connect));
            Child generate = Child.start("generate", settings.childHeap(), concat(List.of("generate", "--scenes",
                    Integer.toString(scenes), "--seed", "1"), connect));
            try {
                generate.awaitExit(Duration.ofMinutes(30));
                render.awaitExit(Duration.ofMinutes(120));
                double qaWall = awaitCaughtUp(bootstrap, stack, qa, t0);
                double wall = (System.nanoTime() - t0) / 1e9;
                double brokerCpu = (ownCpuNanos() - cpu0) / 1e9;
                qa.stop();
                List<String> topics = List.of(stack.topics().scenes().name(), stack.topics().frames().name(),
                        stack.topics().qa().name());
                Map<String, Long> sizes = TopicSizes.of(bootstrap, topics);
                Map<String, Long> bytes = new LinkedHashMap<>(); // scenes, frames, qa: the order the report reads
                topics.forEach(t -> bytes.put(t, sizes.get(t)));
                long frames = count(bootstrap, stack.topics().frames().name());
                long questions = count(bootstrap, stack.topics().qa().name());
                List<Stage> stages = List.of(
                        new Stage("generate", generate.wallSeconds(), scenes / generate.wallSeconds(), "scenes/s",
                                generate.peakRss(), generate.cpuSeconds()),
                        new Stage("render", render.wallSeconds(), frames / render.wallSeconds(), "frames/s",
                                render.peakRss(), render.cpuSeconds()),
                        new Stage("qa", qaWall, questions / qaWall, "questions/s", qa.peakRss(), qa.cpuSeconds()));
                return new Run(scenes, frames, questions, wall, stages, bytes, brokerCpu);
            } finally {
                Stream.of(generate, render, qa).forEach(Child::kill);
            }
        } finally {
            deleteTree(data);
        }
    }

    private static long ownCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Waits until the QA processor has committed every scene and frame; its wall from t0, seconds. */
    private static double awaitCaughtUp(String bootstrap, LocalStack stack, Child qa, long t0) {
        List<String> inputs = List.of(stack.topics().scenes().name(), stack.topics().frames().name());
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(60);
        try (GroupLag lag = new GroupLag(bootstrap)) {
            while (System.nanoTime() < deadline) {
                if (!qa.process.isAlive()) {
                    throw new IllegalStateException("the QA process exited with " + qa.process.exitValue()
                            + "; see " + qa.logFile);
                }
                if (lag.lag(QA_APP, inputs) == 0) {
                    return (System.nanoTime() - t0) / 1e9;
                }
                sleep(100);
            }
        }
        throw new IllegalStateException("the QA processor did not catch up within 60 min; see " + qa.logFile);
    }

    /** Committed records in a topic (read_committed, values not decoded). */
    static long count(String bootstrap, String topic) {
        Map<String, Object> cc = KafkaClients.consumer(bootstrap, null, "satflow-bench-count");
        cc.put("max.partition.fetch.bytes", 8 << 20);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(cc, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long n = 0;
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                n += c.poll(Duration.ofMillis(200)).count();
            }
            return n;
        }
    }

    /** A stage as its own JVM, the way a user starts it, with its peak RSS sampled while it runs. */
    private static final class Child {
        final String name;
        final Process process;
        final File logFile;
        final long startNanos = System.nanoTime();
        volatile long endNanos;
        volatile long peakRss;
        /** utime + stime in clock ticks, last reading (the QA process is stopped after it is read). */
        volatile long cpuTicks;
        final Thread sampler;

        private Child(String name, Process process, File logFile) {
            this.name = name;
            this.process = process;
            this.logFile = logFile;
            this.sampler = new Thread(this::sample, "satflow-bench-rss-" + name);
            sampler.setDaemon(true);
            sampler.start();
        }

        static Child start(String name, String heap, List<String> args) {
            List<String> cmd = ChildJvm.command(List.of("-Xmx" + heap, "-XX:+UseParallelGC"), args);
            File logFile = new File(System.getProperty("java.io.tmpdir"), "satflow-bench-scale-" + name + ".log");
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.to(logFile)).start();
                return new Child(name, p, logFile);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the " + name + " process", e);
            }
        }

        /**
         * VmHWM is the process's high-water mark, so the last reading before exit is its peak; CPU time
         * likewise only grows (read every 200 ms, so up to 0.2 s of a stage's last CPU can be missed).
         */
        private void sample() {
            Path status = Path.of("/proc", Long.toString(process.pid()), "status");
            Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
            while (process.isAlive()) {
                try {
                    for (String line : Files.readAllLines(status)) {
                        if (line.startsWith("VmHWM:")) {
                            peakRss = Math.max(peakRss, Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
                        }
                    }
                    // fields after the command name's closing parenthesis: state is [0], utime [11], stime [12]
                    String line = Files.readString(stat);
                    String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
                    cpuTicks = Math.max(cpuTicks, Long.parseLong(f[11]) + Long.parseLong(f[12]));
                } catch (IOException | NumberFormatException | UncheckedIOException gone) {
                    break; // exited between the check and the read
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
            endNanos = System.nanoTime();
        }

        void awaitExit(Duration limit) {
            try {
                if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException(name + " did not finish within " + limit + "; see " + logFile);
                }
                sampler.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + name, e);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + logFile);
            }
        }

        double wallSeconds() {
            long end = endNanos == 0 ? System.nanoTime() : endNanos;
            return (end - startNanos) / 1e9;
        }

        long peakRss() {
            return peakRss;
        }

        /** Linux reports process times in USER_HZ ticks, 100 a second on every mainstream architecture. */
        double cpuSeconds() {
            return cpuTicks / 100.0;
        }

        /** SIGTERM and a bounded wait: the stage's own shutdown path. */
        void stop() {
            process.destroy();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void kill() {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp folder left behind is not worth failing a finished benchmark
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
