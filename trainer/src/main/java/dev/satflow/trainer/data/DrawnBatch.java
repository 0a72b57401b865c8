package dev.satflow.trainer.data;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One batch drawn by {@link TypeMixer}.
 *
 * @param index  0-based number of this batch in the mixer's sequence
 * @param items  the examples in training order, each flagged fresh or rehearsal
 * @param onPlan every weighted type supplied its planned share (a strict draw)
 */
public record DrawnBatch(long index, List<Item> items, boolean onPlan) {

    /** An example and whether it came from the rehearsal reservoir (trained before) or fresh from a buffer. */
    public record Item(TrainingExample example, boolean rehearsal) {}

    public DrawnBatch {
        items = List.copyOf(items);
    }

    public int size() {
        return items.size();
    }

    public List<TrainingExample> examples() {
        return items.stream().map(Item::example).toList();
    }

    public List<TrainingExample> fresh() {
        return items.stream().filter(i -> !i.rehearsal()).map(Item::example).toList();
    }

    public int rehearsalCount() {
        return (int) items.stream().filter(Item::rehearsal).count();
    }

    /** Fresh examples per question type. */
    public Map<String, Integer> freshByType() {
        Map<String, Integer> out = new TreeMap<>();
        for (Item i : items) {
            if (!i.rehearsal()) {
                out.merge(i.example().questionType(), 1, Integer::sum);
            }
        }
        return out;
    }

    public long count(Family family) {
        return items.stream().filter(i -> i.example().family() == family).count();
    }
}
