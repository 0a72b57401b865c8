package dev.satflow.producers.generate;

import java.util.List;

/**
 * The generator's only source of randomness: SplitMix64, written out here so a seed means the
 * same scene on every JDK (java.util.Random's stream is specified too, but not its derived helpers).
 */
final class Rng {
    private long state;

    Rng(long seed) {
        this.state = seed;
    }

    /** SplitMix64's finaliser: a well-mixed 64-bit hash of {@code z}. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1) from a hash, for decisions that depend on a seed only (the split). */
    static double unit(long hash) {
        return (hash >>> 11) * 0x1.0p-53;
    }

    long nextLong() {
        state += 0x9E3779B97F4A7C15L;
        return mix(state);
    }

    /** A generator for an independent sub-task, so adding draws to one stage leaves the others' streams alone. */
    Rng split() {
        return new Rng(nextLong());
    }

    double nextDouble() {
        return unit(nextLong());
    }

    /** Uniform in [0, bound), unbiased. */
    int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be > 0, got " + bound);
        }
        long bits;
        long value;
        do { // 63-bit draws; the last incomplete block of size bound is rejected
            bits = nextLong() >>> 1;
            value = bits % bound;
        } while (bits - value + (bound - 1) < 0);
        return (int) value;
    }

    /** Integer in [lo, hi], inclusive. */
    int between(int lo, int hi) {
        return lo + nextInt(hi - lo + 1);
    }

    double uniform(double lo, double hi) {
        return lo + (hi - lo) * nextDouble();
    }

    boolean chance(double p) {
        return nextDouble() < p;
    }

    /** +1 or -1 with equal odds. */
    int sign() {
        return chance(0.5) ? 1 : -1;
    }

    <T> T pick(List<T> items) {
        return items.get(nextInt(items.size()));
    }

    /** Index chosen with probability proportional to its weight; -1 when every weight is 0. */
    int weighted(double[] weights) {
        double total = 0;
        for (double w : weights) {
            total += Math.max(0, w);
        }
        if (total <= 0) {
            return -1;
        }
        double r = nextDouble() * total;
        int last = -1;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] > 0) {
                last = i;
                r -= weights[i];
                if (r < 0) {
                    return i;
                }
            }
        }
        return last;
    }

    /** Fisher-Yates, in place. */
    <T> void shuffle(List<T> items) {
        for (int i = items.size() - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            T t = items.get(i);
            items.set(i, items.get(j));
            items.set(j, t);
        }
    }
}
