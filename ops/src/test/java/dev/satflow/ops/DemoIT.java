package dev.satflow.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.satflow.ops.stages.TopicScan;
import dev.satflow.schema.Checkpoint;
import dev.satflow.schema.EvalReport;
import dev.satflow.schema.Frame;
import dev.satflow.schema.QaRecord;
import dev.satflow.schema.SceneSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole loop through the CLI on the embedded broker: every topic gets records, a checkpoint is scored. */
class DemoIT {
    @TempDir
    Path dir;

    @Test
    void smallDemoFillsEveryTopicTrainsAndEvaluates() throws Exception {
        Path out = dir.resolve("demo");
        Path config = dir.resolve("demo.properties");
        // smaller frames and a larger test share keep the run short and the evaluation non-empty; a
        // buffer of two batches per family fills with static examples long before the topic ends,
        // so the trainer must keep stepping while one family's buffer is full (it once stalled there)
        Files.writeString(config, String.join("\n", "render.width=256", "render.height=256",
                "generate.test-fraction=0.3", "generate.val-fraction=0", "train.batch=16", "train.buffer=32",
                "partitions=3", ""));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        int code;
        try {
            System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
            code = Satflow.commandLine().execute("demo", "--config", config.toString(), "--scenes", "10", "--steps",
                    "20", "--checkpoint-every", "10", "--out", out.toString());
        } finally {
            System.setOut(saved);
        }
        String printed = console.toString(StandardCharsets.UTF_8);
        System.out.println(printed);
        assertEquals(0, code, "demo exit code");

        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(10, summary.get("scenes").asInt());
        assertTrue(summary.get("frames").asLong() >= 10, "at least one frame per scene");
        assertEquals(20, summary.get("train_steps").asLong());
        for (String type : List.of("left_right", "relative_depth", "ego_movement")) {
            assertTrue(summary.get("qa").path(type).asLong() > 0, "questions of type " + type + ": " + summary);
        }
        assertTrue(summary.get("accuracy").size() > 0, "per-type accuracy in " + summary);
        assertTrue(summary.get("blind").path("left_right").has("blind_category"), "blind baselines in " + summary);
        assertTrue(printed.contains("% of frames"), "topic sizes printed");
        for (String stage : List.of("generate", "render", "qa", "train", "total")) {
            assertTrue(summary.get("wall_seconds").get(stage).asDouble() > 0, "wall time of " + stage);
        }
        assertTrue(printed.contains("question type") && printed.contains("accuracy") && printed.contains("chance"),
                "per-type table printed");
        Path report = Path.of(summary.get("report").asText());
        assertTrue(Files.isRegularFile(report) && Files.isRegularFile(report.resolveSibling("report.json")));

        // every topic holds what the stages wrote, read back from the demo's own (stopped) data folder
        try (Cluster cluster = Cluster.embedded(out.resolve("data"), 3)) {
            List<SceneSpec> specs = TopicScan.values(cluster.bootstrap(), cluster.topics().scenes());
            List<Frame> frames = TopicScan.values(cluster.bootstrap(), cluster.topics().frames());
            List<QaRecord> qa = TopicScan.values(cluster.bootstrap(), cluster.topics().qa());
            List<Checkpoint> checkpoints = TopicScan.values(cluster.bootstrap(), cluster.topics().checkpoints());
            List<EvalReport> evals = TopicScan.values(cluster.bootstrap(), cluster.topics().eval());
            assertEquals(10, specs.size());
            int views = specs.stream().mapToInt(s -> s.getViews().size()).sum();
            assertEquals(views, frames.size(), "exactly one frame per view");
            Set<String> frameKeys = new HashSet<>();
            frames.forEach(f -> frameKeys.add(f.getSceneId() + "|" + f.getViewId()));
            assertEquals(views, frameKeys.size(), "no duplicate frames");
            assertEquals(summary.get("frames").asLong(), frames.size());
            // questions reference frames (claim check): every reference is a frame of the topic, no pixels copied
            Set<String> framesAt = new HashSet<>();
            TopicScan.scan(cluster.bootstrap(), cluster.topics().frames(), e -> framesAt.add(e.partition() + "@"
                    + e.offset() + "=" + e.value().getViewId()));
            assertTrue(qa.size() > 0);
            for (QaRecord q : qa) {
                assertTrue(q.getImages().isEmpty() && !q.getFrames().isEmpty(), q.getQaId());
                q.getFrames().forEach(f -> assertTrue(framesAt.contains(f.getPartition() + "@" + f.getOffset() + "="
                        + f.getViewId()), q.getQaId() + " references " + f));
            }
            assertTrue(summary.get("topic_bytes").get("qa").asLong() > 0);
            // 256² frames are a sixth of the default's bytes, so the share is larger here than a default demo's
            assertTrue(summary.get("topic_bytes").get("qa_over_frames").asDouble() < 0.10,
                    "the QA topic weighs a small part of the frames: " + summary.get("topic_bytes"));
            assertEquals(2, checkpoints.size(), "a checkpoint every 10 of 20 steps");
            assertTrue(checkpoints.stream().allMatch(c -> Files.isDirectory(Path.of(c.getPath()))));
            assertEquals(2, evals.size(), "every checkpoint evaluated");
            assertTrue(TopicScan.values(cluster.bootstrap(), cluster.topics().dlq()).isEmpty(),
                    "a clean run dead-letters nothing");
        }
    }
}
