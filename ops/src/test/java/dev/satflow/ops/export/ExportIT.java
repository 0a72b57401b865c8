package dev.satflow.ops.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.satflow.contracts.Topics;
import dev.satflow.core.config.Config;
import dev.satflow.core.config.SatflowSettings;
import dev.satflow.core.kafka.KafkaClients;
import dev.satflow.ops.Cluster;
import dev.satflow.ops.Satflow;
import dev.satflow.ops.stages.Stages;
import dev.satflow.ops.stages.TopicScan;
import dev.satflow.producers.generate.SceneGenerator;
import dev.satflow.producers.kafka.RenderService;
import dev.satflow.qa.QaApp;
import dev.satflow.schema.QaRecord;
import dev.satflow.schema.SceneSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `satflow export` against a real pipeline on the embedded broker: every format gets every question
 * of the chosen split with its marked images; the sat-parquet export reads back in DuckDB with the
 * HF array/SAT columns; the manifest pins the offset range, and its command rebuilds the export.
 */
class ExportIT {
    @TempDir
    Path dir;

    @Test
    void exportsEveryFormatFromTheTopicsAndTheManifestRebuildsIt() throws Exception {
        Map<String, Object> flags = new HashMap<>();
        flags.put("data-dir", dir.resolve("data").toString());
        flags.put("partitions", 2);
        flags.put("render.width", 128);
        flags.put("render.height", 128);
        Config config = SatflowSettings.load(null, flags);
        try (Cluster cluster = Cluster.connect(config)) {
            Topics topics = cluster.topics();
            SceneGenerator generator = new SceneGenerator(Stages.generator(config));
            int scenes = 6;
            try (KafkaProducer<String, SceneSpec> producer = new KafkaProducer<>(
                    KafkaClients.producer(cluster.bootstrap(), "export-test"), topics.scenes().keySerde().serializer(),
                    topics.scenes().valueSerde().serializer())) {
                for (int i = 0; i < scenes; i++) {
                    SceneSpec s = generator.generate(400 + i);
                    producer.send(new ProducerRecord<>(topics.scenes().name(), s.getSceneId(), s)).get();
                }
            }
            QaApp.Settings qa = Stages.qa(config, cluster.bootstrap());
            RenderService.Settings rs = Stages.render(config, cluster.bootstrap());
            rs = new RenderService.Settings(rs.bootstrap(), rs.group(), "export-test", 1, scenes);
            try (QaApp app = new QaApp(qa, Stages.qaTopology(config, topics)).start(Duration.ofMinutes(2));
                    RenderService render = new RenderService(rs, topics, Stages.glRenderers(),
                            new SimpleMeterRegistry(), Clock.systemUTC()).start()) {
                render.await();
                dev.satflow.ops.stages.GroupLag lag = new dev.satflow.ops.stages.GroupLag(cluster.bootstrap());
                while (lag.lag(qa.applicationId(), List.of(topics.scenes().name(), topics.frames().name())) > 0) {
                    Thread.sleep(200);
                }
                lag.close();
            }
            List<QaRecord> all = TopicScan.values(cluster.bootstrap(), topics.qa());
            Map<String, Long> perSplit = new TreeMap<>();
            all.forEach(q -> perSplit.merge(q.getSplit(), 1L, Long::sum));
            assertTrue(all.size() > 40, all.size() + " questions");

            String[] stack = {"--bootstrap", cluster.bootstrap(), "--registry", cluster.registryUrl()};
            for (String format : List.of("sat-parquet", "llava", "webdataset", "jsonl")) {
                Path out = dir.resolve(format);
                assertEquals(0, Satflow.commandLine().execute(concat(new String[] {"export"}, concat(stack, "--format", format, "--out",
                        out.toString()))), format);
                JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
                long counted = 0;
                for (JsonNode split : manifest.path("counts").path("by_split")) {
                    counted += split.asLong();
                }
                if (counted == 0) { // the manifest's layout is the writer's; fall back to the summary total
                    counted = manifest.path("summary").path("questions").asLong(manifest.path("questions").asLong());
                }
                assertEquals(all.size(), counted, format + " manifest counts: " + manifest);
                assertTrue(manifest.toString().contains("--from-offsets") && manifest.toString().contains("--to-offsets"),
                        "the rebuild command pins the range: " + manifest);
            }

            // sat-parquet read back by DuckDB: HF array/SAT columns, one file per split, images are PNGs
            Properties p = new Properties();
            p.setProperty("autoload_known_extensions", "false");
            p.setProperty("autoinstall_known_extensions", "false");
            try (Connection duck = DriverManager.getConnection("jdbc:duckdb:", p); Statement st = duck.createStatement()) {
                for (Map.Entry<String, Long> split : perSplit.entrySet()) {
                    Path file = dir.resolve("sat-parquet").resolve(split.getKey() + ".parquet");
                    assertTrue(Files.isRegularFile(file), file.toString());
                    try (ResultSet r = st.executeQuery("SELECT count(*), sum(len(image_bytes)), "
                            + "bool_and(list_contains(answers, correct_answer)) FROM read_parquet('" + file + "')")) {
                        r.next();
                        assertEquals(split.getValue(), r.getLong(1), split.getKey() + " rows");
                        assertTrue(r.getLong(2) >= split.getValue(), "at least one image per row");
                        assertTrue(r.getBoolean(3), "correct_answer among answers");
                    }
                    try (ResultSet r = st.executeQuery("SELECT unnest(image_bytes) FROM read_parquet('" + file + "')")) {
                        while (r.next()) {
                            byte[] png = r.getBytes(1);
                            assertTrue(png.length > 8 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "a PNG");
                        }
                    }
                }
            }

            // a test-split-only export of one type, rebuilt from its manifest's command
            Path only = dir.resolve("only");
            assertEquals(0, Satflow.commandLine().execute(concat(new String[] {"export"}, concat(stack, "--format", "jsonl", "--out",
                    only.toString(), "--split", "train", "--types", "left_right"))));
            long expected = all.stream().filter(q -> q.getSplit().equals("train")
                    && q.getQuestionType().equals("left_right")).count();
            assertEquals(expected, Files.readAllLines(only.resolve("train.jsonl")).size());
            String command = new ObjectMapper().readTree(only.resolve("manifest.json").toFile()).path("command").asText();
            String[] args = command.replace("satflow ", "").replace(only.toString(), dir.resolve("again").toString())
                    .split(" ");
            assertEquals(0, Satflow.commandLine().execute(concat(args, stack)));
            assertEquals(Files.readAllLines(only.resolve("train.jsonl")),
                    Files.readAllLines(dir.resolve("again").resolve("train.jsonl")), "the command rebuilds it");
            assertEquals(2, Satflow.commandLine().execute(concat(new String[] {"export"}, concat(stack, "--format", "tiff", "--out",
                    dir.resolve("bad").toString()))), "unknown format: usage error");
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
