package dev.satflow.ops.console;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The browser test's gate: without Chromium it skips on a developer's machine and fails under CI. */
class ConsoleBrowserRequirementTest {
    private static final Path NONE = Path.of("/nonexistent/chromium");

    @Test
    void missingBrowserSkipsWithoutCi() {
        assertThrows(TestAbortedException.class, () -> Chromium.require(Map.of(), NONE, Chromium.DRIVER));
        assertThrows(TestAbortedException.class, () -> Chromium.require(Map.of(), Chromium.BINARY, NONE));
    }

    @Test
    void missingBrowserFailsUnderCi() {
        assertThrows(AssertionFailedError.class, () -> Chromium.require(Map.of("CI", "true"), NONE, Chromium.DRIVER));
        assertThrows(AssertionFailedError.class, () -> Chromium.require(Map.of("CI", ""), Chromium.BINARY, NONE));
    }
}
