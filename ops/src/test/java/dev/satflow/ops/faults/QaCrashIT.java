package dev.satflow.ops.faults;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.contracts.Topics;
import dev.satflow.core.config.SatflowSettings;
import dev.satflow.embedded.LocalStack;
import dev.satflow.ops.Satflow;
import dev.satflow.ops.stages.GroupLag;
import dev.satflow.ops.stages.Stages;
import dev.satflow.ops.stages.TopicScan;
import dev.satflow.producers.generate.SceneGenerator;
import dev.satflow.producers.kafka.RenderService;
import dev.satflow.schema.QaRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The QA processor ({@code satflow qa}, Kafka Streams, exactly_once_v2) in its own JVM, killed with
 * SIGKILL while scenes and frames stream in, then restarted: every question comes out exactly once per
 * qaId, and the questions are byte for byte those of an uninterrupted run over the same inputs (the same
 * topology under another application id, from the start of both topics). The restarted processor is then
 * stopped with SIGTERM and must close Streams cleanly within its bound.
 */
class QaCrashIT {
    private static final int SCENES = 36;

    @TempDir
    Path dir;

    @Test
    void killMinus9MidStreamGivesEachQuestionOnceLikeAnUninterruptedRun() throws Exception {
        long t0 = System.nanoTime();
        Map<String, Object> flags = new HashMap<>();
        flags.put("render.width", 128);
        flags.put("render.height", 128);
        SceneGenerator generator = new SceneGenerator(Stages.generator(SatflowSettings.load(null, flags)));
        try (LocalStack stack = LocalStack.start(new LocalStack.Settings(dir.resolve("stack"), 0, 0, 0, 3));
                GroupLag lag = new GroupLag(stack.bootstrapServers())) {
            Topics topics = stack.topics();
            String[] qa = {"qa", "--bootstrap", stack.bootstrapServers(), "--registry", stack.registryUrl(),
                "--data-dir", dir.resolve("qa-data").toString()};
            Path log1 = dir.resolve("qa-1.log");
            Process first = Faults.satflow(log1, qa);
            Process second = null;
            try {
                Faults.awaitLog(first, log1, "QA processor satflow-qa running", Duration.ofMinutes(2));
                RenderService render = new RenderService(new RenderService.Settings(stack.bootstrapServers(),
                        "qa-crash-render", "qa-crash", 1, SCENES), topics, Stages.glRenderers(),
                        new SimpleMeterRegistry(), Clock.systemUTC()).start();
                CompletableFuture<Map<String, Integer>> published = CompletableFuture.supplyAsync(() -> {
                    try {
                        return Faults.publish(stack.bootstrapServers(), topics, generator, 900, 900 + SCENES, 3,
                                Duration.ofMillis(400));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                List<String> inputs = List.of(topics.scenes().name(), topics.frames().name());
                Faults.await(() -> committedRecords(stack.bootstrapServers(), topics.qa().name()) >= 150,
                        Duration.ofMinutes(2), "questions from the first QA processor");
                long leftAtKill = lag.lag("satflow-qa", inputs);
                Faults.kill9(first);
                assertTrue(leftAtKill > 0, "killed mid-stream (" + leftAtKill + " input records left)");

                Path log2 = dir.resolve("qa-2.log");
                second = Faults.satflow(log2, qa);
                published.get(2, TimeUnit.MINUTES);
                render.await();
                render.close();
                Process s = second;
                Faults.await(() -> {
                    assertTrue(s.isAlive(), "restarted QA processor died:\n" + Faults.tail(log2));
                    return lag.lag("satflow-qa", inputs) == 0;
                }, Duration.ofMinutes(3), "the restarted QA processor to catch up");
                assertTrue(Faults.terminate(second, Duration.ofSeconds(60)), "SIGTERM ends `satflow qa`");
                assertTrue(Files.readString(log2).contains("satflow qa: stopped cleanly"),
                        "Streams closed within the bound:\n" + Faults.tail(log2));
            } finally {
                Faults.stopQuietly(first);
                Faults.stopQuietly(second);
            }

            // the reference: an uninterrupted run over the same inputs
            assertEquals(0, Satflow.commandLine().execute("replay", "--bootstrap", stack.bootstrapServers(),
                    "--registry", stack.registryUrl(), "--data-dir", dir.resolve("replay").toString(), "--to",
                    "satflow.qa.reference"), "reference run");
            Map<String, Integer> counts = Faults.qaPerId(stack.bootstrapServers(), topics);
            assertEquals(List.of(), Faults.repeated(counts), "no qaId emitted twice");
            Map<String, byte[]> live = bytesById(stack.bootstrapServers(), topics);
            Map<String, byte[]> reference = bytesById(stack.bootstrapServers(), topics.withQa("satflow.qa.reference"));
            assertTrue(reference.size() > 300, reference.size() + " reference questions");
            assertEquals(reference.keySet(), live.keySet(), "the same questions as the uninterrupted run");
            reference.forEach((id, raw) -> assertArrayEquals(raw, live.get(id), id + ": byte-identical"));
            System.out.printf("QaCrashIT: kill -9 of qa mid-stream; %d questions once each, identical to an "
                    + "uninterrupted run; %.1f s%n", live.size(), (System.nanoTime() - t0) / 1e9);
        }
    }

    private static Map<String, byte[]> bytesById(String bootstrap, Topics topics) {
        Map<String, byte[]> out = new TreeMap<>();
        TopicScan.scan(bootstrap, topics.qa(), e -> {
            QaRecord q = e.value();
            out.put(q.getQaId(), e.raw());
            return true;
        });
        return out;
    }

    /** Records committed on a topic so far (transaction markers included: a rough count). */
    static long committedRecords(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                    .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            return admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get()
                    .values().stream().mapToLong(i -> i.offset()).sum();
        }
    }
}
