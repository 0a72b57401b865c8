package dev.satflow.ops.console;

/**
 * Events per second over a sliding window, kept as counts in one-second buckets (a fixed ring, so
 * memory does not grow with traffic). Times are epoch milliseconds handed in by the caller.
 */
final class Rate {
    static final int SECONDS = 120;

    private final long[] counts = new long[SECONDS];
    private final long[] second = new long[SECONDS];
    private long total;

    synchronized void add(long nowMs, long n) {
        long s = Math.floorDiv(nowMs, 1000);
        int i = (int) Math.floorMod(s, SECONDS);
        if (second[i] != s) {
            second[i] = s;
            counts[i] = 0;
        }
        counts[i] += n;
        total += n;
    }

    /**
     * Mean per second over the {@code window} whole seconds before the current one (the current
     * second is still filling, so counting it would make the figure dip every second).
     */
    synchronized double perSecond(long nowMs, int window) {
        int w = Math.max(1, Math.min(window, SECONDS - 1));
        long now = Math.floorDiv(nowMs, 1000);
        long sum = 0;
        for (long s = now - w; s < now; s++) {
            int i = (int) Math.floorMod(s, SECONDS);
            if (second[i] == s) {
                sum += counts[i];
            }
        }
        return (double) sum / w;
    }

    synchronized long total() {
        return total;
    }
}
