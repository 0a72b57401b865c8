package dev.satflow.core.frames;

import dev.satflow.core.marks.MarkPainter;
import dev.satflow.core.validate.ContractViolation;
import dev.satflow.schema.Frame;
import dev.satflow.schema.FrameRef;
import dev.satflow.schema.Mark;
import dev.satflow.schema.QaImage;
import dev.satflow.schema.QaRecord;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a question's image references into pixels, for every consumer alike (trainer, evaluator,
 * galleries, exporters, console): the referenced frames, checked to be the views the question
 * names, with the question's marks drawn by the one {@link MarkPainter}. Records from satflow-qa/1
 * (images inline) resolve to their inline bytes.
 */
public final class QuestionImages implements AutoCloseable {
    /** One image of a question: the encoded frame, the marks to draw on it, and the frame itself when referenced. */
    public record Image(String viewId, String format, byte[] encoded, List<Mark> marks, int index, Frame frame) {
        /** Whether any mark is drawn on this image. */
        public boolean marked() {
            return marks.stream().anyMatch(m -> m.getImage() == index);
        }

        /** The image as PNG bytes with its marks drawn; the frame's own bytes when it has none. */
        public byte[] png() {
            return MarkPainter.paintPng(encoded, marks, index);
        }

        /** The decoded image with its marks drawn. */
        public BufferedImage painted() {
            return MarkPainter.paint(encoded, marks, index);
        }
    }

    private final FrameSource source;

    public QuestionImages(FrameSource source) {
        this.source = source;
    }

    /** Fetches the frames of many questions in one pass (so a run of questions costs one read). */
    public void prefetch(Collection<QaRecord> questions) {
        Set<FrameCoordinates> wanted = new HashSet<>();
        for (QaRecord q : questions) {
            for (FrameRef r : q.getFrames()) {
                wanted.add(FrameCoordinates.of(r));
            }
        }
        if (!wanted.isEmpty()) {
            source.fetch(wanted);
        }
    }

    /**
     * The question's images in order.
     *
     * @throws IllegalArgumentException naming the reference when a frame is missing, is not the view
     *                                  the question names, or the record has no images at all
     */
    public List<Image> images(QaRecord q) {
        List<Image> out = new ArrayList<>();
        if (q.getFrames().isEmpty()) {
            int i = 0;
            for (QaImage inline : q.getImages()) { // satflow-qa/1: bytes inline, marks burnt in
                out.add(new Image(inline.getViewId(), inline.getFormat(), bytes(inline.getBytes()), List.of(), i++,
                        null));
            }
            if (out.isEmpty()) {
                throw violation("frames", "[]", "question " + q.getQaId() + " names no image");
            }
            return out;
        }
        List<FrameCoordinates> coords = q.getFrames().stream().map(FrameCoordinates::of).toList();
        Map<FrameCoordinates, Frame> found = source.fetch(coords);
        for (int i = 0; i < coords.size(); i++) {
            FrameRef ref = q.getFrames().get(i);
            Frame f = found.get(coords.get(i));
            if (f == null) {
                throw violation("frames[" + i + "]", coords.get(i) + " (view " + ref.getViewId() + ")",
                        "no frame there");
            }
            if (!f.getViewId().equals(ref.getViewId()) || !f.getSceneId().equals(q.getSceneId())) {
                throw violation("frames[" + i + "]", coords.get(i), "holds view " + f.getViewId() + " of "
                        + f.getSceneId() + ", not view " + ref.getViewId() + " of " + q.getSceneId());
            }
            out.add(new Image(f.getViewId(), f.getImageFormat(), bytes(f.getImage()), q.getMarks(), i, f));
        }
        return out;
    }

    /**
     * An IllegalArgumentException (what callers catch) caused by a {@link ContractViolation}, so a dead letter
     * made of it names the field ({@link dev.satflow.core.validate.DeadLetters}).
     */
    public static IllegalArgumentException violation(String field, Object value, String rule) {
        ContractViolation cv = new ContractViolation(field, value, rule);
        return new IllegalArgumentException(cv.getMessage(), cv);
    }

    private static byte[] bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    @Override
    public void close() {
        source.close();
    }
}
