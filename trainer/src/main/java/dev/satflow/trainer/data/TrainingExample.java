package dev.satflow.trainer.data;

import dev.satflow.core.frames.ImageFormat;
import dev.satflow.core.geom.Camera;
import dev.satflow.core.geom.Vec3d;
import dev.satflow.core.qa.SubjectRoles;
import dev.satflow.core.frames.QuestionImages;
import dev.satflow.schema.Box2d;
import dev.satflow.schema.Frame;
import dev.satflow.schema.Mark;
import dev.satflow.schema.ObjectAnnotation;
import dev.satflow.schema.Subject;
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
 * @param grounding     where the objects the question names are in the first image (role and box), for the
 *                      model's grounding loss; may be empty
 * @param choiceRoles   per choice, the role of the object it names (its description, its letter, or a sentence
 *                      about it), or -1
 */
public record TrainingExample(
        String qaId,
        Family family,
        String questionType,
        String question,
        List<String> choices,
        int correctIndex,
        List<byte[]> images,
        List<Mark> marks,
        List<Grounding> grounding,
        List<Integer> choiceRoles) {

    /**
     * An object the question names and where it is in the first image: a role (0 = A / 1 / the subject,
     * 1 = B, 2 = C), its visible 2D box as fractions of the image (x0, y0, x1, y1; y down), and its mean
     * depth from the camera in units of {@link #DEPTH_SCALE_METRES} ({@link #UNKNOWN_DEPTH} where there is none).
     */
    public record Grounding(int role, float x0, float y0, float x1, float y1, float depth) {
        /** The role of an instance a counting question counted (a label for the counting head, not a choice). */
        public static final int COUNTED = -2;
        public static final float DEPTH_SCALE_METRES = 10f;
        public static final float UNKNOWN_DEPTH = -1f;

        /** A box without a depth (a mark, a synthetic shape). */
        public Grounding(int role, float x0, float y0, float x1, float y1) {
            this(role, x0, y0, x1, y1, UNKNOWN_DEPTH);
        }

        /** Depth in metres as the model's target: scaled into [0, 1] (rooms are under 10 m deep). */
        public static float depthTarget(float metres) {
            return Math.min(1f, Math.max(0f, metres / DEPTH_SCALE_METRES));
        }
    }

    public static final int MAX_IMAGES = 2;

    public TrainingExample {
        Objects.requireNonNull(qaId, "qaId");
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(questionType, "questionType");
        Objects.requireNonNull(question, "question");
        choices = List.copyOf(choices);
        images = List.copyOf(images);
        marks = List.copyOf(marks);
        grounding = List.copyOf(grounding);
        choiceRoles = choiceRoles.isEmpty() ? java.util.Collections.nCopies(choices.size(), -1) : List.copyOf(choiceRoles);
        if (choiceRoles.size() != choices.size()) {
            throw new IllegalArgumentException(qaId + ": " + choiceRoles.size() + " choice roles for " + choices.size()
                    + " choices");
        }
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

    /** An example without marks or grounding. */
    public TrainingExample(String qaId, Family family, String questionType, String question, List<String> choices,
            int correctIndex, List<byte[]> images) {
        this(qaId, family, questionType, question, choices, correctIndex, images, List.of(), List.of(), List.of());
    }

    /** The role a subject plays in a question, {@link Grounding#COUNTED}, or -1 (a counted category). */
    static int role(String role) {
        return switch (role) {
            case "A", "1", "subject" -> 0;
            case "B", "2", "probe" -> 1;
            case "C", "3" -> 2;
            case SubjectRoles.COUNTED -> Grounding.COUNTED;
            default -> -1;
        };
    }

    /**
     * The count the counting head is taught for this example: the answer of a counting question whose counted
     * instances all came with a box in the first image, else -1 (nothing to teach).
     */
    public int countTarget() {
        if (!"counting".equals(questionType)) {
            return -1;
        }
        int n;
        try {
            n = Integer.parseInt(choices.get(correctIndex).strip());
        } catch (NumberFormatException e) {
            return -1;
        }
        long boxed = grounding.stream().filter(g -> g.role() == Grounding.COUNTED).count();
        return boxed == n ? n : -1;
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
            // checked here, where the caller can dead-letter the record: the batch decoder that reads the
            // bytes later cannot tell which record broke a batch, and one bad image stopped training
            if (ImageFormat.sniff(image.encoded()) == null) {
                String field = image.frame() != null ? "frames[" + image.index() + "]"
                        : "images[" + image.index() + "].bytes";
                String where = image.frame() != null ? "frame of view " + image.viewId() + " holds " : "";
                throw QuestionImages.violation(field, where + ImageFormat.describe(image.encoded()),
                        "not a PNG or JPEG image");
            }
            encoded.add(image.encoded());
        }
        List<String> choices = new ArrayList<>(record.getChoices().size());
        for (CharSequence choice : record.getChoices()) {
            choices.add(choice.toString());
        }
        List<Grounding> grounding = new ArrayList<>();
        Frame first = resolved.isEmpty() ? null : resolved.get(0).frame();
        for (Subject s : record.getSubjects()) {
            int role = role(s.getRole());
            if ((role < 0 && role != Grounding.COUNTED) || first == null) {
                continue;
            }
            for (ObjectAnnotation a : first.getObjects()) {
                if (a.getObjectId() == s.getObjectId() && a.getBox() != null && a.getVisiblePixels() > 0) {
                    float w = first.getIntrinsics().getWidth();
                    float h = first.getIntrinsics().getHeight();
                    Box2d b = a.getBox();
                    grounding.add(new Grounding(role, b.getXMin() / w, b.getYMin() / h, (b.getXMax() + 1) / w,
                            (b.getYMax() + 1) / h, Grounding.depthTarget(a.getMeanDepth())));
                }
            }
        }
        // the perspective 'X' is a place, not an object: ground it as role C, so its relation to the named
        // object (where is the object, seen from the X) is there to be learned
        if (first != null && grounding.stream().noneMatch(g -> g.role() == 2)) {
            for (Mark m : record.getMarks()) {
                if (m.getImage() == 0 && "cross".equals(m.getKind())) {
                    float w = first.getIntrinsics().getWidth();
                    float h = first.getIntrinsics().getHeight();
                    float r = Math.max(m.getSize(), 2f);
                    grounding.add(new Grounding(2, Math.max(0, m.getX() - r) / w, Math.max(0, m.getY() - r) / h,
                            Math.min(w, m.getX() + r) / w, Math.min(h, m.getY() + r) / h,
                            floorDepth(first, m.getX(), m.getY())));
                }
            }
        }
        List<Integer> choiceRoles = new ArrayList<>();
        for (String c : choices) {
            int found = -1;
            for (Subject s : record.getSubjects()) {
                int role = role(s.getRole());
                boolean names = c.equals(s.getDescription()) || c.equals(s.getRole())
                        || (!s.getDescription().isEmpty() && c.contains(s.getDescription() + " was moved"));
                if (role >= 0 && names) {
                    found = role;
                }
            }
            choiceRoles.add(found);
        }
        return new TrainingExample(qaId, Family.parse(String.valueOf(record.getFamily())),
                String.valueOf(record.getQuestionType()), String.valueOf(record.getQuestion()), choices,
                record.getCorrectIndex(), encoded, record.getMarks(), grounding, choiceRoles);
    }

    /**
     * The depth target of a point on the floor (y = 0) seen at pixel (u, v) of the frame: where the
     * pixel's ray meets the floor, or {@link Grounding#UNKNOWN_DEPTH} when the ray does not go down.
     * The perspective 'X' marks such a point, so its depth is known without an annotation.
     */
    static float floorDepth(Frame frame, double u, double v) {
        Camera cam = Camera.of(frame.getCamera(), frame.getIntrinsics().getWidth(), frame.getIntrinsics().getHeight());
        Vec3d ray = cam.forward().plus(cam.right().times((u - cam.width() / 2.0) / cam.focal()))
                .plus(cam.up().times((cam.height() / 2.0 - v) / cam.focal())); // camera-space z = 1
        if (ray.y() > -1e-6 || cam.position().y() <= 0) {
            return Grounding.UNKNOWN_DEPTH;
        }
        return Grounding.depthTarget((float) (-cam.position().y() / ray.y()));
    }
}
