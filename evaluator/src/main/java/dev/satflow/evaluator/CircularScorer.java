package dev.satflow.evaluator;

import dev.satflow.core.frames.QuestionImages;
import dev.satflow.schema.QaRecord;
import dev.satflow.trainer.data.TrainingExample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Scores held-out questions a chunk at a time: resolves the chunk's images through {@link QuestionImages},
 * asks the predictor about every cyclic rotation of each question's options ({@link Rotations}), reports
 * each question's {@link Outcome} while its images are still at hand, then lets the chunk go. At most one
 * chunk's images are held however many questions (and checkpoints) there are; {@link Held} says how many.
 */
public final class CircularScorer {
    /** Questions resolved and predicted together. */
    public static final int DEFAULT_CHUNK = 64;

    /**
     * What the model did with one question.
     *
     * @param correctIndex the right option, in the record's order
     * @param picks        the option picked (in the record's order) under rotation 0, 1, .., C-1;
     *                     {@code picks[0]} is the plain answer
     */
    public record Outcome(int correctIndex, int[] picks) {
        public Outcome {
            picks = picks.clone();
        }

        /** The option picked with the options in the record's order. */
        public int predicted() {
            return picks[0];
        }

        /** Right in the record's order (plain accuracy). */
        public boolean correct() {
            return picks[0] == correctIndex;
        }

        /** Right in every rotation of the options. */
        public boolean circularCorrect() {
            return Arrays.stream(picks).allMatch(p -> p == correctIndex);
        }

        /** The same option picked wherever it stood (right or not). */
        public boolean consistent() {
            return Arrays.stream(picks).allMatch(p -> p == picks[0]);
        }

        @Override
        public int[] picks() {
            return picks.clone();
        }
    }

    /** Called for every scored question while its images are still resolved. */
    @FunctionalInterface
    public interface Observer {
        void scored(QaRecord question, List<QuestionImages.Image> images, Outcome outcome);

        Observer NONE = (q, i, o) -> { };
    }

    /** Called for a question whose images do not resolve (it is left out of the scores). */
    @FunctionalInterface
    public interface Unresolved {
        void skipped(QaRecord question, IllegalArgumentException error);
    }

    /** The most one pass held at once, and what it did. */
    public static final class Held {
        private int chunks;
        private int questions;
        private long presentations;
        private int skipped;
        private int maxQuestions;
        private int maxImages;
        private long maxImageBytes;
        private int maxPresentations;
        private long resolveNanos;
        private long predictNanos;
        private long observeNanos;

        /** Seconds spent resolving images (frame reads included). */
        public double resolveSeconds() {
            return resolveNanos / 1e9;
        }

        /** Seconds spent in the predictor (preparing examples included). */
        public double predictSeconds() {
            return predictNanos / 1e9;
        }

        /** Seconds spent in the observer (scoreboard, gallery images). */
        public double observeSeconds() {
            return observeNanos / 1e9;
        }

        /** Chunks scored. */
        public int chunks() {
            return chunks;
        }

        /** Questions scored. */
        public int questions() {
            return questions;
        }

        /** Option orders put to the predictor (every rotation of every question). */
        public long presentations() {
            return presentations;
        }

        /** Questions whose images did not resolve. */
        public int skipped() {
            return skipped;
        }

        /** Most questions with resolved images at once. */
        public int maxQuestions() {
            return maxQuestions;
        }

        /** Most distinct encoded images held at once. */
        public int maxImages() {
            return maxImages;
        }

        /** Most encoded image bytes held at once. */
        public long maxImageBytes() {
            return maxImageBytes;
        }

        /** Most examples (rotations) handed to the predictor in one call. */
        public int maxPresentations() {
            return maxPresentations;
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%d questions (%d orders) in %d chunks (resolve %.1f s, "
                    + "predict %.1f s, report %.1f s); held at most %d questions, %d images, %.1f MB at once",
                    questions, presentations, chunks, resolveSeconds(), predictSeconds(), observeSeconds(),
                    maxQuestions, maxImages, maxImageBytes / 1e6);
        }
    }

    private final QuestionImages images;
    private final int chunk;

    public CircularScorer(QuestionImages images, int chunk) {
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk = " + chunk + ": expected >= 1");
        }
        this.images = images;
        this.chunk = chunk;
    }

    /**
     * Scores every question (plain and circular), reporting each outcome to {@code observer}. The questions are
     * taken a chunk at a time as they are iterated, so a stream of questions (rows of a file) is never held whole.
     */
    public Held score(Iterable<QaRecord> questions, ChoicePredictor predictor, Observer observer,
            Unresolved unresolved) {
        Held held = new Held();
        List<QaRecord> part = new ArrayList<>(chunk);
        for (QaRecord q : questions) {
            part.add(q);
            if (part.size() == chunk) {
                scoreChunk(part, predictor, observer, unresolved, held);
                part = new ArrayList<>(chunk);
            }
        }
        if (!part.isEmpty()) {
            scoreChunk(part, predictor, observer, unresolved, held);
        }
        return held;
    }

    private void scoreChunk(List<QaRecord> part, ChoicePredictor predictor, Observer observer, Unresolved unresolved,
            Held held) {
        long t0 = System.nanoTime();
        images.prefetch(part); // one read for the chunk's frames
        List<QaRecord> resolved = new ArrayList<>(part.size());
        List<List<QuestionImages.Image>> resolvedImages = new ArrayList<>(part.size());
        List<TrainingExample> base = new ArrayList<>(part.size());
        Set<byte[]> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        long bytes = 0;
        for (QaRecord q : part) {
            List<QuestionImages.Image> im;
            TrainingExample e;
            try {
                im = images.images(q);
                e = TrainingExample.from(q, im);
            } catch (IllegalArgumentException ex) {
                held.skipped++;
                unresolved.skipped(q, ex);
                continue;
            }
            resolved.add(q);
            resolvedImages.add(im);
            base.add(e);
            for (byte[] b : e.images()) {
                if (distinct.add(b)) {
                    bytes += b.length;
                }
            }
        }
        long t1 = System.nanoTime();
        held.resolveNanos += t1 - t0;
        List<TrainingExample> prepared;
        try {
            prepared = base.isEmpty() ? base : predictor.prepare(base);
        } catch (IllegalArgumentException chunkFailed) {
            // an image that does not decode: prepare one question at a time and leave out those that fail
            List<QaRecord> keptQ = new ArrayList<>(base.size());
            List<List<QuestionImages.Image>> keptImages = new ArrayList<>(base.size());
            List<TrainingExample> keptBase = new ArrayList<>(base.size());
            prepared = new ArrayList<>(base.size());
            for (int i = 0; i < base.size(); i++) {
                List<TrainingExample> one;
                try {
                    one = predictor.prepare(List.of(base.get(i)));
                } catch (IllegalArgumentException ex) {
                    held.skipped++;
                    unresolved.skipped(resolved.get(i), ex);
                    continue;
                }
                if (one.size() != 1) {
                    throw new IllegalStateException("predictor prepared " + one.size() + " of 1 examples");
                }
                prepared.add(one.get(0));
                keptQ.add(resolved.get(i));
                keptImages.add(resolvedImages.get(i));
                keptBase.add(base.get(i));
            }
            resolved = keptQ;
            resolvedImages = keptImages;
            base = keptBase;
        }
        if (prepared.size() != base.size()) {
            throw new IllegalStateException("predictor prepared " + prepared.size() + " of " + base.size()
                    + " examples");
        }
        for (int i = 0; i < base.size(); i++) {
            TrainingExample a = base.get(i);
            TrainingExample b = prepared.get(i);
            if (!a.qaId().equals(b.qaId()) || !a.choices().equals(b.choices()) || a.correctIndex() != b.correctIndex()
                    || !a.choiceRoles().equals(b.choiceRoles())) {
                throw new IllegalStateException(a.qaId() + ": prepare changed the question (" + b.qaId() + ")");
            }
        }
        List<TrainingExample> presentations = new ArrayList<>(part.size() * 2);
        for (TrainingExample e : prepared) {
            for (int k = 0; k < e.choices().size(); k++) {
                presentations.add(Rotations.rotate(e, k));
            }
        }
        held.chunks++;
        held.maxQuestions = Math.max(held.maxQuestions, resolved.size());
        held.maxImages = Math.max(held.maxImages, distinct.size());
        held.maxImageBytes = Math.max(held.maxImageBytes, bytes);
        held.maxPresentations = Math.max(held.maxPresentations, presentations.size());
        if (resolved.isEmpty()) {
            return;
        }
        int[] predicted = predictor.predict(presentations);
        long t2 = System.nanoTime();
        held.predictNanos += t2 - t1;
        if (predicted.length != presentations.size()) {
            throw new IllegalStateException("predictor answered " + predicted.length + " of " + presentations.size()
                    + " examples");
        }
        int at = 0;
        for (int i = 0; i < resolved.size(); i++) {
            TrainingExample first = presentations.get(at);
            int c = first.choices().size();
            int[] picks = new int[c];
            for (int k = 0; k < c; k++) {
                int p = predicted[at + k];
                if (p < 0 || p >= c) {
                    throw new IllegalStateException(first.qaId() + ": predictor picked option " + p + " of " + c);
                }
                picks[k] = Rotations.original(p, k, c);
            }
            at += c;
            held.questions++;
            held.presentations += c;
            observer.scored(resolved.get(i), resolvedImages.get(i), new Outcome(first.correctIndex(), picks));
        }
        held.observeNanos += System.nanoTime() - t2;
    }
}
