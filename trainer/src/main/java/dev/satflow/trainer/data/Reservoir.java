package dev.satflow.trainer.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A uniform sample of bounded size over everything ever offered (reservoir sampling, Vitter's algorithm R):
 * after {@code n} offers each of them is held with probability {@code capacity / n}.
 */
public final class Reservoir<T> {
    private final int capacity;
    private final List<T> items;
    private final Random random;
    private long seen;

    public Reservoir(int capacity, long seed) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0");
        }
        this.capacity = capacity;
        this.items = new ArrayList<>(Math.min(capacity, 1 << 16));
        this.random = new Random(seed);
    }

    public void offer(T item) {
        seen++;
        if (capacity == 0) {
            return;
        }
        if (items.size() < capacity) {
            items.add(item);
            return;
        }
        long j = (long) (random.nextDouble() * seen);
        if (j < capacity) {
            items.set((int) j, item);
        }
    }

    /** {@code n} distinct held items chosen uniformly at random ({@code n <= size()}). */
    public List<T> sample(int n) {
        if (n > items.size()) {
            throw new IllegalArgumentException("asked for " + n + " of " + items.size());
        }
        List<T> out = new ArrayList<>(n);
        if (n == 0) {
            return out;
        }
        // partial Fisher-Yates over a copy of the indices (the reservoir itself keeps its order)
        int[] idx = new int[items.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        for (int i = 0; i < n; i++) {
            int j = i + random.nextInt(idx.length - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
            out.add(items.get(idx[i]));
        }
        return out;
    }

    /** Forgets an item (compared by identity) that must never be drawn again; true when it was held. */
    public boolean remove(T item) {
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i) == item) {
                items.set(i, items.get(items.size() - 1));
                items.remove(items.size() - 1);
                return true;
            }
        }
        return false;
    }

    public int size() {
        return items.size();
    }

    public int capacity() {
        return capacity;
    }

    /** Items offered so far. */
    public long seen() {
        return seen;
    }

    /** What is held now (a copy), for tests. */
    public List<T> items() {
        return List.copyOf(items);
    }
}
