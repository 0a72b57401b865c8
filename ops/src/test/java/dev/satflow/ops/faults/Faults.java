package dev.satflow.ops.faults;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.contracts.Topics;
import dev.satflow.core.kafka.KafkaClients;
import dev.satflow.ops.stages.TopicScan;
import dev.satflow.producers.generate.SceneGenerator;
import dev.satflow.schema.Frame;
import dev.satflow.schema.QaRecord;
import dev.satflow.schema.SceneSpec;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** What the fault tests share: satflow stages as separate JVMs, killed by pid, and exactly-once counts. */
public final class Faults {
    private Faults() {}

    /** {@code satflow ARGS} in its own JVM (this test's class path), output to the log file. */
    public static Process satflow(Path log, String... args) throws IOException {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.satflow.schema", "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dorg.slf4j.simpleLogger.log.dev.satflow=info",
                "-Dorg.slf4j.simpleLogger.showDateTime=true", "-cp", cp, "dev.satflow.ops.Satflow"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(log.toString()))).start();
    }

    /** SIGKILL to the process's pid: no shutdown hook, no clean close. */
    static void kill9(Process p) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-9", Long.toString(p.pid())).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "pid " + p.pid() + " gone after kill -9");
    }

    /** SIGTERM, waiting for the process to end; returns whether it ended within the bound. */
    static boolean terminate(Process p, Duration bound) throws InterruptedException {
        if (!p.isAlive()) {
            return true;
        }
        p.destroy();
        return p.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS);
    }

    public static void stopQuietly(Process p) {
        if (p != null && p.isAlive()) {
            p.destroyForcibly();
        }
    }

    /** Waits until the log holds the text (the process must stay alive meanwhile). */
    static void awaitLog(Process p, Path log, String text, Duration timeout) throws Exception {
        await(() -> {
            assertTrue(p.isAlive(), "process died before printing '" + text + "'; see " + log + ":\n" + tail(log));
            return Files.exists(log) && Files.readString(log).contains(text);
        }, timeout, "'" + text + "' in " + log);
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void await(Check check, Duration timeout, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    public static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Publishes scenes of seeds [from, to), pausing between batches when paced; returns their view counts. */
    static Map<String, Integer> publish(String bootstrap, Topics topics, SceneGenerator generator, long from, long to,
            int batch, Duration pause) throws Exception {
        Map<String, Integer> views = new TreeMap<>();
        try (KafkaProducer<String, SceneSpec> p = new KafkaProducer<>(KafkaClients.producer(bootstrap, "fault-publish"),
                topics.scenes().keySerde().serializer(), topics.scenes().valueSerde().serializer())) {
            for (long seed = from; seed < to; seed++) {
                if ((seed - from) % batch == 0 && seed > from) {
                    p.flush();
                    Thread.sleep(pause.toMillis());
                }
                SceneSpec s = generator.generate(seed);
                views.put(s.getSceneId(), s.getViews().size());
                p.send(new ProducerRecord<>(topics.scenes().name(), s.getSceneId(), s));
            }
        }
        return views;
    }

    /** Committed frames per "sceneId|viewId". */
    static Map<String, Integer> framesPerView(String bootstrap, Topics topics) {
        Map<String, Integer> out = new TreeMap<>();
        TopicScan.scan(bootstrap, topics.frames(), e -> {
            Frame f = e.value();
            out.merge(f.getSceneId() + "|" + f.getViewId(), 1, Integer::sum);
            return true;
        });
        return out;
    }

    /** Committed QA records per qaId. */
    static Map<String, Integer> qaPerId(String bootstrap, Topics topics) {
        Map<String, Integer> out = new TreeMap<>();
        TopicScan.scan(bootstrap, topics.qa(), e -> {
            QaRecord q = e.value();
            out.merge(q.getQaId(), 1, Integer::sum);
            return true;
        });
        return out;
    }

    /** Scenes with at least one committed QA record. */
    static java.util.Set<String> answered(String bootstrap, Topics topics) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        TopicScan.scan(bootstrap, topics.qa(), e -> {
            out.add(e.value().getSceneId());
            return true;
        });
        return out;
    }

    /** Keys seen more than once, with their counts. */
    static List<String> repeated(Map<String, Integer> counts) {
        List<String> out = new ArrayList<>();
        counts.forEach((k, n) -> {
            if (n != 1) {
                out.add(k + " x" + n);
            }
        });
        return out;
    }
}
