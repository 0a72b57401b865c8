package dev.satflow.trainer.data;

import dev.satflow.core.frames.QuestionImages;
import dev.satflow.schema.Mark;
import dev.satflow.schema.QaRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One multiple-choice question as the trainer sees it, independent of Kafka and Avro.
 * Image arrays are encoded frames (PNG, or JPEG when the renderer wrote JPEG) and are shared, not
 * copied: treat them as read-only. Marks are drawn on decode, by the shared painter.
 *
 * @param qaId          stable id of the question (for logs and evaluation joins)
 * @param family        static (one view) or dynamic (motion, usually two views)
 * @param questionType  SAT question type, e.g. "left_right"
 * @param question      the question text
 * @param choices       2 or more answer options, in the order the model scores them
 * @param correctIndex  index of the right answer in {@code choices}
 * @param images        1 or 2 encoded images (first view, then second view)
 * @param marks         overlays to draw on them (each names its image by index); may be empty
 */
public record TrainingExample(
        String qaId,
        Family family,
        String questionType,
        String question,
        List<String> choices,
        int correctIndex,
        List<byte[]> images,
        List<Mark> marks) {

    public static final int MAX_IMAGES = 2;

    public TrainingExample {
        Objects.requireNonNull(qaId, "qaId");
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(questionType, "questionType");
        Objects.requireNonNull(question, "question");
        choices = List.copyOf(choices);
        images = List.copyOf(images);
        marks = List.copyOf(marks);
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
        for (Mark m : marks) {
            if (m.getImage() < 0 || m.getImage() >= images.size()) {
                throw new IllegalArgumentException(qaId + ": mark '" + m.getLabel() + "' on image " + m.getImage()
                        + " of " + images.size());
            }
        }
    }

    /** An example without marks. */
    public TrainingExample(String qaId, Family family, String questionType, String question, List<String> choices,
            int correctIndex, List<byte[]> images) {
        this(qaId, family, questionType, question, choices, correctIndex, images, List.of());
    }

    public boolean hasSecondImage() {
        return images.size() == 2;
    }

    /** The marks drawn on image {@code index}. */
    public List<Mark> marksOn(int index) {
        return marks.stream().filter(m -> m.getImage() == index).toList();
    }

    /**
     * Converts a QA record whose images were resolved by {@link QuestionImages}. Throws
     * {@link IllegalArgumentException} for records that break the contract (unknown family, empty or
     * unsupported image, bad counts) so callers can dead-letter them.
     */
    public static TrainingExample from(QaRecord record, List<QuestionImages.Image> resolved) {
        String qaId = String.valueOf(record.getQaId());
        List<byte[]> encoded = new ArrayList<>(resolved.size());
        for (QuestionImages.Image image : resolved) {
            String format = String.valueOf(image.format());
            if (!"png".equalsIgnoreCase(format) && !"jpeg".equalsIgnoreCase(format)) {
                throw new IllegalArgumentException(qaId + ": unsupported image format " + format);
            }
            if (image.encoded().length == 0) {
                throw new IllegalArgumentException(qaId + ": empty image " + image.viewId());
            }
            encoded.add(image.encoded());
        }
        List<String> choices = new ArrayList<>(record.getChoices().size());
        for (CharSequence choice : record.getChoices()) {
            choices.add(choice.toString());
        }
        return new TrainingExample(qaId, Family.parse(String.valueOf(record.getFamily())),
                String.valueOf(record.getQuestionType()), String.valueOf(record.getQuestion()), choices,
                record.getCorrectIndex(), encoded, record.getMarks());
    }
}
