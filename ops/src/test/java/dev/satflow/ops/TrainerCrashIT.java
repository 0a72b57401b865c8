package dev.satflow.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.core.kafka.KafkaClients;
import dev.satflow.embedded.LocalStack;
import dev.satflow.schema.Lineage;
import dev.satflow.schema.QaImage;
import dev.satflow.schema.QaRecord;
import dev.satflow.trainer.data.QuestionCatalog;
import dev.satflow.trainer.stream.ExampleLog;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code satflow train --steps 0} in its own JVM, killed with SIGKILL after a checkpoint, then restarted with the
 * same run id while new questions arrive. From the trainer's own log of trained qaIds: it resumed from the newest
 * complete checkpoint; nothing trained at or before that checkpoint was trained again; the examples of the steps
 * between the checkpoint and the kill (the at-least-once window) were trained again; nothing was skipped.
 */
class TrainerCrashIT {
    private static final String RUN = "crash";
    private static final int BATCH = 8;
    private static final int EVERY = 5;
    private static final List<String> TYPES = List.of("left_right", "relative_depth", "goal_aim", "ego_movement");

    @TempDir
    Path dir;

    /** One complete line of an example log. */
    private record Trained(long step, boolean rehearsal, String qaId, int stage) {}

    @Test
    void killMinus9AfterACheckpointResumesFromItWithoutRetrainingOrSkipping() throws Exception {
        long t0 = System.nanoTime();
        Path out = dir.resolve("out");
        Path plan = dir.resolve("plan.json");
        Files.writeString(plan, """
                {"stages": [
                  {"name": "warm-up", "steps": 12, "weights": {"left_right": 1, "relative_depth": 1, "goal_aim": 1,
                   "ego_movement": 1}, "lr": {"schedule": "warmup", "warmup": 6}},
                  {"name": "main", "weights": {"static": 1, "dynamic": 1}, "rehearsal": 0.25}
                ]}""");
        Path config = dir.resolve("train.properties");
        Files.writeString(config, String.join("\n", "train.buffer=16", "train.reservoir=32", "train.linger=0.5",
                "train.plan=" + plan, ""));
        try (LocalStack stack = LocalStack.start(new LocalStack.Settings(dir.resolve("data"), 0, 0, 0, 3))) {
            Set<String> all = new HashSet<>(publish(stack, 0, 80));

            Process first = trainer(stack, out, config, dir.resolve("first.log"));
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            long newestAtSight = -1;
            while (System.nanoTime() < deadline) {
                assertTrue(first.isAlive(), "trainer died; see " + dir.resolve("first.log"));
                newestAtSight = newestCheckpoint(out);
                if (newestAtSight >= 2 * EVERY && maxStep(sessions(out)) >= newestAtSight + 2) {
                    break; // a checkpoint, and steps after it that the kill will lose
                }
                Thread.sleep(5);
            }
            first.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL by pid: no shutdown hook, no clean close
            long newestAtKill = newestCheckpoint(out);
            List<Trained> one = sessions(out).get(0);
            long lastStepOne = maxStep(List.of(one));
            assertTrue(newestAtKill >= 2 * EVERY, "killed after a checkpoint (newest: step " + newestAtKill + ")");
            int trainedBeforeKill = (int) one.stream().filter(l -> !l.rehearsal()).count();
            assertTrue(trainedBeforeKill < all.size(), "killed mid-stream: " + trainedBeforeKill + " of " + all.size());

            all.addAll(publish(stack, 80, 100)); // new questions arrive while it is down
            Process second = trainer(stack, out, config, dir.resolve("second.log"));
            try {
                Set<String> missing = new HashSet<>(all);
                while (!missing.isEmpty() && System.nanoTime() < deadline + TimeUnit.MINUTES.toNanos(3)) {
                    assertTrue(second.isAlive(), "restarted trainer died; see " + dir.resolve("second.log"));
                    Thread.sleep(200);
                    List<List<Trained>> s = sessions(out);
                    Set<String> m = new HashSet<>(all);
                    if (s.size() > 1 && !s.get(1).isEmpty()) {
                        long resumedAt = s.get(1).get(0).step() - 1;
                        one.stream().filter(l -> l.step() <= resumedAt).forEach(l -> m.remove(l.qaId()));
                        s.get(1).forEach(l -> m.remove(l.qaId()));
                    }
                    missing = m;
                }
                assertTrue(missing.isEmpty(), missing.size() + " train questions never trained, e.g. "
                        + missing.stream().limit(5).toList());
                // SIGTERM: the step in hand finishes and a final checkpoint keeps the steps since the last one
                second.destroy();
                assertTrue(second.waitFor(60, TimeUnit.SECONDS), "SIGTERM ends `satflow train`");
                String log = Files.readString(dir.resolve("second.log"));
                assertTrue(log.contains("satflow train: stopped cleanly"), "closed within its bound");
                long lastTrained = maxStep(List.of(sessions(out).get(1)));
                assertEquals(lastTrained, newestCheckpoint(out), "a checkpoint at the last trained step");
            } finally {
                second.destroyForcibly();
                second.waitFor(30, TimeUnit.SECONDS);
            }

            List<Trained> two = sessions(out).get(1);
            long resumedFrom = two.get(0).step() - 1;
            assertEquals(newestAtKill, resumedFrom, "resumed from the newest complete checkpoint");
            assertTrue(Files.readString(dir.resolve("second.log")).contains("resuming run " + RUN),
                    "the restart says it resumes");

            Map<String, Integer> before = fresh(one, 0, resumedFrom);
            Map<String, Integer> window = fresh(one, resumedFrom + 1, Long.MAX_VALUE);
            Map<String, Integer> after = fresh(two, 0, Long.MAX_VALUE);
            Set<String> twice = new HashSet<>(before.keySet());
            twice.retainAll(after.keySet());
            assertEquals(Set.of(), twice, "no example trained at or before the checkpoint was trained again");
            assertTrue(after.keySet().containsAll(window.keySet()), "the window's examples were trained again");
            assertTrue(window.size() <= (lastStepOne - resumedFrom) * BATCH, "window within the lost steps");
            Set<String> union = new HashSet<>(before.keySet());
            union.addAll(after.keySet());
            assertEquals(all, union, "nothing skipped: every train question trained, before the checkpoint or after");
            assertTrue(before.values().stream().allMatch(n -> n == 1) && after.values().stream().allMatch(n -> n == 1),
                    "once each within a session");
            assertTrue(two.stream().allMatch(l -> l.stage() == (l.step() <= 12 ? 0 : 1)),
                    "the plan continued at its stage across the restart");
            System.out.printf("kill -9 at step %d (newest checkpoint %d): %d examples trained before the checkpoint, "
                    + "%d in the window trained again, %d after; %.1f s%n", lastStepOne, resumedFrom, before.size(),
                    window.size(), after.size(), (System.nanoTime() - t0) / 1e9);
        }
    }

    private static Map<String, Integer> fresh(List<Trained> lines, long fromStep, long toStep) {
        Map<String, Integer> out = new HashMap<>();
        lines.stream().filter(l -> !l.rehearsal() && l.step() >= fromStep && l.step() <= toStep)
                .forEach(l -> out.merge(l.qaId(), 1, Integer::sum));
        return out;
    }

    private static long newestCheckpoint(Path out) throws Exception {
        Path runDir = out.resolve("checkpoints").resolve(RUN);
        if (!Files.isDirectory(runDir)) {
            return -1;
        }
        try (Stream<Path> list = Files.list(runDir)) {
            return list.map(p -> p.getFileName().toString()).filter(n -> n.matches("step-\\d+"))
                    .mapToLong(n -> Long.parseLong(n.substring(5))).max().orElse(-1);
        }
    }

    private static long maxStep(List<List<Trained>> sessions) {
        return sessions.stream().flatMap(List::stream).mapToLong(Trained::step).max().orElse(-1);
    }

    /** Each session's complete lines (a killed writer may leave the last line cut), in start order. */
    private static List<List<Trained>> sessions(Path out) throws Exception {
        Path logs = ExampleLog.folder(out, RUN);
        List<List<Trained>> result = new ArrayList<>();
        if (!Files.isDirectory(logs)) {
            return result;
        }
        try (Stream<Path> files = Files.list(logs)) {
            for (Path f : files.sorted().toList()) {
                String text = Files.readString(f, StandardCharsets.UTF_8);
                List<Trained> lines = new ArrayList<>();
                int end = text.lastIndexOf('\n');
                for (String line : text.substring(0, Math.max(0, end)).split("\n")) {
                    if (!line.isEmpty() && !line.startsWith("#")) {
                        String[] c = line.split("\t");
                        lines.add(new Trained(Long.parseLong(c[0]), c[1].equals("rehearsal"), c[2],
                                Integer.parseInt(c[3])));
                    }
                }
                result.add(lines);
            }
        }
        return result;
    }

    /** Ten questions per scene in {@code [from, to)} over four types, every fifth on the test split; the train ids. */
    private static List<String> publish(LocalStack stack, int from, int to) throws Exception {
        List<String> train = new ArrayList<>();
        try (KafkaProducer<String, QaRecord> p = new KafkaProducer<>(
                KafkaClients.producer(stack.bootstrapServers(), "crash-test-publish"),
                stack.topics().qa().keySerde().serializer(), stack.topics().qa().valueSerde().serializer())) {
            for (int s = from; s < to; s++) {
                String scene = "scene-" + s;
                Random rnd = new Random(s);
                ByteBuffer png = ByteBuffer.wrap(png(rnd));
                for (int q = 0; q < 10; q++) {
                    String type = TYPES.get((s + q) % TYPES.size());
                    String split = q % 5 == 4 ? "test" : "train";
                    int correct = rnd.nextInt(2);
                    String qaId = scene + "/" + type + "/" + q;
                    p.send(new ProducerRecord<>(stack.topics().qa().name(), scene, QaRecord.newBuilder()
                            .setQaId(qaId).setSceneId(scene).setSplit(split)
                            .setFamily(QuestionCatalog.family(type).wireName()).setQuestionType(type)
                            .setQuestion("Is thing " + q + " left or right?").setChoices(List.of("left", "right"))
                            .setCorrectIndex(correct).setCorrectAnswer(correct == 0 ? "left" : "right")
                            .setImages(List.of(new QaImage(scene + "/v0", "png", png.duplicate())))
                            .setLineage(Lineage.newBuilder().build()).build()));
                    if (split.equals("train")) {
                        train.add(qaId);
                    }
                }
            }
            p.flush();
        }
        return train;
    }

    private static byte[] png(Random rnd) throws Exception {
        BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256)));
        g.fillRect(0, 0, 16, 16);
        g.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(img, "png", bytes);
        return bytes.toByteArray();
    }

    /** {@code satflow train --steps 0} in its own JVM; the same run id every time. */
    private static Process trainer(LocalStack stack, Path out, Path config, Path log) throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.satflow.schema", "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dorg.slf4j.simpleLogger.log.dev.satflow=info",
                "-cp", cp, "dev.satflow.ops.Satflow", "train", "--bootstrap", stack.bootstrapServers(), "--registry",
                stack.registryUrl(), "--config", config.toString(), "--run-id", RUN, "--steps", "0", "--out",
                out.toString(), "--batch", Integer.toString(BATCH), "--checkpoint-every", Integer.toString(EVERY),
                "--image-size", "16");
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(new File(log.toString())).start();
    }
}
