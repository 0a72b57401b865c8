package dev.satflow.producers.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class EglContextTest {

    @Test
    void surfacelessAndDevicePlatformsBothGiveCoreContexts() {
        try (EglContext s = EglContext.create(List.of(EglContext.Platform.SURFACELESS))) {
            assertEquals(EglContext.Platform.SURFACELESS, s.platform());
            assertTrue(s.capabilities().OpenGL33);
            assertTrue(s.glVersion().contains("Core"), s.glVersion());
        }
        // the NVIDIA headless path; Mesa exposes its software device on it too
        try (EglContext d = EglContext.create(List.of(EglContext.Platform.DEVICE))) {
            assertEquals(EglContext.Platform.DEVICE, d.platform());
            assertTrue(d.capabilities().OpenGL33);
        }
    }

    @Test
    void contextsOnTwoThreadsCoexistAndStayOnTheirThread() throws Exception {
        try (EglContext main = EglContext.create()) {
            CompletableFuture<String> other = CompletableFuture.supplyAsync(() -> {
                try (EglContext second = EglContext.create()) {
                    assertThrows(IllegalStateException.class, main::checkThread);
                    return second.glRenderer();
                }
            });
            assertEquals(main.glRenderer(), other.get());
            main.checkThread(); // still current and usable here
        }
    }

    @Test
    void emptyPlatformListIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> EglContext.create(List.of()));
    }
}
