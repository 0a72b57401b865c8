package dev.satflow.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.core.config.SatflowSettings;
import dev.satflow.core.kafka.KafkaClients;
import dev.satflow.embedded.LocalStack;
import dev.satflow.ops.stages.GroupLag;
import dev.satflow.ops.stages.Stages;
import dev.satflow.ops.stages.TopicScan;
import dev.satflow.producers.generate.SceneGenerator;
import dev.satflow.schema.SceneSpec;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A renderer process killed with SIGKILL mid-stream, then restarted with the same instance id:
 * counting frames per (scene, view) in read_committed mode shows none missing and none duplicated.
 */
class RendererCrashIT {
    private static final int SCENES = 40;
    private static final String GROUP = "crash-test-render";

    @TempDir
    Path dir;

    @Test
    void killMinus9MidStreamLosesAndDuplicatesNothing() throws Exception {
        Map<String, Object> flags = new HashMap<>();
        flags.put("render.width", 128);
        flags.put("render.height", 128);
        SceneGenerator generator = new SceneGenerator(Stages.generator(SatflowSettings.load(null, flags)));
        try (LocalStack stack = LocalStack.start(new LocalStack.Settings(dir.resolve("data"), 0, 0, 0, 3));
                GroupLag lag = new GroupLag(stack.bootstrapServers())) {
            Map<String, Integer> viewsByScene = new HashMap<>();
            try (KafkaProducer<String, SceneSpec> p = new KafkaProducer<>(
                    KafkaClients.producer(stack.bootstrapServers(), "crash-test-publish"),
                    stack.topics().scenes().keySerde().serializer(), stack.topics().scenes().valueSerde().serializer())) {
                for (int i = 0; i < SCENES; i++) {
                    SceneSpec s = generator.generate(500 + i);
                    viewsByScene.put(s.getSceneId(), s.getViews().size());
                    p.send(new ProducerRecord<>(stack.topics().scenes().name(), s.getSceneId(), s));
                }
            }
            List<String> scenes = List.of(stack.topics().scenes().name());

            // the renderers' logs stay under target/ for a post-mortem: the temporary folder is deleted
            Path logs = Path.of("target", "renderer-crash", Long.toString(System.currentTimeMillis()));
            Files.createDirectories(logs);
            Process first = renderer(stack, logs.resolve("first.log"));
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (lag.lag(GROUP, scenes) > SCENES - 6 && System.nanoTime() < deadline && first.isAlive()) {
                Thread.sleep(20);
            }
            long leftAtKill = lag.lag(GROUP, scenes);
            first.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: no shutdown hook, no clean close
            assertTrue(leftAtKill > 0 && leftAtKill < SCENES, "killed mid-stream, " + leftAtKill + " scenes left");

            Process second = renderer(stack, logs.resolve("second.log"));
            try {
                while (lag.lag(GROUP, scenes) > 0 && System.nanoTime() < deadline + TimeUnit.MINUTES.toNanos(3)) {
                    assertTrue(second.isAlive(), "restarted renderer died; see " + logs.resolve("second.log"));
                    Thread.sleep(100);
                }
                assertEquals(0, lag.lag(GROUP, scenes), "restarted renderer finished the topic");
            } finally {
                second.destroy();
                second.waitFor(30, TimeUnit.SECONDS);
            }

            int expected = viewsByScene.values().stream().mapToInt(Integer::intValue).sum();
            // the last transaction's offsets can be visible a moment before its frames' commit markers are
            // written (seconds on a loaded machine): read until every frame is there, or 30 s have passed
            Map<String, Integer> perView = new HashMap<>();
            long scanUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            do {
                perView.clear();
                TopicScan.scan(stack.bootstrapServers(), stack.topics().frames(), e -> {
                    perView.merge(e.value().getSceneId() + "|" + e.value().getViewId(), 1, Integer::sum);
                    return true;
                });
            } while (perView.size() < expected && System.nanoTime() < scanUntil && sleep(200));
            List<String> duplicated = new ArrayList<>();
            perView.forEach((k, n) -> {
                if (n != 1) {
                    duplicated.add(k + " x" + n);
                }
            });
            assertEquals(List.of(), duplicated, "no (scene, view) committed twice");
            if (perView.size() != expected) {
                // say which scenes are short and whether a stage dead-lettered them, with both renderers' logs
                Map<String, Long> got = new HashMap<>();
                perView.keySet().forEach(k -> got.merge(k.substring(0, k.indexOf('|')), 1L, Long::sum));
                List<String> shortScenes = new ArrayList<>();
                Set<String> shortIds = new HashSet<>();
                viewsByScene.forEach((id, n) -> {
                    if (got.getOrDefault(id, 0L) != n.longValue()) {
                        shortIds.add(id);
                        shortScenes.add(id + " " + got.getOrDefault(id, 0L) + "/" + n);
                    }
                });
                List<String> dead = new ArrayList<>();
                TopicScan.scan(stack.bootstrapServers(), stack.topics().dlq(), e -> dead.add(e.value().getKey() + ": "
                        + e.value().getError()));
                assertEquals(expected, perView.size(), "every (scene, view) committed once; short: " + shortScenes
                        + "; dead letters: " + dead + "; where the short scenes' frames lie, committed or not: "
                        + uncommitted(stack, shortIds) + "\nthe frames logs' batches, as the broker wrote them:\n"
                        + batches(dir, stack.topics().frames().name()) + "\nfirst:\n" + tail(logs.resolve("first.log"))
                        + "\nsecond:\n" + tail(logs.resolve("second.log")));
            }
        }
    }

    /**
     * The frames of scenes missing from the committed view, read with read_uncommitted: tells a transaction
     * the broker aborted (records there) from frames never written (nothing there).
     */
    private static List<String> uncommitted(LocalStack stack, Set<String> shortIds) {
        Map<String, Object> cc = KafkaClients.consumer(stack.bootstrapServers(), null,
                "crash-test-uncommitted");
        cc.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        List<String> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c =
                new KafkaConsumer<>(cc,
                        new StringDeserializer(),
                        new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(stack.topics().frames().name())
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (var r : c.poll(Duration.ofMillis(200))) {
                    if (shortIds.contains(r.key())) {
                        found.add(r.key() + "@" + r.partition() + ":" + r.offset());
                    }
                }
            }
        }
        return found;
    }

    /**
     * Every batch of the topic's log segments on disk, one line each: offsets, producer id and epoch, and for
     * a control batch whether it commits or aborts. Shows which transaction markers the broker wrote where.
     */
    private static String batches(Path dataDir, String topic) throws java.io.IOException {
        StringBuilder out = new StringBuilder();
        List<Path> logs;
        try (var files = Files.walk(dataDir)) {
            logs = files.filter(f -> f.getParent().getFileName().toString().startsWith(topic + "-")
                    && f.toString().endsWith(".log")).sorted().toList();
        }
        for (Path log : logs) {
            out.append(log.getParent().getFileName()).append('\n');
            try (FileRecords records =
                    FileRecords.open(log.toFile())) {
                for (var b : records.batches()) {
                    out.append(String.format("  %d-%d pid %d epoch %d%s%s%n", b.baseOffset(), b.lastOffset(),
                            b.producerId(), b.producerEpoch(), b.isTransactional() ? " txn" : "",
                            b.isControlBatch() ? " " + ControlRecordType.parse(
                                    b.iterator().next().key()) : ""));
                }
            }
        }
        return out.toString();
    }

    private static boolean sleep(long ms) throws InterruptedException {
        Thread.sleep(ms);
        return true;
    }

    private static String tail(Path log) throws java.io.IOException {
        List<String> lines = Files.readAllLines(log).stream().filter(l -> l.contains("RenderService")
                || l.contains("WARN") || l.contains("ERROR")).toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** A renderer in its own JVM, same instance id every time (the restart fences its dead predecessor). */
    private static Process renderer(LocalStack stack, Path log) throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.satflow.schema",
                "-Dorg.slf4j.simpleLogger.log.dev.satflow.producers.kafka.RenderService=debug",
                "-Dorg.slf4j.simpleLogger.showDateTime=true", "-cp", cp, "dev.satflow.ops.Satflow",
                "render", "--bootstrap", stack.bootstrapServers(), "--registry", stack.registryUrl(), "--group", GROUP,
                "--instance-id", "crash-test", "--workers", "1");
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(new File(log.toString())).start();
    }
}
