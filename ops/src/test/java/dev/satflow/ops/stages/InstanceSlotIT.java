package dev.satflow.ops.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The default renderer instance id (and so its transactional ids) is the same after a kill -9 and restart,
 * and differs between processes running at once.
 */
class InstanceSlotIT {
    /** Child process: takes a slot, prints its id, holds it until killed. */
    public static void main(String[] args) throws Exception {
        System.out.println(InstanceSlot.acquire(args[0]));
        System.out.flush();
        Thread.sleep(60_000);
    }

    @Test
    void aRestartAfterKillMinus9GetsTheSameIdAndAConcurrentProcessAnother() throws Exception {
        String role = "slot-it-" + UUID.randomUUID(); // no other run holds these slots
        Process first = child(role);
        Process second = null;
        try {
            String id = firstLine(first);
            assertTrue(id.endsWith("-0"), id);
            second = child(role);
            String other = firstLine(second);
            assertNotEquals(id, other, "two processes at once never share an id");
            first.destroyForcibly(); // SIGKILL: the lock goes with the process
            assertTrue(first.waitFor(30, TimeUnit.SECONDS));
            first = child(role);
            assertEquals(id, firstLine(first), "the restart takes its predecessor's id again");
        } finally {
            first.destroyForcibly();
            if (second != null) {
                second.destroyForcibly();
            }
            for (int n = 0; n < 3; n++) {
                java.nio.file.Files.deleteIfExists(Path.of(System.getProperty("java.io.tmpdir"),
                        "satflow-" + role + "-" + n + ".lock"));
            }
        }
    }

    private static Process child(String role) throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", cp, InstanceSlotIT.class.getName(), role))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static String firstLine(Process p) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = in.readLine();
        assertTrue(line != null, "the child printed its id");
        return line.trim();
    }
}
