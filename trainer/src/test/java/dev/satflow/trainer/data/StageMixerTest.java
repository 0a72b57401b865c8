package dev.satflow.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StageMixerTest {

    private int next;

    @Test
    void everyBatchFollowsTheRatioAndTheRunningTotalDoesNotDrift() {
        StageMixer mixer = new StageMixer(new MixerConfig(32, 0.3, 64, 1));
        int batches = 0;
        while (batches < 50) {
            while (mixer.offer(example(Family.STATIC))) {
                // fill until the buffer refuses
            }
            while (mixer.offer(example(Family.DYNAMIC))) {
                // fill until the buffer refuses
            }
            MixedBatch batch = mixer.poll().orElseThrow();
            assertEquals(32, batch.size());
            assertEquals(batch.dynamicCount(), countOf(batch, Family.DYNAMIC));
            assertEquals(batch.staticCount(), countOf(batch, Family.STATIC));
            assertTrue(batch.onPlan());
            assertTrue(batch.dynamicCount() == 9 || batch.dynamicCount() == 10, "0.3 x 32 = 9.6");
            batches++;
        }
        double fraction = (double) mixer.dynamicDrawn() / (mixer.dynamicDrawn() + mixer.staticDrawn());
        assertEquals(0.3, fraction, 0.001);
        assertEquals(50, mixer.batchesDrawn());
    }

    @Test
    void halfAndHalfWithOddBatchAlternates() {
        StageMixer mixer = new StageMixer(new MixerConfig(5, 0.5, 10, 1));
        fill(mixer, Family.STATIC, 10);
        fill(mixer, Family.DYNAMIC, 10);
        assertEquals(3, mixer.poll().orElseThrow().dynamicCount());
        assertEquals(2, mixer.poll().orElseThrow().dynamicCount());
    }

    @Test
    void refusesWhenFullInsteadOfGrowing() {
        StageMixer mixer = new StageMixer(new MixerConfig(4, 0.5, 6, 1));
        for (int i = 0; i < 6; i++) {
            assertTrue(mixer.offer(example(Family.STATIC)));
        }
        assertFalse(mixer.offer(example(Family.STATIC)));
        assertFalse(mixer.hasRoom(Family.STATIC));
        assertEquals(6, mixer.buffered(Family.STATIC));
        // The other family has its own bound.
        assertTrue(mixer.offer(example(Family.DYNAMIC)));
        assertTrue(mixer.hasRoom(Family.DYNAMIC));
    }

    @Test
    void waitsForTheMissingFamilyUnlessRelaxed() {
        StageMixer mixer = new StageMixer(new MixerConfig(4, 0.5, 8, 1));
        fill(mixer, Family.STATIC, 8);
        fill(mixer, Family.DYNAMIC, 1);
        assertEquals(Optional.empty(), mixer.poll());
        assertEquals(8, mixer.buffered(Family.STATIC), "a refused poll takes nothing");

        MixedBatch relaxed = mixer.pollRelaxed().orElseThrow();
        assertEquals(4, relaxed.size());
        assertEquals(1, relaxed.dynamicCount());
        assertEquals(3, relaxed.staticCount());
        assertEquals(2, relaxed.plannedDynamic());
        assertFalse(relaxed.onPlan());
        assertTrue(mixer.hasRoom(Family.STATIC), "drawing frees room: backpressure lifts");
    }

    @Test
    void drainEmptiesTheBuffersAtEndOfStream() {
        StageMixer mixer = new StageMixer(new MixerConfig(4, 0.5, 8, 1));
        fill(mixer, Family.STATIC, 3);
        fill(mixer, Family.DYNAMIC, 2);
        MixedBatch first = mixer.drain().orElseThrow();
        assertEquals(4, first.size());
        MixedBatch last = mixer.drain().orElseThrow();
        assertEquals(1, last.size());
        assertEquals(Optional.empty(), mixer.drain());
        assertEquals(5, mixer.staticDrawn() + mixer.dynamicDrawn());
    }

    @Test
    void sameSeedAndInputGiveTheSameBatches() {
        assertEquals(drawIds(7), drawIds(7));
        assertNotEquals(drawIds(7), drawIds(8));
    }

    @Test
    void rejectsNonsenseConfig() {
        assertThrows(IllegalArgumentException.class, () -> new MixerConfig(8, 1.5, 8, 0));
        assertThrows(IllegalArgumentException.class, () -> new MixerConfig(8, 0.5, 4, 0));
        assertThrows(IllegalArgumentException.class, () -> new MixerConfig(0, 0.5, 4, 0));
    }

    private List<String> drawIds(long seed) {
        next = 0;
        StageMixer mixer = new StageMixer(new MixerConfig(8, 0.5, 16, seed));
        List<String> ids = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            fill(mixer, Family.STATIC, 4);
            fill(mixer, Family.DYNAMIC, 4);
            mixer.poll().orElseThrow().examples().forEach(e -> ids.add(e.qaId()));
        }
        return ids;
    }

    private void fill(StageMixer mixer, Family family, int n) {
        for (int i = 0; i < n; i++) {
            assertTrue(mixer.offer(example(family)));
        }
    }

    private static long countOf(MixedBatch batch, Family family) {
        return batch.examples().stream().filter(e -> e.family() == family).count();
    }

    private TrainingExample example(Family family) {
        return new TrainingExample("e" + (next++), family, "t", "q", List.of("a", "b"), 0, List.of(new byte[] {1}));
    }
}
