package dev.satflow.ops.console;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a command serving until Ctrl-C (SIGINT or SIGTERM) or until its thread is interrupted, and
 * lets the command close what it holds before the JVM halts: the shutdown hook waits (up to 30 s)
 * for {@link #close()}, which the command calls once everything is closed.
 */
public final class Serving implements AutoCloseable {
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread hook;
    private final boolean hooked;

    public Serving() {
        hook = new Thread(() -> {
            stop.countDown();
            try {
                closed.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "satflow-serving-shutdown");
        boolean ok;
        try {
            Runtime.getRuntime().addShutdownHook(hook);
            ok = true;
        } catch (IllegalStateException e) {
            ok = false; // already shutting down
            stop.countDown();
        }
        hooked = ok;
    }

    /** Blocks until Ctrl-C or an interrupt (either means: stop serving, a normal end). */
    public void await() {
        try {
            stop.await();
        } catch (InterruptedException e) {
            // asked to stop: the caller closes and returns normally
        }
    }

    @Override
    public void close() {
        closed.countDown();
        if (hooked) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down: the hook is running and now returns
            }
        }
    }
}
