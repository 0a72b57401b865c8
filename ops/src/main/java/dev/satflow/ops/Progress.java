package dev.satflow.ops;

import java.io.PrintStream;
import java.util.Locale;

/** A stage's progress line, printed at most once a second: done/total, percentage and rate. */
public final class Progress {
    private final PrintStream out;
    private final String stage;
    private final long total;
    private final long startNanos = System.nanoTime();
    private long lastPrint;
    private long current;

    public Progress(PrintStream out, String stage, long total) {
        this.out = out;
        this.stage = stage;
        this.total = total;
    }

    public synchronized void update(long done) {
        current = done;
        long now = System.nanoTime();
        if (now - lastPrint >= 1_000_000_000L) {
            lastPrint = now;
            print();
        }
    }

    /** A daemon thread that feeds the counter to the progress line every second until interrupted. */
    public static Thread ticker(Progress progress, java.util.function.LongSupplier counter) {
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                progress.update(counter.getAsLong());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "satflow-progress-" + progress.stage);
        t.setDaemon(true);
        t.start();
        return t;
    }

    public synchronized void done() {
        print();
    }

    private void print() {
        double secs = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
        String of = total > 0 ? String.format(Locale.ROOT, "/%d (%3.0f%%)", total, 100.0 * current / total) : "";
        out.printf(Locale.ROOT, "[%s] %d%s  %.1f/s  %.0fs%n", stage, current, of, current / secs, secs);
    }
}
