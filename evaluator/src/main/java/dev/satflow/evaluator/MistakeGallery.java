package dev.satflow.evaluator;

import static dev.satflow.core.html.Html.safe;

import dev.satflow.core.frames.QuestionImages;
import dev.satflow.schema.QaRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Picks, per question type, the first few mistakes of a checkpoint (wrong in the record's option order),
 * a few questions answered right as shown but wrong once the options were rotated, and a few right in
 * every order, and writes their marked images ({@link QuestionImages.Image#png()}) the moment they are
 * scored, so no image outlives its chunk. Keeps only the cards' text. Images go to one folder shared by
 * every checkpoint ({@code reports/img}): a question's marked image is the same whichever checkpoint got it
 * wrong, so it is painted and written once.
 */
public final class MistakeGallery implements CircularScorer.Observer {
    /** Why a question is in the gallery. */
    public enum Kind {
        /** Wrong with the options in the record's order. */
        MISTAKE,
        /** Right as shown, wrong in another order of the same options. */
        ORDER,
        /** Right in every order. */
        RIGHT
    }

    /**
     * One question as shown.
     *
     * @param picks  the option picked under each rotation, in the record's order ({@code picks[0]} = shown order)
     * @param images file names in the shared image folder
     */
    public record Card(Kind kind, String qaId, String questionType, String question, List<String> choices,
            int correctIndex, int[] picks, boolean heldOutPhrasing, String template, List<String> images) {}

    /** Cards per type and kind. */
    public record Limits(int mistakes, int order, int right) {
        public static final Limits DEFAULT = new Limits(6, 3, 2);
    }

    private final Path dir;
    private final Limits limits;
    private final Map<String, List<Card>> cards = new TreeMap<>();
    private final Map<String, int[]> counts = new HashMap<>();
    private final Map<String, int[]> seen = new HashMap<>();

    /** @param images the shared image folder; null keeps cards without images */
    public MistakeGallery(Path images, Limits limits) {
        this.dir = images;
        this.limits = limits;
    }

    @Override
    public void scored(QaRecord q, List<QuestionImages.Image> images, CircularScorer.Outcome o) {
        Kind kind = !o.correct() ? Kind.MISTAKE : o.circularCorrect() ? Kind.RIGHT : Kind.ORDER;
        String type = q.getQuestionType();
        seen.computeIfAbsent(type, t -> new int[Kind.values().length])[kind.ordinal()]++;
        int[] have = counts.computeIfAbsent(type, t -> new int[Kind.values().length]);
        int limit = switch (kind) {
            case MISTAKE -> limits.mistakes();
            case ORDER -> limits.order();
            case RIGHT -> limits.right();
        };
        if (have[kind.ordinal()] >= limit) {
            return;
        }
        have[kind.ordinal()]++;
        List<String> files = new ArrayList<>();
        if (dir != null) {
            try {
                Files.createDirectories(dir);
                for (QuestionImages.Image image : images) {
                    // named by the question, the view and the marks: what the image shows
                    String name = safe(q.getQaId()) + "-" + image.index() + "-"
                            + Integer.toHexString(Objects.hash(image.viewId(), q.getMarks().toString())) + ".png";
                    Path file = dir.resolve(name);
                    if (!Files.isRegularFile(file)) {
                        Path tmp = dir.resolve(name + ".tmp");
                        Files.write(tmp, image.png());
                        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    }
                    files.add(name);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write gallery images under " + dir, e);
            }
        }
        cards.computeIfAbsent(type, t -> new ArrayList<>()).add(new Card(kind, q.getQaId(), type, q.getQuestion(),
                List.copyOf(q.getChoices()), q.getCorrectIndex(), o.picks(), q.getHeldOutPhrasing(), q.getTemplate(),
                files));
    }

    /** Cards per question type, in the order scored. */
    public Map<String, List<Card>> cards() {
        return cards;
    }

    /** How many questions of {@code type} were of {@code kind} (shown or not). */
    public int seen(String type, Kind kind) {
        int[] s = seen.get(type);
        return s == null ? 0 : s[kind.ordinal()];
    }
}
