package dev.satflow.trainer.data;

import dev.satflow.trainer.plan.Stage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Composes training batches from bounded per-question-type buffers, following a {@link Stage}'s type weights,
 * with a share of rehearsal examples from a reservoir of older ones.
 *
 * <p><b>Buffers.</b> Each question type has its own buffer of at most {@code capacityPerType} examples;
 * {@link #offer} returns false when it is full, which is the backpressure signal (stop reading, offer again
 * after the next draw). Examples are taken out <em>at random</em>, not first-in first-out, so with buffers
 * larger than a scene's questions a batch spans many scenes.
 *
 * <p><b>Type ratios.</b> The type of every fresh slot is chosen by smooth weighted round robin: each slot adds
 * every type's weight to its credit and the type with the most credit takes the slot and pays 1. The count of a
 * type in any run of slots then stays within about one example of weight × length (a deterministic schedule; i.i.d.
 * sampling would stray by ±1.6 % over 1,000 samples at weight 0.5). A batch's positions are shuffled.
 *
 * <p><b>Draws.</b> {@link #poll} returns a batch only when every weighted type holds its planned share;
 * {@link #pollRelaxed} gives a full batch whenever the weighted buffers together hold one, spreading a short
 * type's slots over the others (for a stalled source: a full buffer blocks reading while another type has run
 * dry); {@link #drain} gives whatever is left, up to a batch.
 *
 * <p><b>Rehearsal.</b> Every fresh example drawn is offered to a reservoir ({@link Reservoir}, bounded); a stage
 * with rehearsal fraction r takes {@code round(r·B)} slots per batch (carrying the remainder over) from it once it
 * holds a batch's worth, without repeats inside a batch.
 *
 * <p>Thread-safe.
 */
public final class TypeMixer {

    /** How strictly a draw must follow the stage's weights. */
    public enum Mode { STRICT, RELAXED, DRAIN }

    private final int batchSize;
    private final int capacityPerType;
    private final Map<String, List<TrainingExample>> buffers = new LinkedHashMap<>();
    private final Map<String, Double> credits = new HashMap<>();
    private final Reservoir<TrainingExample> reservoir;
    private final Random random;
    private double rehearsalCredit;
    private long batches;

    public TypeMixer(int batchSize, int capacityPerType, int reservoirCapacity, long seed) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be positive");
        }
        if (capacityPerType < 1) {
            throw new IllegalArgumentException("capacityPerType must be >= 1");
        }
        this.batchSize = batchSize;
        this.capacityPerType = capacityPerType;
        this.reservoir = new Reservoir<>(reservoirCapacity, seed * 31 + 7);
        this.random = new Random(seed);
        for (String t : QuestionCatalog.ALL) {
            buffers.put(t, new ArrayList<>());
        }
    }

    public int batchSize() {
        return batchSize;
    }

    public int capacityPerType() {
        return capacityPerType;
    }

    /** Buffers {@code example}; false (and nothing buffered) when its type's buffer is full. */
    public synchronized boolean offer(TrainingExample example) {
        List<TrainingExample> b = buffers.computeIfAbsent(example.questionType(), t -> new ArrayList<>());
        if (b.size() >= capacityPerType) {
            return false;
        }
        b.add(example);
        return true;
    }

    public synchronized boolean hasRoom(String type) {
        List<TrainingExample> b = buffers.get(type);
        return b == null || b.size() < capacityPerType;
    }

    public synchronized int buffered(String type) {
        List<TrainingExample> b = buffers.get(type);
        return b == null ? 0 : b.size();
    }

    public synchronized int bufferedTotal() {
        return buffers.values().stream().mapToInt(List::size).sum();
    }

    /** Takes every buffered example of the types {@code stage} does not weight out of the buffers. */
    public synchronized List<TrainingExample> evictUnweighted(Stage stage) {
        List<TrainingExample> out = new ArrayList<>();
        for (Map.Entry<String, List<TrainingExample>> e : buffers.entrySet()) {
            if (stage.weight(e.getKey()) <= 0) {
                out.addAll(e.getValue());
                e.getValue().clear();
            }
        }
        return out;
    }

    /** Forget the type credits (at a stage switch: the new weights start from an even footing). */
    public synchronized void resetCredits() {
        credits.clear();
        rehearsalCredit = 0;
    }

    public synchronized Map<String, Double> credits() {
        return Map.copyOf(credits);
    }

    public synchronized double rehearsalCredit() {
        return rehearsalCredit;
    }

    /** Restores the credits saved with a checkpoint, so the ratios continue without a seam. */
    public synchronized void restoreCredits(Map<String, Double> saved, double savedRehearsalCredit) {
        credits.clear();
        credits.putAll(saved);
        rehearsalCredit = savedRehearsalCredit;
    }

    public Reservoir<TrainingExample> reservoir() {
        return reservoir;
    }

    public synchronized long batchesDrawn() {
        return batches;
    }

    /** A batch on plan, or empty (and nothing taken) when some weighted type is short of its share. */
    public Optional<DrawnBatch> poll(Stage stage) {
        return draw(stage, Mode.STRICT);
    }

    /** A full batch whenever the weighted buffers together hold one. */
    public Optional<DrawnBatch> pollRelaxed(Stage stage) {
        return draw(stage, Mode.RELAXED);
    }

    /** Whatever the weighted buffers hold, up to one batch; empty when they are empty. */
    public Optional<DrawnBatch> drain(Stage stage) {
        return draw(stage, Mode.DRAIN);
    }

    public synchronized Optional<DrawnBatch> draw(Stage stage, Mode mode) {
        Map<String, Double> weights = stage.weights();
        int available = 0;
        for (String t : weights.keySet()) {
            available += buffered(t);
        }
        // rehearsal slots: once the reservoir holds a batch's worth, so a batch never repeats an example
        double rCredit = rehearsalCredit + batchSize * stage.rehearsal();
        int rehearse = reservoir.size() >= batchSize ? (int) Math.floor(rCredit + 1e-9) : 0;
        rehearse = Math.min(rehearse, batchSize - 1);
        int fresh = batchSize - rehearse;
        if (mode == Mode.DRAIN) {
            fresh = Math.min(fresh, available);
            if (fresh == 0) {
                return Optional.empty();
            }
        } else if (available < fresh) {
            return Optional.empty();
        }
        Map<String, Double> c = new HashMap<>(credits);
        Map<String, Integer> counts = new LinkedHashMap<>();
        boolean starved = false;
        for (int slot = 0; slot < fresh; slot++) {
            String best = null;
            double bestCredit = Double.NEGATIVE_INFINITY;
            for (Map.Entry<String, Double> w : weights.entrySet()) {
                double v = c.merge(w.getKey(), w.getValue(), Double::sum);
                boolean hasData = buffered(w.getKey()) - counts.getOrDefault(w.getKey(), 0) > 0;
                if (mode == Mode.STRICT || hasData) {
                    if (v > bestCredit) {
                        best = w.getKey();
                        bestCredit = v;
                    }
                } else {
                    starved = true;
                }
            }
            c.merge(best, -1.0, Double::sum);
            counts.merge(best, 1, Integer::sum);
        }
        boolean onPlan = true;
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (e.getValue() > buffered(e.getKey())) {
                onPlan = false;
            }
        }
        if (mode == Mode.STRICT && !onPlan) {
            return Optional.empty();
        }
        if (starved) {
            onPlan = false;
            // a dry type must not bank credit (nor the others debt) and then crowd them out in a burst when data
            // returns: forgive all but one slot's worth either way, keeping the credits zero-sum
            double mean = 0;
            for (String t : weights.keySet()) {
                c.put(t, Math.max(-1.0, Math.min(c.getOrDefault(t, 0.0), 1.0)));
                mean += c.get(t);
            }
            mean /= weights.size();
            for (String t : weights.keySet()) {
                c.put(t, c.getOrDefault(t, 0.0) - mean);
            }
        }
        credits.clear();
        credits.putAll(c);
        rehearsalCredit = rehearse > 0 || reservoir.size() >= batchSize ? rCredit - rehearse : 0;

        List<DrawnBatch.Item> items = new ArrayList<>(fresh + rehearse);
        for (TrainingExample e : reservoir.sample(rehearse)) {
            items.add(new DrawnBatch.Item(e, true));
        }
        List<TrainingExample> drawnFresh = new ArrayList<>(fresh);
        counts.forEach((type, n) -> {
            List<TrainingExample> b = buffers.get(type);
            for (int i = 0; i < n; i++) {
                int j = random.nextInt(b.size());
                TrainingExample e = b.get(j);
                b.set(j, b.get(b.size() - 1));
                b.remove(b.size() - 1);
                drawnFresh.add(e);
            }
        });
        for (TrainingExample e : drawnFresh) {
            items.add(new DrawnBatch.Item(e, false));
            reservoir.offer(e);
        }
        Collections.shuffle(items, random);
        return Optional.of(new DrawnBatch(batches++, items, onPlan && mode == Mode.STRICT));
    }

    /** Visits every buffered example (e.g. to find the oldest unread offset). */
    public synchronized void forEachBuffered(Consumer<TrainingExample> visitor) {
        buffers.values().forEach(b -> b.forEach(visitor));
    }
}
