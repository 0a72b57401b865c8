package dev.satflow.trainer.data;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Mixes the two SAT stages (static and dynamic questions) into training batches at a fixed ratio, with bounded
 * memory.
 *
 * <p>Each family has its own FIFO buffer of {@code capacityPerFamily} examples. {@link #offer} returns false
 * when the example's buffer is full: that is the backpressure signal (pause that family's source, e.g. its
 * Kafka partitions, and offer again after the next batch is drawn). Nothing is ever dropped or buffered beyond
 * the bound.
 *
 * <p>Batch {@code i} asks for {@code round((i+1)·B·f) − round(i·B·f)} dynamic examples, so every prefix of the
 * batch sequence is as close to the fraction {@code f} as whole examples allow (e.g. f=0.5, B=5 alternates 3/2).
 * {@link #poll} only returns a batch on plan. When one family stalls, a caller that would rather keep training
 * than wait uses {@link #pollRelaxed} (fills the gap from the other family and says so in the batch), and at
 * end of stream {@link #drain}. Positions inside a batch are shuffled with a seeded generator, so the whole
 * sequence is a deterministic function of the seed and the order examples were offered in.
 *
 * <p>Thread-safe: a consumer thread may offer while the training thread polls.
 */
public final class StageMixer {

    private final MixerConfig config;
    private final ArrayDeque<TrainingExample> staticBuffer;
    private final ArrayDeque<TrainingExample> dynamicBuffer;
    private final Random random;
    private long batches;
    private long staticDrawn;
    private long dynamicDrawn;

    public StageMixer(MixerConfig config) {
        this.config = config;
        this.staticBuffer = new ArrayDeque<>(config.capacityPerFamily());
        this.dynamicBuffer = new ArrayDeque<>(config.capacityPerFamily());
        this.random = new Random(config.seed());
    }

    public MixerConfig config() {
        return config;
    }

    /** Buffers {@code example}; false (and nothing buffered) when its family's buffer is full. */
    public synchronized boolean offer(TrainingExample example) {
        ArrayDeque<TrainingExample> buffer = bufferOf(example.family());
        if (buffer.size() >= config.capacityPerFamily()) {
            return false;
        }
        buffer.addLast(example);
        return true;
    }

    /** Whether an example of {@code family} would be accepted now. */
    public synchronized boolean hasRoom(Family family) {
        return bufferOf(family).size() < config.capacityPerFamily();
    }

    public synchronized int buffered(Family family) {
        return bufferOf(family).size();
    }

    /** The next batch if both buffers hold their planned share; otherwise empty and nothing is taken. */
    public synchronized Optional<MixedBatch> poll() {
        int dynamic = plannedDynamic();
        int statics = config.batchSize() - dynamic;
        if (dynamicBuffer.size() < dynamic || staticBuffer.size() < statics) {
            return Optional.empty();
        }
        return Optional.of(take(statics, dynamic, dynamic));
    }

    /**
     * A full batch whenever the buffers together hold one: the planned share where available, the shortfall
     * filled from the other family. Use when one family's source is stalled and waiting would starve training.
     */
    public synchronized Optional<MixedBatch> pollRelaxed() {
        int size = config.batchSize();
        if (staticBuffer.size() + dynamicBuffer.size() < size) {
            return Optional.empty();
        }
        int planned = plannedDynamic();
        int dynamic = Math.min(planned, dynamicBuffer.size());
        int statics = Math.min(size - dynamic, staticBuffer.size());
        dynamic = size - statics; // fill whatever static could not cover from dynamic
        return Optional.of(take(statics, dynamic, planned));
    }

    /** End of stream: whatever is left (up to one batch), as close to plan as the buffers allow. */
    public synchronized Optional<MixedBatch> drain() {
        int available = staticBuffer.size() + dynamicBuffer.size();
        if (available == 0) {
            return Optional.empty();
        }
        int size = Math.min(config.batchSize(), available);
        int planned = plannedDynamic();
        int dynamic = Math.min(Math.min(planned, size), dynamicBuffer.size());
        int statics = Math.min(size - dynamic, staticBuffer.size());
        dynamic = size - statics;
        return Optional.of(take(statics, dynamic, planned));
    }

    /** Batches drawn so far. */
    public synchronized long batchesDrawn() {
        return batches;
    }

    public synchronized long staticDrawn() {
        return staticDrawn;
    }

    public synchronized long dynamicDrawn() {
        return dynamicDrawn;
    }

    /** Dynamic count for the next batch so that the running total tracks the fraction without drift. */
    private int plannedDynamic() {
        long b = config.batchSize();
        double f = config.dynamicFraction();
        return (int) (Math.round((batches + 1) * b * f) - Math.round(batches * b * f));
    }

    private MixedBatch take(int statics, int dynamic, int planned) {
        List<TrainingExample> examples = new ArrayList<>(statics + dynamic);
        for (int i = 0; i < statics; i++) {
            examples.add(staticBuffer.pollFirst());
        }
        for (int i = 0; i < dynamic; i++) {
            examples.add(dynamicBuffer.pollFirst());
        }
        for (int i = examples.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            TrainingExample t = examples.get(i);
            examples.set(i, examples.get(j));
            examples.set(j, t);
        }
        MixedBatch batch = new MixedBatch(batches++, examples, statics, dynamic, planned);
        staticDrawn += statics;
        dynamicDrawn += dynamic;
        return batch;
    }

    private ArrayDeque<TrainingExample> bufferOf(Family family) {
        return family == Family.DYNAMIC ? dynamicBuffer : staticBuffer;
    }
}
