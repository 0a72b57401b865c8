package dev.satflow.evaluator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.satflow.core.frames.FrameSource;
import dev.satflow.core.frames.QuestionImages;
import dev.satflow.evaluator.blind.DatasetReport;
import dev.satflow.schema.EvalReport;
import dev.satflow.schema.QaRecord;
import dev.satflow.schema.TypeScore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an evaluation writes: report.json fields, report.html with its gallery, index.html curves; the contract. */
class EvalReportFilesTest {
    @TempDir
    Path root;

    /** The hand-built test set plus train records for the blind baselines. */
    private static List<QaRecord> withTrain(EvalFixtures.Set data) {
        List<QaRecord> all = new ArrayList<>(data.questions());
        for (QaRecord q : data.questions()) {
            all.add(QaRecord.newBuilder(q).setQaId("train-" + q.getQaId()).setSceneId("t" + q.getSceneId())
                    .setSplit("train").setHeldOutPhrasing(false).build());
        }
        return all;
    }

    @Test
    void reportJsonHtmlGalleryAndCurves() throws IOException {
        EvalFixtures.Set data = EvalFixtures.handBuilt(60, 40, 7);
        List<QaRecord> all = withTrain(data);
        BlindReference blind = BlindReference.of(DatasetReport.of(all, 1), all.size());
        QuestionImages images = new QuestionImages(FrameSource.of(data.frames()));
        Evaluation.Result first = Evaluation.run(new Evaluation.Target("run-a/step-10", "run-a", 10), "test",
                data.questions(), images, EvalFixtures.FIRST, blind, root, Evaluation.Options.DEFAULT,
                (q, e) -> { throw e; }, 1000);
        Evaluation.Result second = Evaluation.run(new Evaluation.Target("run-a/step-20", "run-a", 20), "test",
                data.questions(), images, EvalFixtures.BY_TEXT, blind, root, Evaluation.Options.DEFAULT,
                (q, e) -> { throw e; }, 2000);

        // report.json
        Path dir = root.resolve("run-a_step-10");
        assertEquals(dir.resolve("report.html").toString(), first.report().getReportPath());
        JsonNode json = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
        assertEquals(100, json.get("count").asInt());
        assertEquals(0.0, json.get("circular_accuracy").asDouble());
        assertEquals(all.size(), json.get("blind_records").asLong());
        for (String t : List.of("left_right", "counting")) {
            JsonNode n = json.get("types").get(t);
            for (String k : List.of("count", "correct", "accuracy", "circular_correct", "circular_accuracy", "chance",
                    "majority", "answer_prior", "heldout_phrasing_accuracy", "heldout_phrasing_n",
                    "seen_phrasing_accuracy", "seen_phrasing_n")) {
                assertTrue(n.has(k), t + " has " + k + ": " + n);
            }
            for (String k : List.of("text", "category", "n")) {
                assertTrue(n.get("blind").get("test").get(k).isNumber(), t + " blind.test." + k + ": " + n);
                assertTrue(n.get("blind").get("cv").get(k).isNumber(), t + " blind.cv." + k + ": " + n);
            }
            assertTrue(n.get("blind").get("cv").get("noise").isNumber());
        }
        assertEquals(first.report().getOverall().getAccuracy(), json.get("all").get("accuracy").asDouble(), 1e-4);
        assertEquals(100, json.get("evaluation").get("questions").asInt());
        assertEquals(60 * 2 + 40 * 5, json.get("evaluation").get("orders").asInt());
        assertTrue(json.get("evaluation").get("held_at_most").get("questions").asInt() <= 64);

        // EvalReport carries the blind numbers per type, as the dataset report has them
        TypeScore lr = first.report().getScores().stream().filter(s -> s.getQuestionType().equals("left_right"))
                .findFirst().orElseThrow();
        assertEquals(blind.type("left_right").text(), lr.getBlindText(), 1e-6);
        assertEquals(blind.type("left_right").categoryCv(), lr.getBlindCategoryCv(), 1e-6);
        assertEquals(60, lr.getBlindCount());
        assertEquals(120, lr.getBlindCvCount());

        // report.html: the table and the gallery, each card's images on disk with their marks painted
        String html = Files.readString(dir.resolve("report.html"));
        assertTrue(html.contains("circular") && html.contains("blind text cv") && html.contains("held-out phrasing"));
        Matcher img = Pattern.compile("<img src=\"\\.\\./img/([^\"]+)\">").matcher(html);
        int shown = 0;
        boolean painted = false;
        while (img.find()) {
            Path png = root.resolve("img").resolve(img.group(1));
            assertTrue(Files.isRegularFile(png), png.toString());
            String qa = img.group(1).replaceAll("-\\d+-[0-9a-f]+\\.png$", "");
            QaRecord q = data.questions().stream().filter(x -> x.getQaId().equals(qa)).findFirst().orElseThrow();
            byte[] raw = data.frames().values().stream().filter(f -> f.getSceneId().equals(q.getSceneId()))
                    .findFirst().orElseThrow().getImage().array();
            if (!q.getMarks().isEmpty()) {
                assertFalse(java.util.Arrays.equals(raw, Files.readAllBytes(png)), "marks drawn on " + png);
                painted = true;
            } else {
                assertArrayEquals(raw, Files.readAllBytes(png));
            }
            shown++;
        }
        assertTrue(painted);
        assertTrue(shown >= 2 * MistakeGallery.Limits.DEFAULT.mistakes(), "mistakes of both types: " + shown);
        assertTrue(html.contains("◀ model") && html.contains("model per order"));
        assertEquals(first.gallery().seen("counting", MistakeGallery.Kind.MISTAKE),
                json.get("gallery").get("counting").get("mistakes").asInt());

        // index.html: a learning curve per type and overall, plain and circular with chance and blind lines
        String index = Files.readString(root.resolve("index.html"));
        assertEquals(3, count(index, "<svg "), "all + two types");
        assertEquals(3 * 4, count(index, "<polyline"), "accuracy, circular, chance, blind per chart");
        assertTrue(index.contains("run-a_step-20/report.html") && index.contains("run-a_step-10/report.html"));
        assertTrue(second.report().getCircularAccuracy() > 0);

        // a later checkpoint with the same mistakes paints no image again: the gallery folder is shared
        long written;
        try (var files = Files.list(root.resolve("img"))) {
            written = files.count();
        }
        long before = Files.getLastModifiedTime(root.resolve("img").resolve(firstImage(html))).toMillis();
        Evaluation.run(new Evaluation.Target("run-a/step-30", "run-a", 30), "test", data.questions(), images,
                EvalFixtures.FIRST, blind, root, Evaluation.Options.DEFAULT, (q, e) -> { throw e; }, 3000);
        try (var files = Files.list(root.resolve("img"))) {
            assertEquals(written, files.count());
        }
        assertEquals(before, Files.getLastModifiedTime(root.resolve("img").resolve(firstImage(html))).toMillis());
        assertTrue(Files.readString(root.resolve("run-a_step-30/report.html")).contains(firstImage(html)));
    }

    private static String firstImage(String html) {
        Matcher m = Pattern.compile("<img src=\"\\.\\./img/([^\"]+)\">").matcher(html);
        assertTrue(m.find());
        return m.group(1);
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void evalReportEvolvesCompatiblyAndKeepsNullForNotMeasured() throws IOException {
        Schema v1;
        try (var in = getClass().getResourceAsStream("/compat/EvalReport.v1.avsc")) {
            v1 = new Schema.Parser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        Schema now = EvalReport.getClassSchema();
        assertEquals(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE,
                SchemaCompatibility.checkReaderWriterCompatibility(now, v1).getType(), "new reads old");
        assertEquals(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE,
                SchemaCompatibility.checkReaderWriterCompatibility(v1, now).getType(), "old reads new");

        // a report written before circular evaluation reads back with circular/blind null, not 0
        GenericRecord score = new GenericData.Record(v1.getField("scores").schema().getElementType());
        score.put("questionType", "left_right");
        score.put("count", 10);
        score.put("correct", 6);
        score.put("accuracy", 0.6f);
        score.put("chance", 0.5f);
        score.put("majority", 0.5f);
        GenericRecord old = new GenericData.Record(v1);
        v1.getFields().forEach(f -> old.put(f.name(), GenericData.get().getDefaultValue(f)));
        old.put("checkpointId", "old");
        old.put("scores", List.of(score));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(v1).write(old, enc);
        enc.flush();
        EvalReport read = new SpecificDatumReader<EvalReport>(v1, now, new org.apache.avro.specific.SpecificData())
                .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        assertEquals("old", read.getCheckpointId());
        assertEquals(null, read.getCircularAccuracy());
        assertEquals(null, read.getScores().get(0).getCircularAccuracy());
        assertEquals(null, read.getScores().get(0).getBlindTextCv());
        assertEquals(0.6f, read.getScores().get(0).getAccuracy());
        assertTrue(ReportWriter.toJson(read).get("types").get("left_right").get("circular_accuracy").isNull());
    }
}
