package dev.satflow.evaluator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.core.frames.FrameCoordinates;
import dev.satflow.core.frames.FrameSource;
import dev.satflow.core.frames.QuestionImages;
import dev.satflow.schema.Frame;
import dev.satflow.schema.FrameRef;
import dev.satflow.schema.QaRecord;
import dev.satflow.trainer.data.TrainingExample;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluator holds at most a chunk's images however many questions and checkpoints there are:
 * thousands of questions, each with frames of its own made fresh on every fetch, scored for several
 * checkpoints. Every frame and every image handed to the predictor is watched through a weak
 * reference; after a full GC, those still reachable are the ones the evaluator holds. The heap after
 * GC is measured too.
 */
class EvalBoundedMemoryTest {
    static final int QUESTIONS = 3000;
    static final int FRAME_BYTES = 96 * 1024;
    static final int CHUNK = 64;
    static final int CHECKPOINTS = 3;

    @TempDir
    Path root;

    /** Frames made on request (nothing kept), watched by weak references. */
    static final class WatchedFrames implements FrameSource {
        final Watch watch;
        int maxPerFetch;
        long fetched;

        WatchedFrames(Watch watch) {
            this.watch = watch;
        }

        @Override
        public Map<FrameCoordinates, Frame> fetch(Collection<FrameCoordinates> wanted) {
            maxPerFetch = Math.max(maxPerFetch, wanted.size());
            Map<FrameCoordinates, Frame> out = new HashMap<>();
            for (FrameCoordinates c : wanted) {
                String scene = "scene-" + c.offset() / 2;
                Frame f = EvalFixtures.frame(scene, scene + "/v" + c.offset() % 2, pngSized(FRAME_BYTES));
                watch.add(f.getImage());
                out.put(c, f);
                fetched++;
            }
            return out;
        }
    }

    /** Image-sized bytes that pass the format check (the PNG signature first); the fake predictor never decodes. */
    static byte[] pngSized(int n) {
        byte[] b = new byte[n];
        System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10}, 0, b, 0, 8);
        return b;
    }

    /** Weak references to everything image-sized handed out; counts what is still reachable after a GC. */
    static final class Watch {
        final List<WeakReference<Object>> refs = new ArrayList<>();
        int maxAlive;
        long maxHeapAfterGc;

        void add(Object o) {
            refs.add(new WeakReference<>(o));
        }

        void probe() {
            System.gc();
            int alive = 0;
            for (Iterator<WeakReference<Object>> it = refs.iterator(); it.hasNext(); ) {
                if (it.next().get() == null) {
                    it.remove();
                } else {
                    alive++;
                }
            }
            maxAlive = Math.max(maxAlive, alive);
            Runtime rt = Runtime.getRuntime();
            maxHeapAfterGc = Math.max(maxHeapAfterGc, rt.totalMemory() - rt.freeMemory());
        }
    }

    static List<QaRecord> questions() {
        List<QaRecord> qs = new ArrayList<>();
        for (int i = 0; i < QUESTIONS; i++) {
            String scene = "scene-" + i;
            boolean dynamic = i % 3 == 0;
            List<FrameRef> refs = new ArrayList<>(List.of(EvalFixtures.ref(scene + "/v0", 0, 2L * i)));
            if (dynamic) {
                refs.add(EvalFixtures.ref(scene + "/v1", 0, 2L * i + 1));
            }
            qs.add(QaRecord.newBuilder(EvalFixtures.question("q" + i, scene, "test",
                    dynamic ? "ego_movement" : i % 3 == 1 ? "left_right" : "counting",
                    i % 3 == 2 ? EvalFixtures.COUNTS : EvalFixtures.LEFT_RIGHT, i % 2, false, refs, List.of()))
                    .setFamily(dynamic ? "dynamic" : "static").build());
        }
        return qs;
    }

    @Test
    void holdsAChunkOfImagesHoweverManyQuestionsAndCheckpoints() {
        List<QaRecord> qs = questions();
        long totalImageBytes = qs.stream().mapToLong(q -> (long) q.getFrames().size() * FRAME_BYTES).sum();
        Watch watch = new Watch();
        WatchedFrames frames = new WatchedFrames(watch);
        QuestionImages images = new QuestionImages(frames);
        int[] calls = {0};
        ChoicePredictor predictor = examples -> {
            Set<byte[]> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
            examples.forEach(e -> distinct.addAll(e.images()));
            distinct.forEach(watch::add);
            if (calls[0]++ % 4 == 0) {
                watch.probe(); // while this chunk's images are held
            }
            return examples.stream().mapToInt(TrainingExample::correctIndex).toArray();
        };
        watch.probe();
        long baseline = watch.maxHeapAfterGc;
        long[] peakAfter = new long[CHECKPOINTS];
        long t0 = System.nanoTime();
        CircularScorer.Held held = null;
        for (int c = 0; c < CHECKPOINTS; c++) {
            Evaluation.Result r = Evaluation.run(new Evaluation.Target("run/step-" + c, "run", c), "test", qs, images,
                    predictor, BlindReference.NONE, root, new Evaluation.Options(CHUNK, MistakeGallery.Limits.DEFAULT),
                    (q, e) -> { throw e; }, c);
            assertEquals(QUESTIONS, r.report().getCount());
            assertEquals(1f, r.report().getCircularAccuracy());
            held = r.held();
            peakAfter[c] = watch.maxHeapAfterGc;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        watch.probe();
        int maxImagesPerChunk = 2 * CHUNK;
        System.out.printf("bounded memory: %d questions x %d checkpoints, %.1f MB of images per pass; held at most "
                        + "%d questions, %d images, %.1f MB per chunk (counted); at most %d frames/images reachable "
                        + "after GC (weak refs); heap after GC: baseline %.1f MB, peak %.1f MB (after checkpoint 1: "
                        + "%.1f MB, after %d: %.1f MB); most frames in one fetch %d; %.2f s%n",
                QUESTIONS, CHECKPOINTS, totalImageBytes / 1e6, held.maxQuestions(), held.maxImages(),
                held.maxImageBytes() / 1e6, watch.maxAlive, baseline / 1e6, watch.maxHeapAfterGc / 1e6,
                peakAfter[0] / 1e6, CHECKPOINTS, peakAfter[CHECKPOINTS - 1] / 1e6, frames.maxPerFetch, seconds);

        // per pass every frame is asked for twice: in its chunk's prefetch (one read per chunk from Kafka, into
        // the frame source's bounded cache) and when its question is resolved; this source caches nothing
        assertEquals(2 * CHECKPOINTS * totalImageBytes / FRAME_BYTES, frames.fetched, "frames fetched");
        assertTrue(held.maxQuestions() <= CHUNK, "questions resolved at once: " + held.maxQuestions());
        assertTrue(held.maxImages() <= maxImagesPerChunk, "images held at once: " + held.maxImages());
        assertTrue(held.maxImageBytes() <= (long) maxImagesPerChunk * FRAME_BYTES);
        assertTrue(frames.maxPerFetch <= maxImagesPerChunk, "frames asked for at once: " + frames.maxPerFetch);
        // what is reachable: the current chunk's frames (as fetched) and copies (as examples), nothing older
        assertTrue(watch.maxAlive <= 2 * maxImagesPerChunk, "reachable frames and images: " + watch.maxAlive);
        long heldBytes = watch.maxHeapAfterGc - baseline;
        assertTrue(heldBytes < 2L * maxImagesPerChunk * FRAME_BYTES + 16_000_000,
                "heap above baseline " + heldBytes / 1e6 + " MB, images per pass " + totalImageBytes / 1e6 + " MB");
        assertTrue(peakAfter[CHECKPOINTS - 1] - peakAfter[0] < 8_000_000,
                "no growth per checkpoint: " + peakAfter[0] / 1e6 + " -> " + peakAfter[CHECKPOINTS - 1] / 1e6 + " MB");
    }
}
