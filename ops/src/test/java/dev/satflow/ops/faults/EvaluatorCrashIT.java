package dev.satflow.ops.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.contracts.Topics;
import dev.satflow.core.kafka.KafkaClients;
import dev.satflow.embedded.LocalStack;
import dev.satflow.ops.stages.TopicScan;
import dev.satflow.schema.Checkpoint;
import dev.satflow.schema.EvalReport;
import dev.satflow.schema.Lineage;
import dev.satflow.schema.QaImage;
import dev.satflow.schema.QaRecord;
import dev.satflow.trainer.ModelTrainer;
import dev.satflow.trainer.TrainerConfig;
import dev.satflow.trainer.model.ModelConfig;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code satflow evaluate} in its own JVM, killed with SIGKILL after its first report while announced
 * checkpoints wait, then restarted: every checkpoint ends up with exactly one EvalReport on
 * satflow.eval.v1 (reports and the checkpoint offsets commit in one transaction; before, the offsets
 * were committed after the reports, and a restart announced again what it had announced). The restarted
 * evaluator is then stopped with SIGTERM and must stop cleanly.
 */
class EvaluatorCrashIT {
    private static final int CHECKPOINTS = 6;
    private static final String GROUP = "eval-crash";

    @TempDir
    Path dir;

    @Test
    void killMinus9AfterAReportEvaluatesEveryCheckpointExactlyOnce() throws Exception {
        long t0 = System.nanoTime();
        try (LocalStack stack = LocalStack.start(new LocalStack.Settings(dir.resolve("stack"), 0, 0, 0, 2))) {
            Topics topics = stack.topics();
            publishQuestions(stack, 30);
            Path checkpoint = dir.resolve("checkpoints/run-1/step-0");
            try (ModelTrainer trainer = ModelTrainer.create(ModelConfig.withImageSize(32), TrainerConfig.defaults())) {
                trainer.saveCheckpoint(checkpoint, Map.of());
            }
            try (KafkaProducer<String, Checkpoint> p = new KafkaProducer<>(
                    KafkaClients.producer(stack.bootstrapServers(), "eval-crash-announce"),
                    topics.checkpoints().keySerde().serializer(), topics.checkpoints().valueSerde().serializer())) {
                for (int i = 1; i <= CHECKPOINTS; i++) {
                    p.send(new ProducerRecord<>(topics.checkpoints().name(), "run-1", Checkpoint.newBuilder()
                            .setCheckpointId("run-1-step-" + i).setRunId("run-1").setStep(i)
                            .setPath(checkpoint.toString()).build())).get();
                }
            }
            String[] eval = {"evaluate", "--bootstrap", stack.bootstrapServers(), "--registry", stack.registryUrl(),
                "--group", GROUP, "--out", dir.resolve("out").toString()};
            Path log1 = dir.resolve("eval-1.log");
            Path log2 = dir.resolve("eval-2.log");
            Process first = Faults.satflow(log1, eval);
            Process second = null;
            try {
                Faults.await(() -> {
                    assertTrue(first.isAlive(), "evaluator died:\n" + Faults.tail(log1));
                    return reports(stack, topics).size() >= 1;
                }, Duration.ofMinutes(3), "a first committed report");
                Faults.kill9(first);
                int atKill = reports(stack, topics).size();
                assertTrue(atKill < CHECKPOINTS, "killed with checkpoints left (" + atKill + " reported)");

                second = Faults.satflow(log2, eval);
                Process s = second;
                Faults.await(() -> {
                    assertTrue(s.isAlive(), "restarted evaluator died:\n" + Faults.tail(log2));
                    return reports(stack, topics).keySet().size() >= CHECKPOINTS;
                }, Duration.ofMinutes(3), "every checkpoint reported");
                Thread.sleep(1500); // a duplicate, if any, would be on its way now
                assertTrue(Faults.terminate(second, Duration.ofSeconds(70)), "SIGTERM ends `satflow evaluate`");
                assertTrue(Files.readString(log2).contains("satflow evaluate: stopped cleanly"), Faults.tail(log2));
                System.out.printf("EvaluatorCrashIT: kill -9 after %d of %d reports; ", atKill, CHECKPOINTS);
            } finally {
                Faults.stopQuietly(first);
                Faults.stopQuietly(second);
            }
            Map<String, Integer> perCheckpoint = reports(stack, topics);
            assertEquals(CHECKPOINTS, perCheckpoint.size(), "a report per checkpoint: " + perCheckpoint);
            assertEquals(List.of(), Faults.repeated(perCheckpoint), "each checkpoint reported once");
            for (int i = 1; i <= CHECKPOINTS; i++) {
                assertTrue(Files.isRegularFile(dir.resolve("out/reports/run-1-step-" + i + "/report.json")),
                        "report files of checkpoint " + i);
            }
            System.out.printf("every checkpoint reported once; %.1f s%n", (System.nanoTime() - t0) / 1e9);
        }
    }

    /** Committed EvalReports per checkpoint id. */
    private static Map<String, Integer> reports(LocalStack stack, Topics topics) {
        Map<String, Integer> out = new TreeMap<>();
        TopicScan.scan(stack.bootstrapServers(), topics.eval(), e -> {
            EvalReport r = e.value();
            out.merge(r.getCheckpointId(), 1, Integer::sum);
            return true;
        });
        return out;
    }

    /** Five questions per scene (three on the test split), each with its image inline. */
    private static void publishQuestions(LocalStack stack, int scenes) throws Exception {
        try (KafkaProducer<String, QaRecord> p = new KafkaProducer<>(
                KafkaClients.producer(stack.bootstrapServers(), "eval-crash-publish"),
                stack.topics().qa().keySerde().serializer(), stack.topics().qa().valueSerde().serializer())) {
            for (int s = 0; s < scenes; s++) {
                String scene = "scene-" + s;
                Random rnd = new Random(s);
                ByteBuffer png = ByteBuffer.wrap(png(rnd));
                for (int q = 0; q < 5; q++) {
                    int correct = rnd.nextInt(2);
                    p.send(new ProducerRecord<>(stack.topics().qa().name(), scene, QaRecord.newBuilder()
                            .setQaId(scene + "/left_right/" + q).setSceneId(scene).setSplit(q < 3 ? "test" : "train")
                            .setFamily("static").setQuestionType("left_right")
                            .setQuestion("Is thing " + q + " to the left or right of the lamp?")
                            .setChoices(List.of("left", "right")).setCorrectIndex(correct)
                            .setCorrectAnswer(correct == 0 ? "left" : "right")
                            .setImages(List.of(new QaImage(scene + "/v0", "png", png.duplicate())))
                            .setLineage(Lineage.newBuilder().build()).build()));
                }
            }
            p.flush();
        }
    }

    private static byte[] png(Random rnd) throws Exception {
        BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256)));
        g.fillRect(0, 0, 32, 32);
        g.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(img, "png", bytes);
        return bytes.toByteArray();
    }
}
