package dev.satflow.evaluator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.satflow.contracts.Topic;
import dev.satflow.contracts.Topics;
import dev.satflow.core.kafka.KafkaClients;
import dev.satflow.embedded.LocalStack;
import dev.satflow.schema.Checkpoint;
import dev.satflow.schema.DeadLetter;
import dev.satflow.schema.EvalReport;
import dev.satflow.schema.Frame;
import dev.satflow.schema.QaRecord;
import dev.satflow.schema.TypeScore;
import dev.satflow.trainer.ModelTrainer;
import dev.satflow.trainer.TrainerConfig;
import dev.satflow.trainer.model.ModelConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluator end to end on the embedded broker and registry with a real (untrained) checkpoint:
 * frames and questions on their topics, checkpoints announced one by one. Every checkpoint is scored
 * plain and circular from images resolved a chunk at a time; a question whose frame is missing is
 * dead-lettered once, not once per checkpoint; the blind baselines are computed once for an unchanged
 * QA topic and again when it has grown.
 */
class EvalServiceIT {
    static final int CHUNK = 8;

    @TempDir
    Path dir;

    @Test
    void scoresEveryCheckpointPlainAndCircularWithBlindBaselines() throws Exception {
        try (LocalStack stack = LocalStack.start(new LocalStack.Settings(dir.resolve("stack"), 0, 0, 0, 2))) {
            Topics topics = stack.topics();
            String bootstrap = stack.bootstrapServers();
            Path checkpoint = dir.resolve("checkpoints/run-1/step-1");
            try (ModelTrainer trainer = ModelTrainer.create(ModelConfig.defaults(), TrainerConfig.defaults())) {
                trainer.saveCheckpoint(checkpoint, Map.of());
            }
            int firstBatch;
            try (KafkaProducer<String, Frame> frames = producer(bootstrap, topics.frames());
                    KafkaProducer<String, QaRecord> qa = producer(bootstrap, topics.qa())) {
                firstBatch = publishScenes(frames, qa, topics, 0, 12);
                // a held-out question whose frame does not exist: dead-lettered once
                qa.send(new ProducerRecord<>(topics.qa().name(), "scene-0", EvalFixtures.question("broken", "scene-0",
                        "test", "left_right", EvalFixtures.LEFT_RIGHT, 0, false,
                        List.of(EvalFixtures.ref("scene-0/v0", 1, 999)), List.of()))).get();
                firstBatch++;
                // ...and one whose frame holds bytes that are no image: dead-lettered too, scoring goes on
                var garbage = frames.send(new ProducerRecord<>(topics.frames().name(), "scene-0", EvalFixtures.frame(
                        "scene-0", "scene-0/vx", "<html>".getBytes(java.nio.charset.StandardCharsets.UTF_8)))).get();
                qa.send(new ProducerRecord<>(topics.qa().name(), "scene-0", EvalFixtures.question("garbage", "scene-0",
                        "test", "left_right", EvalFixtures.LEFT_RIGHT, 0, false,
                        List.of(EvalFixtures.ref("scene-0/vx", garbage.partition(), garbage.offset())), List.of())))
                        .get();
                firstBatch++;
            }

            EvaluatorService.Settings settings = new EvaluatorService.Settings(bootstrap, "eval-it", "test",
                    dir.resolve("reports"), 3).withChunk(CHUNK);
            EvaluatorService service = new EvaluatorService(settings, topics, new SimpleMeterRegistry(),
                    Clock.systemUTC());
            BlockingQueue<EvalReport> reports = new LinkedBlockingQueue<>();
            AtomicReference<Throwable> failed = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    service.run(reports::add);
                } catch (Throwable e) {
                    failed.set(e);
                }
            });
            t.start();
            List<EvalReport> got = new ArrayList<>();
            try (KafkaProducer<String, Checkpoint> cps = producer(bootstrap, topics.checkpoints())) {
                announce(cps, topics, checkpoint, 1);
                got.add(next(reports, failed));
                announce(cps, topics, checkpoint, 2);
                got.add(next(reports, failed));
                // the QA topic grows by half: the blind baselines are computed again
                try (KafkaProducer<String, Frame> frames = producer(bootstrap, topics.frames());
                        KafkaProducer<String, QaRecord> qa = producer(bootstrap, topics.qa())) {
                    publishScenes(frames, qa, topics, 12, 6);
                }
                announce(cps, topics, checkpoint, 3);
                got.add(next(reports, failed));
            }
            t.join(30_000);
            assertTrue(!t.isAlive() && failed.get() == null, "service ended cleanly: " + failed.get());

            int testQuestions = 12 * 3;
            for (EvalReport r : got.subList(0, 2)) {
                assertEquals(testQuestions, r.getCount(), "the broken question is left out");
                assertEquals(firstBatch, r.getBlindRecords(), "blind baselines over the whole topic, computed once");
            }
            EvalReport last = got.get(2);
            assertEquals(18 * 3, last.getCount());
            assertTrue(last.getBlindRecords() > firstBatch, "recomputed after the topic grew: "
                    + last.getBlindRecords());
            for (EvalReport r : got) {
                assertNotNull(r.getCircularAccuracy());
                assertTrue(r.getCircularAccuracy() <= r.getAccuracy());
                for (TypeScore s : r.getScores()) {
                    assertTrue(s.getCircularCorrect() <= s.getCorrect(), s.toString());
                    assertNotNull(s.getBlindTextCv(), "cross-validated blind for " + s.getQuestionType());
                    assertNotNull(s.getBlindText(), "test-split blind for " + s.getQuestionType());
                }
                assertTrue(r.getEvalSeconds() > 0);
                JsonNode json = new ObjectMapper().readTree(Path.of(r.getReportPath()).resolveSibling("report.json")
                        .toFile());
                assertTrue(json.get("evaluation").get("held_at_most").get("questions").asInt() <= CHUNK);
            }
            assertEquals(18 * 3, service.heldQuestions(), "only held-out questions kept");
            assertTrue(service.heldQuestionBytes() > 0 && service.heldQuestionBytes() < 18 * 3 * 2000,
                    "about a kilobyte each: " + service.heldQuestionBytes());
            assertTrue(service.lastHeld().maxQuestions() <= CHUNK);
            assertTrue(Files.isRegularFile(dir.resolve("reports/index.html")));
            String index = Files.readString(dir.resolve("reports/index.html"));
            assertEquals(3, count(index, "<svg "), "learning curves: all, counting, left_right");
            assertTrue(count(index, "<polyline") >= 3 * 3, "plain, circular, chance (and blind) per chart");

            assertEquals(3, values(bootstrap, topics.eval()).size());
            List<DeadLetter> dead = values(bootstrap, topics.dlq());
            assertEquals(2, dead.size(), "the broken questions dead-lettered once over three checkpoints: " + dead);
            dead.sort(java.util.Comparator.comparingLong(DeadLetter::getOffset));
            assertTrue(dead.get(0).getError().contains("no frame there"), dead.get(0).getError());
            assertEquals("frames[0]", dead.get(1).getField());
            assertEquals("evaluate", dead.get(1).getStage());
            assertTrue(dead.get(1).getError().contains("not a PNG or JPEG") && dead.get(1).getError().contains(
                    "3c 68 74 6d"), dead.get(1).getError());
        }
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    /** Scenes {@code from..from+n-1}: one frame each, three test and two train questions; returns questions sent. */
    private static int publishScenes(KafkaProducer<String, Frame> frames, KafkaProducer<String, QaRecord> qa,
            Topics topics, int from, int n) throws Exception {
        int sent = 0;
        for (int s = from; s < from + n; s++) {
            String scene = "scene-" + s;
            RecordMetadata at = frames.send(new ProducerRecord<>(topics.frames().name(), scene,
                    EvalFixtures.frame(scene, scene + "/v0", EvalFixtures.png(48, s)))).get();
            var ref = List.of(EvalFixtures.ref(scene + "/v0", at.partition(), at.offset()));
            for (int k = 0; k < 5; k++) {
                String split = k < 3 ? "test" : "train";
                boolean counting = k % 2 == 1;
                List<String> choices = counting ? EvalFixtures.COUNTS : EvalFixtures.LEFT_RIGHT;
                qa.send(new ProducerRecord<>(topics.qa().name(), scene, EvalFixtures.question(scene + "/" + k, scene,
                        split, counting ? "counting" : "left_right", choices, (s + k) % choices.size(), k == 2, ref,
                        k == 0 ? List.of(EvalFixtures.dot("A", 20, 20)) : List.of()))).get();
                sent++;
            }
        }
        return sent;
    }

    private static void announce(KafkaProducer<String, Checkpoint> p, Topics topics, Path dir, int n)
            throws Exception {
        p.send(new ProducerRecord<>(topics.checkpoints().name(), "run-1", Checkpoint.newBuilder()
                .setCheckpointId("run-1/step-" + n).setRunId("run-1").setStep(n).setPath(dir.toString()).build()))
                .get();
    }

    private static EvalReport next(BlockingQueue<EvalReport> reports, AtomicReference<Throwable> failed)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            EvalReport r = reports.poll(200, TimeUnit.MILLISECONDS);
            if (r != null) {
                return r;
            }
            if (failed.get() != null) {
                throw new AssertionError("evaluator failed", failed.get());
            }
        }
        throw new AssertionError("no report within 120 s");
    }

    private static <V> KafkaProducer<String, V> producer(String bootstrap, Topic<String, V> topic) {
        return new KafkaProducer<>(KafkaClients.producer(bootstrap, "eval-it-" + topic.name()),
                topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    private static <V> List<V> values(String bootstrap, Topic<String, V> topic) {
        List<V> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(KafkaClients.consumer(bootstrap, null,
                "eval-it-read"), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (end.entrySet().stream().anyMatch(e -> c.position(e.getKey()) < e.getValue())) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    out.add(topic.valueSerde().deserializer().deserialize(r.topic(), r.value()));
                }
            }
        }
        return out;
    }
}
