package dev.satflow.trainer.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.satflow.contracts.Topics;
import dev.satflow.core.kafka.KafkaClients;
import dev.satflow.schema.DeadLetter;
import dev.satflow.schema.FrameRef;
import dev.satflow.schema.Lineage;
import dev.satflow.schema.QaImage;
import dev.satflow.schema.QaRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import dev.satflow.embedded.LocalStack;
import dev.satflow.trainer.Checkpoints;
import dev.satflow.trainer.StepResult;
import dev.satflow.trainer.TrainerConfig;
import dev.satflow.trainer.model.ModelConfig;
import dev.satflow.trainer.plan.MixingPlan;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The streaming trainer against the embedded broker: continuous mode, plan stages and their resume. */
class TrainerServiceIT {
    private static final List<String> TYPES = List.of("left_right", "relative_depth", "goal_aim", "ego_movement");

    @TempDir
    Path dir;

    private TrainerService.Settings settings(LocalStack stack, String runId, long steps, MixingPlan plan, int passes) {
        return new TrainerService.Settings(stack.bootstrapServers(), "it-" + runId, runId, dir.resolve("out"), steps,
                4, passes, new TrainerService.Mix(8, plan, 16, 64, 7), ModelConfig.withImageSize(16),
                TrainerConfig.defaults(), Duration.ofMillis(300), true);
    }

    @Test
    void continuousModeKeepsTrainingOnQuestionsAppendedMidRun() throws Exception {
        long t0 = System.nanoTime();
        try (LocalStack stack = LocalStack.start(new LocalStack.Settings(dir.resolve("data"), 0, 0, 0, 3))) {
            List<String> first = QaFixtures.publish(stack.bootstrapServers(), stack.topics(), 0, 10, 10, TYPES);
            MixingPlan plan = MixingPlan.parse("{\"stages\": [{\"weights\": {\"static\": 1, \"dynamic\": 1}}]}", "it");
            TrainerService trainer = new TrainerService(settings(stack, "cont", 0, plan, 1), stack.topics(),
                    new SimpleMeterRegistry(), Clock.systemUTC());
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicReference<TrainerService.Summary> summary = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    summary.set(trainer.run(step -> { }));
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, "it-trainer");
            t.start();
            awaitTrained("cont", first, t, failure);
            // caught up: it waits (polls) rather than stopping for lack of data
            Thread.sleep(1500);
            assertTrue(t.isAlive(), "continuous trainer still running when caught up");
            long before = trainer.freshExamplesTrained();
            assertEquals(first.size(), before, "every first-wave train question, once");

            List<String> second = QaFixtures.publish(stack.bootstrapServers(), stack.topics(), 10, 16, 10, TYPES);
            awaitTrained("cont", second, t, failure);
            trainer.close();
            t.join(60_000);
            assertTrue(failure.get() == null, () -> "trainer failed: " + failure.get());
            assertEquals(first.size() + second.size(), trainer.freshExamplesTrained());

            List<QaFixtures.Trained> lines = QaFixtures.sessions(dir.resolve("out"), "cont").get(0);
            Map<String, Integer> fresh = new HashMap<>();
            lines.stream().filter(l -> !l.rehearsal()).forEach(l -> fresh.merge(l.qaId(), 1, Integer::sum));
            Set<String> all = new HashSet<>(first);
            all.addAll(second);
            assertEquals(all, fresh.keySet(), "exactly the train split, test questions held out");
            assertTrue(fresh.values().stream().allMatch(n -> n == 1), "each fresh once");
            long firstSecondWaveStep = lines.stream().filter(l -> second.contains(l.qaId()))
                    .mapToLong(QaFixtures.Trained::step).min().orElseThrow();
            long lastFirstWaveStep = lines.stream().filter(l -> first.contains(l.qaId()) && !l.rehearsal())
                    .mapToLong(QaFixtures.Trained::step).max().orElseThrow();
            assertTrue(firstSecondWaveStep > lastFirstWaveStep, "appended questions trained after the first wave");
            assertTrue(summary.get().steps() > 0);
        }
        System.out.printf("continuous mode test: %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    @Test
    void stagesSwitchAtTheirStepAndAResumedRunContinuesThePlanWhereItWas() throws Exception {
        long t0 = System.nanoTime();
        MixingPlan plan = MixingPlan.parse("""
                {"stages": [
                  {"name": "left-right only", "steps": 6, "weights": {"left_right": 1},
                   "lr": {"schedule": "warmup", "peak": 0.004, "warmup": 3}},
                  {"name": "mixed", "steps": 100, "weights": {"left_right": 1, "goal_aim": 1}, "rehearsal": 0.25,
                   "lr": {"schedule": "constant", "peak": 0.002}}
                ]}""", "it");
        try (LocalStack stack = LocalStack.start(new LocalStack.Settings(dir.resolve("data"), 0, 0, 0, 3))) {
            QaFixtures.publish(stack.bootstrapServers(), stack.topics(), 0, 60, 10, TYPES); // one pass is plenty
            long r0 = System.nanoTime();
            List<StepResult> steps = Collections.synchronizedList(new ArrayList<>());
            TrainerService.Summary one = new TrainerService(settings(stack, "plan", 10, plan, 0), stack.topics(),
                    new SimpleMeterRegistry(), Clock.systemUTC()).run(steps::add);
            System.out.printf("first run: %.1f s%n", (System.nanoTime() - r0) / 1e9);
            assertEquals(10, one.steps());
            assertEquals(1, one.stageIndex());
            float[] expectedLr = {0.004f / 3, 0.008f / 3, 0.004f, 0.004f, 0.004f, 0.004f, 0.002f, 0.002f, 0.002f,
                0.002f};
            for (int i = 0; i < 10; i++) {
                assertEquals(expectedLr[i], steps.get(i).learningRate(), 1e-8f, "learning rate of step " + (i + 1));
            }

            List<QaFixtures.Trained> log = QaFixtures.sessions(dir.resolve("out"), "plan").get(0);
            for (QaFixtures.Trained l : log) {
                int expected = l.step() <= 6 ? 0 : 1;
                assertEquals(expected, l.stage(), "step " + l.step() + " belongs to stage " + expected);
                if (l.step() <= 6) {
                    assertTrue(l.qaId().contains("/left_right/"), "stage 0 trains left_right only: " + l.qaId());
                }
            }
            assertTrue(log.stream().anyMatch(l -> l.step() > 6 && l.qaId().contains("/goal_aim/")));
            assertTrue(log.stream().anyMatch(l -> l.step() > 6 && l.rehearsal()), "stage 1 rehearses");

            JsonNode at10 = resumeOf("plan", 10);
            assertEquals(1, at10.path("plan").path("stage").asInt());
            assertEquals(4, at10.path("plan").path("stepsInStage").asLong(), "steps 7..10 in stage 1");

            steps.clear();
            TrainerService.Summary two = new TrainerService(settings(stack, "plan", 14, plan, 0), stack.topics(),
                    new SimpleMeterRegistry(), Clock.systemUTC()).run(steps::add);
            System.out.printf("both runs: %.1f s%n", (System.nanoTime() - r0) / 1e9);
            assertTrue(two.resumed());
            assertEquals(14, two.steps());
            assertEquals(11, steps.get(0).step(), "continues after the newest checkpoint");
            assertEquals(0.002f, steps.get(0).learningRate(), "stage 1's rate, not stage 0's warm-up");
            List<QaFixtures.Trained> resumed = QaFixtures.sessions(dir.resolve("out"), "plan").get(1);
            assertTrue(resumed.stream().allMatch(l -> l.stage() == 1 && l.step() > 10), "still in stage 1");
            assertEquals(8, resumeOf("plan", 14).path("plan").path("stepsInStage").asLong());

            Set<String> before = new HashSet<>();
            log.stream().filter(l -> !l.rehearsal()).forEach(l -> before.add(l.qaId()));
            resumed.stream().filter(l -> !l.rehearsal()).forEach(l -> assertTrue(!before.contains(l.qaId()),
                    l.qaId() + " was trained before the checkpoint"));
        }
        System.out.printf("plan stages test: %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    @Test
    void aQuestionWhoseImageIsMissingNotAnImageOrCorruptIsDeadLetteredOnceAndTrainingGoesOn() throws Exception {
        long t0 = System.nanoTime();
        try (LocalStack stack = LocalStack.start(new LocalStack.Settings(dir.resolve("data"), 0, 0, 0, 1))) {
            Topics topics = stack.topics();
            // first in the topic, so the trainer meets them before it has trained anything
            QaRecord good = QaRecord.newBuilder().setQaId("bad/left_right/0").setSceneId("bad").setSplit("train")
                    .setFamily("static").setQuestionType("left_right").setQuestion("Left or right?")
                    .setChoices(List.of("left", "right")).setCorrectIndex(0).setCorrectAnswer("left")
                    .setLineage(Lineage.newBuilder().build()).build();
            QaRecord notAPng = QaRecord.newBuilder(good).setQaId("bad/left_right/1")
                    .setImages(List.of(new QaImage("bad/v0", "png",
                            ByteBuffer.wrap("not a png".getBytes(StandardCharsets.UTF_8))))).build();
            QaRecord missingFrame = QaRecord.newBuilder(good).setQaId("bad/left_right/2")
                    .setFrames(List.of(new FrameRef("v0", topics.frames().name(), 0, 12345L))).build();
            // a PNG signature and header over a body that does not inflate: passes the intake's signature check
            // and fails only when its batch is assembled
            byte[] corrupt = QaFixtures.png(new java.util.Random(3));
            java.util.Arrays.fill(corrupt, 41, corrupt.length - 12, (byte) 0x5a);
            QaRecord corruptBody = QaRecord.newBuilder(good).setQaId("bad/left_right/3")
                    .setImages(List.of(new QaImage("bad/v0", "png", ByteBuffer.wrap(corrupt)))).build();
            List<Long> offsets = new ArrayList<>();
            try (KafkaProducer<String, QaRecord> p = new KafkaProducer<>(
                    KafkaClients.producer(stack.bootstrapServers(), "bad-fixture"), topics.qa().keySerde().serializer(),
                    topics.qa().valueSerde().serializer())) {
                for (QaRecord r : List.of(notAPng, missingFrame, corruptBody)) {
                    offsets.add(p.send(new ProducerRecord<>(topics.qa().name(), 0, "bad", r)).get().offset());
                }
            }
            QaFixtures.publish(stack.bootstrapServers(), topics, 0, 6, 10, TYPES);
            MixingPlan plan = MixingPlan.parse("{\"stages\": [{\"weights\": {\"static\": 1, \"dynamic\": 1}}]}", "it");
            // 20 steps of 4 draw more than the 51 train records: every one is drawn, and a second pass re-reads
            // the bad ones, which must not be dead-lettered again
            TrainerService.Summary sum = new TrainerService(settings(stack, "bad", 20, plan, 0), topics,
                    new SimpleMeterRegistry(), Clock.systemUTC()).run(step -> { });
            assertEquals(20, sum.steps(), "training went on past the bad records");

            Map<Long, DeadLetter> dead = new HashMap<>();
            List<Long> deadOffsets = new ArrayList<>();
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(
                    KafkaClients.consumer(stack.bootstrapServers(), null, "bad-dlq-reader"), new StringDeserializer(),
                    new ByteArrayDeserializer())) {
                TopicPartition tp = new TopicPartition(topics.dlq().name(), 0);
                c.assign(List.of(tp));
                c.seekToBeginning(List.of(tp));
                long end = c.endOffsets(List.of(tp)).get(tp);
                while (c.position(tp) < end) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                        DeadLetter d = topics.dlq().valueSerde().deserializer().deserialize(r.topic(), r.value());
                        dead.put(d.getOffset(), d);
                        deadOffsets.add(d.getOffset());
                    }
                }
            }
            assertEquals(Set.copyOf(offsets), dead.keySet(), "each bad record dead-lettered: " + dead);
            assertEquals(offsets.size(), deadOffsets.size(), "once, over both passes: " + deadOffsets);
            DeadLetter png = dead.get(offsets.get(0));
            assertEquals("train", png.getStage());
            assertEquals(topics.qa().name(), png.getSourceTopic());
            assertEquals(0, png.getPartition());
            assertEquals("images[0].bytes", png.getField());
            assertTrue(png.getError().contains("not a PNG or JPEG") && png.getError().contains("6e 6f 74 20"),
                    png.getError());
            DeadLetter frame = dead.get(offsets.get(1));
            assertEquals("frames[0]", frame.getField());
            assertTrue(frame.getError().contains("12345") && frame.getError().contains("no frame there"),
                    frame.getError());
            DeadLetter body = dead.get(offsets.get(2));
            assertEquals("train", body.getStage());
            assertEquals(0, body.getPartition());
            assertTrue(body.getError().contains("bad/left_right/3: image 0"), body.getError());
        }
        System.out.printf("bad records test: %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    private JsonNode resumeOf(String runId, long step) throws Exception {
        Path cp = dir.resolve("out/checkpoints").resolve(runId).resolve(String.format("step-%06d", step));
        assertTrue(Files.isDirectory(cp), cp + " exists");
        return new ObjectMapper().readTree(Checkpoints.readInfo(cp).metadata().get(ResumePoint.KEY));
    }

    private void awaitTrained(String runId, List<String> qaIds, Thread t, AtomicReference<Throwable> failure)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        Set<String> missing = new HashSet<>(qaIds);
        while (!missing.isEmpty() && System.nanoTime() < deadline) {
            assertTrue(failure.get() == null, () -> "trainer failed: " + failure.get());
            assertTrue(t.isAlive(), "trainer exited early");
            Thread.sleep(100);
            missing = new HashSet<>(qaIds);
            for (List<QaFixtures.Trained> session : QaFixtures.sessions(dir.resolve("out"), runId)) {
                for (QaFixtures.Trained l : session) {
                    missing.remove(l.qaId());
                }
            }
        }
        assertTrue(missing.isEmpty(), missing.size() + " questions never trained, e.g. " + missing.stream().limit(5)
                .toList());
    }
}
