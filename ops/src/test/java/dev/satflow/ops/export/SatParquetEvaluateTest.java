package dev.satflow.ops.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.satflow.ops.Satflow;
import dev.satflow.trainer.ModelTrainer;
import dev.satflow.trainer.TrainerConfig;
import dev.satflow.trainer.model.ModelConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code satflow evaluate --dataset FILE.parquet --checkpoint DIR} end to end through the CLI, with Hadoop off the
 * class path: on a file in HF's own arrangement (right answer first; 1- and 2-image rows; five types; several row
 * groups) written by the project's writer, with three broken rows; on the exporter's output folder; with --types,
 * --limit and several --dataset; and its usage errors. The checkpoint is an untrained model (the scores only have
 * to be honest, not good).
 */
class SatParquetEvaluateTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;

    private static Path checkpoint;
    /** Rows of the HF-like file by type, and its broken rows. */
    private static Path satFile;
    private static int notAmongAnswers;
    private static int notAnImage;
    private static int corruptPng;

    @TempDir
    Path tmp;

    @BeforeAll
    static void checkpointAndDataset() throws Exception {
        checkpoint = shared.resolve("checkpoints/tiny/step-000000");
        try (ModelTrainer trainer = ModelTrainer.create(ModelConfig.defaults(), TrainerConfig.defaults())) {
            trainer.saveCheckpoint(checkpoint, Map.of("runId", "tiny", "checkpointId", "tiny-step-000000"));
        }
        satFile = shared.resolve("sat.parquet");
        writeHfLike(satFile);
    }

    /**
     * Six questions of each of five types, the right answer first as in HF's files; then a row whose correct_answer
     * is not among its answers, one whose image is not an image, and one whose PNG does not decode.
     */
    private static void writeHfLike(Path file) throws Exception {
        Random r = new Random(5);
        List<SatParquetFile.Row> rows = new ArrayList<>();
        String[][] types = {
            {"left_right", "1", "left", "right"},
            {"counting", "1", "2", "3", "1", "4"},
            {"ego_movement", "2", "rotated left", "rotated right"},
            {"goal_aim", "1", "left by 30 degrees", "right by 30 degrees", "look straight"},
            {"obj_movement", "2", "no objects moved", "the mug was moved left and towards the camera"},
        };
        int seed = 0;
        for (int i = 0; i < 6; i++) {
            for (String[] t : types) {
                int images = Integer.parseInt(t[1]);
                List<byte[]> imgs = new ArrayList<>();
                for (int k = 0; k < images; k++) {
                    imgs.add(ExportFixtures.png(40, seed++));
                }
                List<String> answers = new ArrayList<>(List.of(t).subList(2, t.length));
                if (i % 2 == 1) { // another right answer, still listed first
                    String a = answers.remove(1);
                    answers.add(0, a);
                }
                rows.add(new SatParquetFile.Row(imgs, "Question " + i + " about " + t[0] + " #" + r.nextInt(1000) + "?",
                        answers, t[0], answers.get(0)));
            }
        }
        notAmongAnswers = 7;
        rows.add(notAmongAnswers, new SatParquetFile.Row(List.of(ExportFixtures.png(40, 900)), "Is it left?",
                List.of("left", "right"), "left_right", "above"));
        notAnImage = 19;
        byte[] noise = new byte[300];
        r.nextBytes(noise);
        noise[0] = 0x13;
        rows.add(notAnImage, new SatParquetFile.Row(List.of(ExportFixtures.png(40, 901), noise), "How did it move?",
                List.of("rotated left", "rotated right"), "ego_movement", "rotated left"));
        corruptPng = 25;
        byte[] png = ExportFixtures.png(40, 902);
        byte[] broken = java.util.Arrays.copyOf(png, 60); // the signature and header, then nothing
        rows.add(corruptPng, new SatParquetFile.Row(List.of(broken), "How many chairs?", List.of("2", "3"),
                "counting", "2"));
        Options o = Options.defaults().withRowGroupBytes(60_000).withPageBytes(16 << 10);
        try (SatParquetFile w = new SatParquetFile(file, o)) {
            for (SatParquetFile.Row row : rows) {
                w.write(row);
            }
        }
    }

    /** What a CLI run printed and returned. */
    record Run(int exit, String out, String err) {}

    private static Run satflow(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            var cl = Satflow.commandLine();
            cl.setErr(new java.io.PrintWriter(System.err, true));
            exit = cl.execute(args);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        Run r = new Run(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        System.out.print(r.out());
        System.err.print(r.err());
        return r;
    }

    private static Map<String, Long> duckDbCountsByType(Path... files) throws Exception {
        Properties p = new Properties();
        p.setProperty("autoload_known_extensions", "false");
        p.setProperty("autoinstall_known_extensions", "false");
        p.setProperty("threads", "1");
        Map<String, Long> out = new TreeMap<>();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:", p); Statement st = duck.createStatement()) {
            for (Path f : files) {
                try (ResultSet rs = st.executeQuery("SELECT question_type, count(*) FROM read_parquet('"
                        + f.toString().replace("'", "''") + "') GROUP BY 1")) {
                    while (rs.next()) {
                        out.merge(rs.getString(1), rs.getLong(2), Long::sum);
                    }
                }
            }
        }
        return out;
    }

    private static JsonNode report(Path out) throws Exception {
        Path json = out.resolve("tiny-step-000000/report.json");
        assertTrue(Files.isRegularFile(json), json + " written");
        return JSON.readTree(json.toFile());
    }

    private static void circularNeverAbovePlain(JsonNode report) {
        assertTrue(report.get("circular_accuracy").asDouble() <= report.get("accuracy").asDouble(), report.toString());
        for (Iterator<Map.Entry<String, JsonNode>> it = report.get("types").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode t = e.getValue();
            assertTrue(t.get("circular_correct").asInt() <= t.get("correct").asInt(), e.getKey() + ": " + t);
            assertTrue(t.get("circular_accuracy").asDouble() <= t.get("accuracy").asDouble(), e.getKey() + ": " + t);
        }
    }

    @Test
    void scoresEveryRowOfAnHfLikeFileAndReportsBrokenRowsByIndex() throws Exception {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.apache.hadoop.conf.Configuration"),
                "the ops tests must run without Hadoop (surefire classpathDependencyExcludes in ops/pom.xml)");
        try (SatParquetReader r = SatParquetReader.open(satFile)) {
            assertTrue(r.rowGroups() > 2, r.rowGroups() + " row groups");
            assertEquals(33, r.rows());
        }
        Path out = tmp.resolve("eval");
        Run run = satflow("evaluate", "--dataset", satFile.toString(), "--checkpoint", checkpoint.toString(),
                "--out", out.toString(), "--chunk", "8");
        assertEquals(0, run.exit(), run.err());

        JsonNode rep = report(out);
        assertEquals("tiny-step-000000", rep.get("checkpointId").asText());
        assertEquals("tiny", rep.get("runId").asText());
        assertEquals(0, rep.get("step").asLong());
        assertEquals("sat", rep.get("split").asText(), "the dataset's name stands for the split");
        assertEquals(30, rep.get("count").asInt(), "every valid row scored");

        // per type: the file's counts (DuckDB's), less the broken rows of that type
        Map<String, Long> inFile = duckDbCountsByType(satFile);
        assertEquals(Map.of("counting", 7L, "ego_movement", 7L, "goal_aim", 6L, "left_right", 7L,
                "obj_movement", 6L), inFile);
        Map<String, Long> skippedByType = Map.of("left_right", 1L, "ego_movement", 1L, "counting", 1L);
        Map<String, Long> scored = new TreeMap<>();
        rep.get("types").fields().forEachRemaining(e -> scored.put(e.getKey(), e.getValue().get("count").asLong()));
        Map<String, Long> expected = new TreeMap<>();
        inFile.forEach((t, n) -> expected.put(t, n - skippedByType.getOrDefault(t, 0L)));
        assertEquals(expected, scored);
        JsonNode d = rep.get("dataset");
        Map<String, Long> selected = new TreeMap<>();
        d.get("rows_by_type").fields().forEachRemaining(e -> selected.put(e.getKey(), e.getValue().asLong()));
        assertEquals(inFile, selected, "rows by type as in the file");
        assertEquals(33, d.get("rows_read").asLong());
        assertTrue(d.get("largest_page_bytes").asLong() > 0 && d.get("largest_page_bytes").asLong() < 60_000,
                d.toString());
        assertEquals(33, d.get("rows_selected").asLong());
        assertEquals(1, d.get("files").size());
        assertEquals(33, d.get("files").get(0).get("rows").asLong());

        // figures: circular never above plain; chance is the mean of 1/choices; every rotation was asked
        circularNeverAbovePlain(rep);
        assertEquals(0.25, rep.get("types").get("counting").get("chance").asDouble(), 1e-4);
        assertEquals(0.5, rep.get("types").get("left_right").get("chance").asDouble(), 1e-4);
        assertEquals(1.0 / 3, rep.get("types").get("goal_aim").get("chance").asDouble(), 1e-4);
        for (String f : List.of("accuracy", "circular_accuracy", "chance", "answer_prior", "count", "correct",
                "circular_correct", "majority")) {
            assertTrue(rep.get("all").has(f), f);
        }
        long orders = 6 * 2 + 6 * 4 + 6 * 2 + 6 * 3 + 6 * 2;
        assertEquals(orders, rep.get("evaluation").get("orders").asLong());
        assertEquals(30, rep.get("evaluation").get("questions").asInt());
        assertTrue(rep.get("evaluation").get("held_at_most").get("questions").asInt() <= 8, "chunks of 8");

        // broken rows: named by index, skipped, not fatal
        assertEquals(3, d.get("rows_skipped").asLong());
        Map<String, String> skipped = new HashMap<>();
        d.get("skipped").forEach(s -> skipped.put(s.get("row").asText(), s.get("reason").asText()));
        assertEquals(3, skipped.size(), skipped.toString());
        assertTrue(skipped.get("sat.parquet#" + notAmongAnswers).contains("'above' is not among its answers"),
                skipped.toString());
        assertTrue(skipped.get("sat.parquet#" + notAnImage).contains("image_bytes[1] is not a PNG or JPEG"),
                skipped.toString());
        assertTrue(skipped.get("sat.parquet#" + corruptPng).contains("do not decode"), skipped.toString());
        assertEquals(1, rep.get("evaluation").get("skipped").asInt(), "the undecodable PNG is left out by the scorer");
        for (String row : skipped.keySet()) {
            assertTrue(run.err().contains("skipped " + row + ": "), run.err());
        }

        // the right answer came first in every row, and the report says so
        assertEquals(1.0, d.get("correct_answer_first_all").asDouble());
        d.get("correct_answer_first").forEach(v -> assertEquals(1.0, v.asDouble()));
        assertTrue(d.get("note").asText().contains("circular accuracy"), d.get("note").asText());
        String html = Files.readString(out.resolve("tiny-step-000000/report.html"));
        assertTrue(html.contains("The right answer is the first of the answers in 30 of 30 questions"), html);
        assertTrue(html.contains("sat.parquet#" + notAmongAnswers), "skipped rows named in the page");
        assertTrue(Files.isRegularFile(out.resolve("index.html")));
        assertTrue(run.out().contains("33 rows read, 33 selected, 30 scored, 3 skipped"), run.out());
        assertTrue(run.out().contains("report: " + out.resolve("tiny-step-000000/report.html")), run.out());
    }

    @Test
    void readsTheExportersFolderFilteredLimitedAndSeveralFiles() throws Exception {
        List<ExportFixtures.Q> qs = new ExportFixtures().questions(10, 40);
        Path dir = tmp.resolve("sat");
        ExportFixtures.export(Format.SAT_PARQUET, dir, Options.defaults().withRowGroupBytes(50_000), qs);

        Path all = tmp.resolve("all");
        Run run = satflow("evaluate", "--dataset", dir.toString(), "--checkpoint", checkpoint.toString(), "--out",
                all.toString());
        assertEquals(0, run.exit(), run.err());
        JsonNode rep = report(all);
        assertEquals(50, rep.get("count").asInt(), "train + val + test");
        assertEquals(3, rep.get("dataset").get("files").size());
        Map<String, Long> scored = new TreeMap<>();
        rep.get("types").fields().forEachRemaining(e -> scored.put(e.getKey(), e.getValue().get("count").asLong()));
        assertEquals(duckDbCountsByType(dir.resolve("test.parquet"), dir.resolve("train.parquet"),
                dir.resolve("val.parquet")), scored);
        assertEquals(0, rep.get("dataset").get("rows_skipped").asLong());
        assertTrue(rep.get("dataset").get("correct_answer_first_all").asDouble() < 1.0,
                "the exporter keeps the record's order");
        circularNeverAbovePlain(rep);

        Path some = tmp.resolve("some");
        run = satflow("evaluate", "--dataset", dir.resolve("train.parquet").toString(), "--dataset",
                dir.resolve("test.parquet").toString(), "--checkpoint", checkpoint.toString(), "--out", some.toString(),
                "--types", "left_right,perspective", "--limit", "7");
        assertEquals(0, run.exit(), run.err());
        rep = report(some);
        assertEquals(7, rep.get("count").asInt());
        assertEquals(7, rep.get("dataset").get("rows_selected").asLong());
        List<String> types = new ArrayList<>();
        rep.get("types").fieldNames().forEachRemaining(types::add);
        assertEquals(List.of("left_right", "perspective"), types);
        assertEquals("train+test", rep.get("split").asText());

        Path two = tmp.resolve("two");
        run = satflow("evaluate", "--dataset", dir.resolve("train.parquet").toString(), "--dataset",
                dir.resolve("test.parquet").toString(), "--checkpoint", checkpoint.toString(), "--out", two.toString(),
                "--types", "perspective");
        assertEquals(0, run.exit(), run.err());
        assertEquals(8, report(two).get("count").asInt(), "6 train + 2 test perspective questions");
    }

    @Test
    void usageErrors() throws Exception {
        Run r = satflow("evaluate", "--dataset", satFile.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--checkpoint"), r.err());

        r = satflow("evaluate", "--checkpoint", checkpoint.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--dataset"), r.err());

        r = satflow("evaluate", "--dataset", tmp.resolve("missing.parquet").toString(), "--checkpoint",
                checkpoint.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("missing.parquet"), r.err());

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        r = satflow("evaluate", "--dataset", empty.toString(), "--checkpoint", checkpoint.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("no *.parquet"), r.err());

        Path other = tmp.resolve("other.parquet");
        Options o = Options.defaults();
        try (SatParquetFile w = new SatParquetFile(tmp.resolve("ok.parquet"), o)) {
            w.write(new SatParquetFile.Row(List.of(ExportFixtures.png(8, 1)), "q", List.of("a", "b"), "t", "a"));
        }
        Files.writeString(other, "PAR1 this is not parquet PAR1");
        r = satflow("evaluate", "--dataset", other.toString(), "--checkpoint", checkpoint.toString(), "--out",
                tmp.resolve("x").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("other.parquet"), r.err());

        r = satflow("evaluate", "--dataset", tmp.resolve("ok.parquet").toString(), "--checkpoint",
                tmp.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("not a checkpoint"), r.err());

        r = satflow("evaluate", "--dataset", satFile.toString(), "--checkpoint", checkpoint.toString(), "--split",
                "test");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--split"), r.err());
    }
}
