package dev.satflow.ops.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.core.frames.QuestionImages;
import dev.satflow.schema.QaRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Names from record content cannot leave the export directory; bad records are refused and leave no trace. */
class ExportSafetyTest {
    @TempDir
    Path tmp;

    private static QaRecord with(ExportFixtures.Q q, UnaryOperator<QaRecord.Builder> change) {
        return change.apply(QaRecord.newBuilder(q.q())).build();
    }

    private static void refused(DatasetWriter w, QaRecord q, List<QuestionImages.Image> images, String... inMessage) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.write(q, images));
        for (String s : inMessage) {
            assertTrue(e.getMessage().contains(s), "'" + s + "' in: " + e.getMessage());
        }
    }

    private static List<Path> filesUnder(Path p) throws Exception {
        try (Stream<Path> s = Files.walk(p)) {
            return s.filter(f -> !Files.isDirectory(f)).toList();
        }
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void idsThatWouldLeaveTheDirectoryAreRefusedAndNothingIsWrittenOutside(Format format) throws Exception {
        List<ExportFixtures.Q> qs = new ExportFixtures().questions(2, 16);
        ExportFixtures.Q good = qs.get(2);   // two plain frames
        List<QuestionImages.Image> imgs = good.images();
        Path dir = tmp.resolve("a/b/out");
        Summary s;
        try (DatasetWriter w = DatasetWriters.open(format, dir, Options.defaults())) {
            w.write(qs.get(0).q(), qs.get(0).images());
            refused(w, with(good, b -> b.setQaId("../../etc/x")), imgs, "qaId", "../../etc/x");
            refused(w, with(good, b -> b.setQaId("/etc/x")), imgs, "qaId", "/etc/x");
            refused(w, with(good, b -> b.setQaId("a/./b")), imgs, "qaId");
            refused(w, with(good, b -> b.setQaId("")), imgs, "qaId", "empty");
            refused(w, with(good, b -> b.setSceneId("scene-1/../../..")), imgs, "sceneId", "scene-1/../../..");
            refused(w, with(good, b -> b.setSceneId("a/b")), imgs, "sceneId", "a/b");
            refused(w, with(good, b -> b.setSceneId("..")), imgs, "sceneId");
            refused(w, with(good, b -> b.setSceneId("a\\b")), imgs, "sceneId");
            refused(w, with(good, b -> b.setSplit("../train")), imgs, "split", "../train");
            QuestionImages.Image first = imgs.get(0);
            QuestionImages.Image evil = new QuestionImages.Image("../../../../tmp/evil", first.format(),
                    first.encoded(), first.marks(), 0, first.frame());
            refused(w, good.q(), List.of(evil, imgs.get(1)), "images[0].viewId", "../../../../tmp/evil");
            // the writer is still usable, and the good record goes where it should
            w.write(good.q(), imgs);
            s = w.finish();
        }
        assertEquals(2, s.questions());
        for (Path f : filesUnder(tmp)) {
            assertTrue(f.startsWith(dir), f + " outside " + dir);
            assertFalse(f.getFileName().toString().contains("evil") || f.toString().contains("etc"), f.toString());
        }
    }

    @Test
    void oddCharactersAreSanitisedAndKeysThatCollideAreRefused() throws Exception {
        List<ExportFixtures.Q> qs = new ExportFixtures().questions(1, 16);
        ExportFixtures.Q q = qs.get(0);
        Path dir = tmp.resolve("out");
        try (DatasetWriter w = DatasetWriters.open(Format.LLAVA, dir, Options.defaults())) {
            w.write(with(q, b -> b.setQaId("scene 0/left right?*/0").setSceneId("scène 0")), q.images());
            refused(w, with(q, b -> b.setQaId("scene_0/left_right__/0")), q.images(), "qaId",
                    "scene 0/left right?*/0");
            w.write(q.q(), q.images());
            w.write(q.q(), q.images());   // the same qaId again: skipped
            Summary s = w.finish();
            assertEquals(2, s.questions());
            assertEquals(1, s.duplicatesSkipped());
        }
        assertTrue(Files.isRegularFile(dir.resolve("images/sc_ne_0/scene_0_left_right___0.0.png")),
                ExportFixtures.tree(dir).keySet().toString());
    }

    @Test
    void badRecordsAreRefusedNamingTheField() throws Exception {
        ExportFixtures.Q q = new ExportFixtures().questions(1, 16).get(0);
        try (DatasetWriter w = DatasetWriters.open(Format.SAT_PARQUET, tmp.resolve("out"), Options.defaults())) {
            refused(w, with(q, b -> b.setCorrectAnswer("up")), q.images(), "correctAnswer", "up");
            refused(w, with(q, b -> b.setCorrectIndex(5)), q.images(), "correctIndex", "5");
            refused(w, with(q, b -> b.setChoices(List.of())), q.images(), "choices");
            refused(w, with(q, b -> b.setQuestion(" ")), q.images(), "question");
            refused(w, q.q(), List.of(), "images");
            QuestionImages.Image notAnImage = new QuestionImages.Image("scene-0/v0", "png", new byte[] {1, 2, 3},
                    List.of(), 0, null);
            refused(w, q.q(), List.of(notAnImage), "images[0]", "neither PNG nor JPEG");
            w.write(q.q(), q.images());
            assertEquals(1, w.finish().questions());
            assertThrows(IllegalStateException.class, () -> w.write(q.q(), q.images()));
        }
    }

    @Test
    void aNonEmptyDirectoryIsRefusedUnlessOverwritingIsAllowed() throws Exception {
        Path dir = tmp.resolve("out");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("keep.txt"), "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DatasetWriters.open(Format.JSONL, dir, Options.defaults()));
        assertTrue(e.getMessage().contains("not empty"), e.getMessage());
        DatasetWriters.open(Format.JSONL, dir, Options.defaults().withOverwrite(true)).close();
    }

    @Test
    void aLinkInsideTheDirectoryCannotLeadOutOfIt() throws Exception {
        ExportFixtures.Q q = new ExportFixtures().questions(1, 16).get(0);
        Path dir = tmp.resolve("out");
        Path outside = tmp.resolve("outside");
        Files.createDirectories(dir);
        Files.createDirectories(outside);
        Files.createSymbolicLink(dir.resolve("images"), outside);
        try (DatasetWriter w = DatasetWriters.open(Format.LLAVA, dir, Options.defaults().withOverwrite(true))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.write(q.q(),
                    q.images()));
            assertTrue(e.getMessage().contains("outside the export directory"), e.getMessage());
        }
        assertEquals(List.of(), filesUnder(outside));
    }

    @Test
    void closingWithoutFinishingLeavesPartialParquetNames() throws Exception {
        ExportFixtures.Q q = new ExportFixtures().questions(1, 16).get(0);
        Path dir = tmp.resolve("out");
        try (DatasetWriter w = DatasetWriters.open(Format.SAT_PARQUET, dir, Options.defaults())) {
            w.write(q.q(), q.images());
        }
        assertEquals(List.of("train-00000.parquet.partial"), ExportFixtures.tree(dir).keySet().stream().toList());
    }
}
