package dev.satflow.ops.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.contracts.Topics;
import dev.satflow.core.config.SatflowSettings;
import dev.satflow.embedded.LocalStack;
import dev.satflow.ops.stages.GroupLag;
import dev.satflow.ops.stages.Stages;
import dev.satflow.producers.generate.SceneGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The single embedded broker stopped and started again on the same data folder and ports while a
 * renderer and the QA processor run as their own processes: both reconnect by themselves and finish the
 * work. Afterwards a retried {@code generate} publishes a third of the scenes again (same ids, same
 * content): no frame and no question is duplicated. Finally both stages stop cleanly on SIGTERM.
 */
class BrokerRestartIT {
    private static final int SCENES = 18;

    @TempDir
    Path dir;

    @Test
    void stagesReconnectAfterABrokerRestartAndRepublishedScenesDuplicateNothing() throws Exception {
        long t0 = System.nanoTime();
        Map<String, Object> flags = new HashMap<>();
        flags.put("render.width", 128);
        flags.put("render.height", 128);
        SceneGenerator generator = new SceneGenerator(Stages.generator(SatflowSettings.load(null, flags)));
        try (LocalStack stack = LocalStack.start(new LocalStack.Settings(dir.resolve("stack"), 0, 0, 0, 3));
                GroupLag lag = new GroupLag(stack.bootstrapServers())) {
            Topics topics = stack.topics();
            String[] conn = {"--bootstrap", stack.bootstrapServers(), "--registry", stack.registryUrl(), "--data-dir",
                dir.resolve("stage-data").toString()};
            Path renderLog = dir.resolve("render.log");
            Path qaLog = dir.resolve("qa.log");
            // no --instance-id: the default (host and a free slot) is stable across restarts
            Process render = Faults.satflow(renderLog, concat(new String[] {"render", "--group", "restart-render"},
                    conn));
            Process qa = Faults.satflow(qaLog, concat(new String[] {"qa"}, conn));
            try {
                Faults.awaitLog(qa, qaLog, "QA processor satflow-qa running", Duration.ofMinutes(2));
                Faults.awaitLog(render, renderLog, "rendering with 1 worker(s)", Duration.ofMinutes(2));
                Map<String, Integer> views = new HashMap<>(Faults.publish(stack.bootstrapServers(), topics, generator,
                        700, 700 + SCENES / 2, 3, Duration.ofMillis(200)));
                Faults.await(() -> Faults.framesPerView(stack.bootstrapServers(), topics).size() >= 10,
                        Duration.ofMinutes(2), "first frames");

                long down = System.nanoTime();
                stack.stopKafka();
                Thread.sleep(4000); // the stages find the broker gone
                assertTrue(render.isAlive() && qa.isAlive(), "stages survive the broker going away");
                stack.startKafka(); // same data folder, same ports
                System.out.printf("BrokerRestartIT: broker down for %.1f s%n", (System.nanoTime() - down) / 1e9);

                views.putAll(Faults.publish(stack.bootstrapServers(), topics, generator, 700 + SCENES / 2,
                        700 + SCENES, 3, Duration.ofMillis(200)));
                // a retried generate: the first third again, same ids and content
                Faults.publish(stack.bootstrapServers(), topics, generator, 700, 700 + SCENES / 3, 100, Duration.ZERO);
                List<String> inputs = List.of(topics.scenes().name(), topics.frames().name());
                Faults.await(() -> {
                    assertTrue(render.isAlive(), "renderer died:\n" + Faults.tail(renderLog));
                    assertTrue(qa.isAlive(), "QA processor died:\n" + Faults.tail(qaLog));
                    return lag.lag("restart-render", List.of(topics.scenes().name())) == 0
                            && lag.lag("satflow-qa", inputs) == 0;
                }, Duration.ofMinutes(3), "both stages to finish after the restart");

                assertTrue(Faults.terminate(render, Duration.ofSeconds(60)), "SIGTERM ends `satflow render`");
                assertTrue(Faults.terminate(qa, Duration.ofSeconds(60)), "SIGTERM ends `satflow qa`");
                assertTrue(Files.readString(renderLog).contains("satflow render: stopped cleanly"),
                        Faults.tail(renderLog));
                assertTrue(Files.readString(qaLog).contains("satflow qa: stopped cleanly"), Faults.tail(qaLog));
                long skipped = Files.readAllLines(renderLog).stream().filter(l -> l.contains("rendered before from the same spec: skipped")).count();
                assertEquals(SCENES / 3, skipped, "each re-published scene skipped by the renderer:\n"
                        + Faults.tail(renderLog));

                Map<String, Integer> frames = Faults.framesPerView(stack.bootstrapServers(), topics);
                assertEquals(List.of(), Faults.repeated(frames), "no (scene, view) twice");
                assertEquals(views.values().stream().mapToInt(Integer::intValue).sum(), frames.size(),
                        "every (scene, view) once");
                // the last transaction's commit markers reach the QA topic a moment after its offsets
                Faults.await(() -> Faults.answered(stack.bootstrapServers(), topics).equals(views.keySet()),
                        Duration.ofSeconds(30), "questions for every scene");
                Map<String, Integer> questions = Faults.qaPerId(stack.bootstrapServers(), topics);
                assertEquals(List.of(), Faults.repeated(questions), "no qaId twice");
                System.out.printf("BrokerRestartIT: %d frames and %d questions once each, %d re-published scenes "
                        + "skipped; %.1f s%n", frames.size(), questions.size(), skipped, (System.nanoTime() - t0) / 1e9);
            } finally {
                Faults.stopQuietly(render);
                Faults.stopQuietly(qa);
            }
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
