package dev.satflow.trainer.data;

import dev.satflow.schema.QaImage;
import dev.satflow.schema.QaRecord;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One multiple-choice question as the trainer sees it, independent of Kafka and Avro.
 * Image arrays are PNG bytes and are shared, not copied: treat them as read-only.
 *
 * @param qaId          stable id of the question (for logs and evaluation joins)
 * @param family        static (one view) or dynamic (motion, usually two views)
 * @param questionType  SAT question type, e.g. "left_right"
 * @param question      the question text
 * @param choices       2 or more answer options, in the order the model scores them
 * @param correctIndex  index of the right answer in {@code choices}
 * @param images        1 or 2 PNG images (first view, then second view)
 */
public record TrainingExample(
        String qaId,
        Family family,
        String questionType,
        String question,
        List<String> choices,
        int correctIndex,
        List<byte[]> images) {

    public static final int MAX_IMAGES = 2;

    public TrainingExample {
        Objects.requireNonNull(qaId, "qaId");
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(questionType, "questionType");
        Objects.requireNonNull(question, "question");
        choices = List.copyOf(choices);
        images = List.copyOf(images);
        if (choices.size() < 2) {
            throw new IllegalArgumentException(qaId + ": needs at least 2 choices, has " + choices.size());
        }
        if (correctIndex < 0 || correctIndex >= choices.size()) {
            throw new IllegalArgumentException(qaId + ": correctIndex " + correctIndex + " outside "
                    + choices.size() + " choices");
        }
        if (images.isEmpty() || images.size() > MAX_IMAGES) {
            throw new IllegalArgumentException(qaId + ": needs 1 or 2 images, has " + images.size());
        }
    }

    public boolean hasSecondImage() {
        return images.size() == 2;
    }

    /**
     * Converts a {@code satflow.qa.v2} record. Throws {@link IllegalArgumentException} for records that
     * break the contract (unknown family, non-PNG or empty image, bad counts) so callers can dead-letter them.
     */
    public static TrainingExample from(QaRecord record) {
        String qaId = String.valueOf(record.getQaId());
        List<byte[]> pngs = new ArrayList<>(record.getImages().size());
        for (QaImage image : record.getImages()) {
            String format = String.valueOf(image.getFormat());
            if (!"png".equalsIgnoreCase(format)) {
                throw new IllegalArgumentException(qaId + ": unsupported image format " + format);
            }
            byte[] bytes = copyOf(image.getBytes());
            if (bytes.length == 0) {
                throw new IllegalArgumentException(qaId + ": empty image " + image.getViewId());
            }
            pngs.add(bytes);
        }
        List<String> choices = new ArrayList<>(record.getChoices().size());
        for (CharSequence choice : record.getChoices()) {
            choices.add(choice.toString());
        }
        return new TrainingExample(qaId, Family.parse(String.valueOf(record.getFamily())),
                String.valueOf(record.getQuestionType()), String.valueOf(record.getQuestion()), choices,
                record.getCorrectIndex(), pngs);
    }

    /** Copies without moving the record's buffer position, so the record stays readable. */
    private static byte[] copyOf(ByteBuffer buffer) {
        if (buffer == null) {
            return new byte[0];
        }
        ByteBuffer view = buffer.duplicate();
        byte[] bytes = new byte[view.remaining()];
        view.get(bytes);
        return bytes;
    }
}
