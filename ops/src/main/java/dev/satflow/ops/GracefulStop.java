package dev.satflow.ops;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * SIGTERM / Ctrl-C for a long-running stage: the JVM runs shutdown hooks and then halts, whatever the
 * main thread is doing, so a hook that only signals (as `qa` once did) never lets the stage close. This
 * hook tells the stage to stop, then waits, within a bound, until the command says it has closed
 * everything (Streams closed and out of its group, final checkpoint written, producers flushed).
 *
 * <pre>
 * GracefulStop stop = GracefulStop.install("qa", Duration.ofSeconds(45), () -> {});
 * try { ...; stop.awaitRequest(); } finally { stop.finished(); }   // close resources before finished()
 * </pre>
 */
final class GracefulStop {
    private final String stage;
    private final Duration bound;
    private final Runnable onSignal;
    private final CountDownLatch requested = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);

    private GracefulStop(String stage, Duration bound, Runnable onSignal) {
        this.stage = stage;
        this.bound = bound;
        this.onSignal = onSignal;
    }

    /** @param onSignal run on SIGTERM/Ctrl-C to make the stage stop (not to wait for it) */
    static GracefulStop install(String stage, Duration bound, Runnable onSignal) {
        GracefulStop s = new GracefulStop(stage, bound, onSignal);
        Runtime.getRuntime().addShutdownHook(new Thread(s::onShutdown, "satflow-" + stage + "-shutdown"));
        return s;
    }

    private void onShutdown() {
        if (finished.getCount() == 0) {
            return; // the command ended by itself and closed everything already
        }
        requested.countDown();
        System.err.printf("satflow %s: stopping (waiting up to %d s to close cleanly)%n", stage, bound.toSeconds());
        try {
            onSignal.run();
            if (finished.await(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                System.err.printf("satflow %s: stopped cleanly%n", stage);
            } else {
                System.err.printf("satflow %s: not closed after %d s; exiting anyway%n", stage, bound.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            System.err.printf("satflow %s: stopping failed: %s%n", stage, e);
        }
    }

    /** Whether SIGTERM/Ctrl-C arrived. */
    boolean requested() {
        return requested.getCount() == 0;
    }

    /** Blocks until SIGTERM/Ctrl-C. */
    void awaitRequest() throws InterruptedException {
        requested.await();
    }

    /** The stage has closed everything: the hook may let the JVM exit. Call it last, in a finally block. */
    void finished() {
        finished.countDown();
    }
}
