package dev.satflow.ops.stages;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A default instance id that is stable across restarts and unique among the processes running on this
 * host: {@code <host>-<n>}, where n is the lowest slot whose lock file ({@code <tmp>/satflow-<role>-<n>.lock})
 * no live process holds. A process killed with SIGKILL releases its lock with it, so its restart takes the
 * same slot, the same id and therefore the same transactional ids: the restart fences its dead predecessor
 * and aborts its open transaction at once, instead of leaving it to block the partition until the
 * transaction times out (what the host-pid default did). Two processes at once get different slots.
 */
public final class InstanceSlot {
    private static final List<FileLock> HELD = new ArrayList<>(); // for the JVM's lifetime

    private InstanceSlot() {}

    /** Takes the lowest free slot of this role (e.g. the render group) and returns its id. */
    public static synchronized String acquire(String role) {
        String safe = role.replaceAll("[^A-Za-z0-9._-]", "_");
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        for (int n = 0; n < 1000; n++) {
            Path file = tmp.resolve("satflow-" + safe + "-" + n + ".lock");
            FileChannel ch = null;
            try {
                ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = ch.tryLock();
                if (lock != null) {
                    HELD.add(lock);
                    return host() + "-" + n;
                }
                ch.close();
            } catch (OverlappingFileLockException e) {
                close(ch); // this JVM holds it already (another renderer in this process)
            } catch (IOException | SecurityException e) {
                close(ch); // another user's file, say: try the next slot
            }
        }
        throw new IllegalStateException("no free instance slot for " + role + " under " + tmp
                + "; set an explicit instance id");
    }

    private static void close(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    static String host() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "host";
        }
        return host.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
    }
}
