package dev.satflow.evaluator.blind;

import java.util.Arrays;

/** A growable int list (feature ids of one option). */
final class IntBuf {
    private int[] a = new int[64];
    private int n;

    void add(int v) {
        if (n == a.length) {
            a = Arrays.copyOf(a, n * 2);
        }
        a[n++] = v;
    }

    void clear() {
        n = 0;
    }

    int[] toArray() {
        return Arrays.copyOf(a, n);
    }
}
