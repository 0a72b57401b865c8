package dev.satflow.ops.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.satflow.core.frames.QuestionImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LLaVA JSON and JSON lines read back with Jackson's tree model; image paths checked on disk. */
class ExportJsonTest {
    @TempDir
    Path tmp;

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<String> paths(JsonNode image) {
        List<String> out = new ArrayList<>();
        if (image.isTextual()) {
            out.add(image.asText());
        } else {
            image.forEach(p -> out.add(p.asText()));
        }
        return out;
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static long imageFiles(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir.resolve("images"))) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void llavaEntriesHaveOneImageTokenPerImageAlternatingRolesAndRealPngPaths() throws Exception {
        List<ExportFixtures.Q> qs = new ExportFixtures().questions(10, 48);
        Path dir = tmp.resolve("out");
        Summary s = ExportFixtures.export(Format.LLAVA, dir, Options.defaults(), qs);
        assertEquals(List.of("llava_test.json", "llava_train.json", "llava_val.json"),
                s.files().stream().map(Summary.FileEntry::path).toList());

        Set<String> ids = new HashSet<>();
        int entries = 0;
        for (String split : List.of("train", "val", "test")) {
            JsonNode arr = JSON.readTree(dir.resolve("llava_" + split + ".json").toFile());
            assertTrue(arr.isArray());
            List<ExportFixtures.Q> expected = qs.stream().filter(q -> q.q().getSplit().equals(split)).toList();
            assertEquals(expected.size(), arr.size());
            for (int e = 0; e < arr.size(); e++) {
                JsonNode entry = arr.get(e);
                ExportFixtures.Q q = expected.get(e);
                String id = entry.get("id").asText();
                assertEquals(q.q().getQaId(), id);
                assertTrue(ids.add(id), "unique id " + id);
                int n = q.images().size();
                assertTrue(n == 1 ? entry.get("image").isTextual() : entry.get("image").isArray(),
                        "a string for one image, a list for two: " + entry.get("image"));
                List<String> paths = paths(entry.get("image"));
                assertEquals(n, paths.size());
                for (int i = 0; i < n; i++) {
                    String p = paths.get(i);
                    assertTrue(p.startsWith("images/" + q.q().getSceneId() + "/") && p.endsWith(".png"), p);
                    Path file = dir.resolve(p).normalize();
                    assertTrue(file.startsWith(dir) && Files.isRegularFile(file), p);
                    byte[] png = Files.readAllBytes(file);
                    assertTrue(ExportFixtures.isPng(png), p);
                    assertArrayEquals(q.images().get(i).png(), png, p);
                }
                JsonNode conv = entry.get("conversations");
                assertEquals(2, conv.size());
                for (int t = 0; t < conv.size(); t++) {
                    assertEquals(t % 2 == 0 ? "human" : "gpt", conv.get(t).get("from").asText(), "roles alternate");
                }
                String human = conv.get(0).get("value").asText();
                assertEquals(n, count(human, "<image>"), human);
                assertTrue(human.startsWith("<image>".repeat(n) + "\n" + q.q().getQuestion()
                        + " Answer the question using a single word or phrase. Choose between the following"
                        + " options: "), human);
                String options = String.join(" or ", q.q().getChoices().stream().map(c -> '"' + c + '"').toList());
                assertTrue(human.endsWith(options + "."), human);
                assertEquals(q.q().getCorrectAnswer(), conv.get(1).get("value").asText());
                JsonNode sat = entry.get("sat");
                assertEquals(q.q().getQuestionType(), sat.get("question_type").asText());
                assertEquals(q.q().getTemplate(), sat.get("template").asText());
                assertEquals(split, sat.get("split").asText());
                assertEquals(q.q().getSceneId(), sat.get("scene_id").asText());
                entries++;
            }
        }
        assertEquals(qs.size(), entries);
        // ego_movement and camera_translation show the same two unmarked frames: written once per scene
        assertEquals(10 * (3 + 2), s.images(), "3 marked images and 2 plain frames per scene");
        assertEquals(s.images(), imageFiles(dir));
        String train = Files.readString(dir.resolve("llava_train.json"));
        assertTrue(train.startsWith("[\n{\"id\":") && train.endsWith("}\n]\n"), "one entry per line");
        assertTrue(train.contains("\\\"café\\\""), "quotes escaped, UTF-8 kept");
    }

    @Test
    void jsonlRecordsCarryTheRecordFieldsAndImagePaths() throws Exception {
        List<ExportFixtures.Q> qs = new ExportFixtures().questions(5, 32);
        Path dir = tmp.resolve("out");
        Summary s = ExportFixtures.export(Format.JSONL, dir, Options.defaults(), qs);
        assertEquals(List.of("test.jsonl", "train.jsonl", "val.jsonl"),
                s.files().stream().map(Summary.FileEntry::path).toList());
        int n = 0;
        for (String split : List.of("train", "val", "test")) {
            List<String> lines = Files.readAllLines(dir.resolve(split + ".jsonl"));
            List<ExportFixtures.Q> expected = qs.stream().filter(q -> q.q().getSplit().equals(split)).toList();
            assertEquals(expected.size(), lines.size());
            for (int i = 0; i < lines.size(); i++) {
                JsonNode r = JSON.readTree(lines.get(i));
                ExportFixtures.Q q = expected.get(i);
                assertEquals(q.q().getQaId(), r.get("qa_id").asText());
                assertEquals(q.q().getSceneId(), r.get("scene_id").asText());
                assertEquals(split, r.get("split").asText());
                assertEquals(q.q().getQuestion(), r.get("question").asText());
                assertEquals(q.q().getChoices(), JSON.convertValue(r.get("choices"), List.class));
                assertEquals(q.q().getCorrectIndex(), r.get("correct_index").asInt());
                assertEquals(q.q().getCorrectAnswer(), r.get("correct_answer").asText());
                assertEquals(q.q().getQuestionType(), r.get("question_type").asText());
                assertEquals(q.q().getTemplate(), r.get("template").asText());
                assertEquals(q.q().getMarks().size(), r.get("marks").size());
                if (!q.q().getMarks().isEmpty()) {
                    assertEquals(q.q().getMarks().get(0).getKind(), r.get("marks").get(0).get("kind").asText());
                }
                assertEquals("red mug", r.get("subjects").get(0).get("description").asText());
                assertEquals(List.of("alpha", "zeta"), List.copyOf(JSON.convertValue(r.get("facts"), Map.class)
                        .keySet()), "facts sorted");
                assertEquals(q.q().getLineage().getSceneSeed(), r.get("lineage").get("scene_seed").asLong());
                assertEquals(q.images().size(), r.get("images").size());
                for (int k = 0; k < q.images().size(); k++) {
                    byte[] png = Files.readAllBytes(dir.resolve(r.get("images").get(k).asText()));
                    assertArrayEquals(q.images().get(k).png(), png);
                }
                n++;
            }
        }
        assertEquals(qs.size(), n);
        assertEquals(s.images(), imageFiles(dir));
    }

    @Test
    void aJpegFrameShownWithoutMarksStaysAJpegAndIsNamedSo() throws Exception {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(16, 16,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.io.ByteArrayOutputStream jpeg = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "jpeg", jpeg);
        ExportFixtures.Q q = new ExportFixtures().questions(1, 16).get(2);   // two unmarked frames
        QuestionImages.Image first = q.images().get(0);
        List<QuestionImages.Image> images = List.of(new QuestionImages.Image(first.viewId(), "jpeg",
                jpeg.toByteArray(), List.of(), 0, first.frame()), q.images().get(1));
        ExportFixtures.Q jq = new ExportFixtures.Q(q.q(), images);

        Path llava = tmp.resolve("llava");
        ExportFixtures.export(Format.LLAVA, llava, Options.defaults(), List.of(jq));
        JsonNode entry = JSON.readTree(llava.resolve("llava_train.json").toFile()).get(0);
        assertEquals("images/scene-0/scene-0_v0.jpg", entry.get("image").get(0).asText());
        assertEquals("images/scene-0/scene-0_v1.png", entry.get("image").get(1).asText());
        assertArrayEquals(jpeg.toByteArray(), Files.readAllBytes(llava.resolve("images/scene-0/scene-0_v0.jpg")));

        Path wds = tmp.resolve("wds");
        ExportFixtures.export(Format.WEBDATASET, wds, Options.defaults(), List.of(jq));
        assertEquals(List.of("scene-0_ego_movement_0.0.jpg", "scene-0_ego_movement_0.1.png",
                "scene-0_ego_movement_0.json"),
                List.of(ExportWebDatasetTest.tar(wds, "-tf", "train-000000.tar").strip().split("\n")));
    }
}
