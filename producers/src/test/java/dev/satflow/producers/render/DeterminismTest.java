package dev.satflow.producers.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.satflow.schema.Frame;
import dev.satflow.schema.SceneSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** Same spec, same pixels: twice in one context, in two contexts on two threads at once, and as PNG bytes. */
class DeterminismTest {

    private static List<byte[]> rgbOf(RenderWorker w, SceneSpec spec) {
        List<byte[]> out = new ArrayList<>();
        w.renderSceneUnencoded(spec).forEach(f -> out.add(f.rgb()));
        return out;
    }

    private static List<byte[]> pngOf(List<Frame> frames) {
        List<byte[]> out = new ArrayList<>();
        for (Frame f : frames) {
            byte[] b = new byte[f.getImage().remaining()];
            f.getImage().duplicate().get(b);
            out.add(b);
        }
        return out;
    }

    @Test
    void sameSpecGivesIdenticalPixelsAcrossRunsContextsAndThreads() throws Exception {
        SceneSpec spec = TestScenes.furnished(160, 120);
        SceneSpec other = TestScenes.furnished(160, 120);
        other.getObjects().get(1).getPosition().setX(0.8f);
        RenderOptions options = RenderOptions.defaults().withCatalog(TestScenes.CATALOG);

        List<byte[]> first;
        List<byte[]> second;
        List<byte[]> firstPng;
        try (RenderWorker w = new RenderWorker(options)) {
            first = rgbOf(w, spec);
            List<byte[]> moved = rgbOf(w, other); // a different scene in between (room, shadow map reuploads)
            second = rgbOf(w, spec);
            firstPng = pngOf(w.renderScene(spec));
            assertNotEquals(java.util.Arrays.hashCode(first.get(0)), java.util.Arrays.hashCode(moved.get(0)),
                    "a moved object changes the picture (the comparison can fail)");
        }
        assertEquals(spec.getViews().size(), first.size());
        for (int i = 0; i < first.size(); i++) {
            assertArrayEquals(first.get(i), second.get(i), "view " + i + " differs between runs");
        }

        // two more workers, each on its own thread, rendering concurrently
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<CompletableFuture<List<byte[]>>> runs = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                runs.add(CompletableFuture.supplyAsync(() -> {
                    try (RenderWorker w = new RenderWorker(options)) {
                        List<byte[]> rgb = rgbOf(w, spec);
                        rgb.addAll(pngOf(w.renderScene(spec)));
                        return rgb;
                    }
                }, pool));
            }
            for (CompletableFuture<List<byte[]>> run : runs) {
                List<byte[]> got = run.get();
                for (int i = 0; i < first.size(); i++) {
                    assertArrayEquals(first.get(i), got.get(i), "view " + i + " differs on another thread");
                    assertArrayEquals(firstPng.get(i), got.get(first.size() + i), "PNG of view " + i + " differs");
                }
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void workerIsConfinedToItsThread() throws Exception {
        try (RenderWorker w = new RenderWorker(RenderOptions.defaults().withCatalog(TestScenes.CATALOG))) {
            SceneSpec spec = TestScenes.furnished(32, 32);
            CompletableFuture<Throwable> failure = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    w.renderScene(spec);
                    failure.complete(null);
                } catch (Throwable e) {
                    failure.complete(e);
                }
            });
            t.start();
            t.join();
            Throwable e = failure.get();
            assertEquals(IllegalStateException.class, e == null ? null : e.getClass());
            // still usable on its own thread
            assertEquals(spec.getViews().size(), w.renderScene(spec).size());
        }
        assertThrows(IllegalArgumentException.class,
                () -> new RenderOptions(TestScenes.CATALOG, EglContext.DEFAULT_ORDER, 0, 1, PngEncoder.Filter.NONE,
                        0.9f, 512, 8));
    }
}
