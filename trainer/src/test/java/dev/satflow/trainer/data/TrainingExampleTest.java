package dev.satflow.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.schema.Lineage;
import dev.satflow.schema.QaImage;
import dev.satflow.schema.QaRecord;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingExampleTest {

    private static final byte[] PNG_A = {(byte) 0x89, 'P', 'N', 'G', 1};
    private static final byte[] PNG_B = {(byte) 0x89, 'P', 'N', 'G', 2};

    @Test
    void convertsAQaRecord() {
        ByteBuffer first = ByteBuffer.wrap(PNG_A);
        QaRecord record = record("dynamic", List.of("left", "right", "no movement"), 2,
                List.of(image("v0", "png", first), image("v1", "PNG", ByteBuffer.wrap(PNG_B))));

        TrainingExample example = TrainingExample.from(record);

        assertEquals("qa-1", example.qaId());
        assertEquals(Family.DYNAMIC, example.family());
        assertEquals("object_movement", example.questionType());
        assertEquals("Did the chair move left or right?", example.question());
        assertEquals(List.of("left", "right", "no movement"), example.choices());
        assertEquals(2, example.correctIndex());
        assertTrue(example.hasSecondImage());
        assertArrayEquals(PNG_A, example.images().get(0));
        assertArrayEquals(PNG_B, example.images().get(1));
        assertEquals(0, first.position(), "the record's buffer must stay readable");
    }

    @Test
    void oneImageStaticRecord() {
        TrainingExample example = TrainingExample.from(record("static", List.of("yes", "no"), 0,
                List.of(image("v0", "png", ByteBuffer.wrap(PNG_A)))));
        assertEquals(Family.STATIC, example.family());
        assertFalse(example.hasSecondImage());
    }

    @Test
    void rejectsRecordsThatBreakTheContract() {
        List<QaImage> one = List.of(image("v0", "png", ByteBuffer.wrap(PNG_A)));
        assertThrows(IllegalArgumentException.class,
                () -> TrainingExample.from(record("kinetic", List.of("a", "b"), 0, one)));
        assertThrows(IllegalArgumentException.class,
                () -> TrainingExample.from(record("static", List.of("a"), 0, one)));
        assertThrows(IllegalArgumentException.class,
                () -> TrainingExample.from(record("static", List.of("a", "b"), 2, one)));
        assertThrows(IllegalArgumentException.class,
                () -> TrainingExample.from(record("static", List.of("a", "b"), 0, List.of())));
        assertThrows(IllegalArgumentException.class, () -> TrainingExample.from(record("static",
                List.of("a", "b"), 0, List.of(image("v0", "jpeg", ByteBuffer.wrap(PNG_A))))));
        assertThrows(IllegalArgumentException.class, () -> TrainingExample.from(record("static",
                List.of("a", "b"), 0, List.of(image("v0", "png", ByteBuffer.allocate(0))))));
        QaImage i = image("v", "png", ByteBuffer.wrap(PNG_A));
        assertThrows(IllegalArgumentException.class,
                () -> TrainingExample.from(record("dynamic", List.of("a", "b"), 0, List.of(i, i, i))));
    }

    private static QaImage image(String view, String format, ByteBuffer bytes) {
        return QaImage.newBuilder().setViewId(view).setFormat(format).setBytes(bytes).build();
    }

    private static QaRecord record(String family, List<String> choices, int correct, List<QaImage> images) {
        return QaRecord.newBuilder()
                .setQaId("qa-1")
                .setSceneId("scene-1")
                .setFamily(family)
                .setQuestionType("object_movement")
                .setQuestion("Did the chair move left or right?")
                .setChoices(choices)
                .setCorrectIndex(correct)
                .setCorrectAnswer(correct < choices.size() ? choices.get(correct) : "")
                .setImages(images)
                .setLineage(Lineage.newBuilder().build())
                .build();
    }
}
