package dev.satflow.producers.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.producers.generate.GeneratorSettings;
import dev.satflow.producers.generate.SceneGenerator;
import dev.satflow.schema.ObjectAnnotation;
import dev.satflow.schema.SceneSpec;
import dev.satflow.schema.View;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The renderer's fast paths against what they replaced, bit for bit: annotations against
 * {@link ReferenceAnnotator} (the pre-optimisation Annotator), the RGB image against one built
 * from the RGBA readback, and the PNG against that RGB after an ImageIO decode. Annotations feed
 * question labels, so "close" is not good enough: every field must be equal.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnnotatorEquivalenceTest {
    private RenderWorker worker;

    @BeforeAll
    void open() {
        worker = new RenderWorker(RenderOptions.defaults());
    }

    @AfterAll
    void close() {
        worker.close();
    }

    private static List<SceneSpec> generated(int width, int height, int count, long seed) {
        GeneratorSettings d = GeneratorSettings.defaults();
        SceneGenerator g = new SceneGenerator(new GeneratorSettings(d.minObjects(), d.maxObjects(),
                d.cameraCandidates(), d.pitchDeg(), d.fovDeg(), width, height, "png", true, d.valFraction(),
                d.testFraction()));
        List<SceneSpec> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(g.generate(seed + i));
        }
        return out;
    }

    /** RGBA bottom-up (GL) to RGB top-down, the way OffscreenTarget did it before reading RGB directly. */
    private static byte[] rgbFromRgba(OffscreenTarget t) {
        int w = t.width();
        int h = t.height();
        byte[] out = new byte[w * h * 3];
        int o = 0;
        for (int y = 0; y < h; y++) {
            int row = (h - 1 - y) * w * 4;
            for (int x = 0; x < w; x++) {
                out[o++] = t.rgba().get(row + 4 * x);
                out[o++] = t.rgba().get(row + 4 * x + 1);
                out[o++] = t.rgba().get(row + 4 * x + 2);
            }
        }
        return out;
    }

    @Test
    void renderedViewsGiveTheReferenceAnnotationsPixelsAndPngs() throws IOException {
        List<SceneSpec> specs = new ArrayList<>();
        specs.addAll(generated(512, 512, 2, 10_000)); // the benchmark's specs
        specs.addAll(generated(320, 200, 6, 777)); // non-square, width not a multiple of 4 bytes in RGB rows
        specs.addAll(generated(97, 61, 2, 4242)); // odd sizes: rows of odd byte length, objects on the border
        SceneRenderer r = worker.renderer();
        OffscreenTarget t = r.target();
        PngEncoder png = new PngEncoder(1, PngEncoder.Filter.NONE);
        int views = 0;
        int visibleObjects = 0;
        for (SceneSpec spec : specs) {
            SceneModel scene = r.prepare(spec);
            int[] ids = scene.objects().stream().mapToInt(o -> o.getId()).toArray();
            for (View view : spec.getViews()) {
                SceneRenderer.Drawn drawn = r.drawAnnotated(scene, view);
                long[] alone = drawn.annotations().stream().mapToLong(a -> a.getUnoccludedPixels()).toArray();
                List<ObjectAnnotation> reference = ReferenceAnnotator.annotate(t.width(), t.height(), t.ids(),
                        t.depth(), ids, alone);
                String where = spec.getSceneId() + "/" + view.getViewId();
                assertEquals(reference, drawn.annotations(), where);
                visibleObjects += (int) reference.stream().filter(a -> a.getVisiblePixels() > 0).count();

                t.readBack(false); // same framebuffer, colour as RGBA
                byte[] rgb = rgbFromRgba(t);
                assertArrayEquals(rgb, drawn.rgbTopDown(), where + " RGB");
                byte[] decoded = EncodingTest.rgbOf(EncodingTest.decode(png.encode(rgb, t.width(), t.height())));
                assertArrayEquals(rgb, decoded, where + " PNG");
                views++;
            }
        }
        // the comparison is only worth something if the scenes show objects
        assertTrue(views >= 40 && visibleObjects >= 5 * views, views + " views, " + visibleObjects + " visible");
    }

    @Test
    void renderSceneAnnotatesOnTheEncoderThreadsExactlyAsTheGlThreadDoes() throws IOException {
        // renderScene annotates copies of the buffers on the pool (per-thread scratch); sizes alternate
        // so a scratch grown for a larger frame is reused for a smaller one
        List<SceneSpec> specs = new ArrayList<>();
        specs.addAll(generated(320, 200, 2, 31));
        specs.addAll(generated(97, 61, 2, 32));
        specs.addAll(generated(320, 200, 2, 33));
        for (SceneSpec spec : specs) {
            List<RawFrame> sync = worker.renderSceneUnencoded(spec);
            List<dev.satflow.schema.Frame> frames = worker.renderScene(spec);
            assertEquals(sync.size(), frames.size());
            for (int i = 0; i < frames.size(); i++) {
                String where = spec.getSceneId() + "/" + sync.get(i).viewId();
                assertEquals(sync.get(i).objects(), frames.get(i).getObjects(), where);
                byte[] png = new byte[frames.get(i).getImage().remaining()];
                frames.get(i).getImage().duplicate().get(png);
                assertArrayEquals(sync.get(i).rgb(), EncodingTest.rgbOf(EncodingTest.decode(png)), where + " PNG");
            }
        }
    }

    @Test
    void syntheticBuffersGiveTheReferenceAnnotations() {
        Random rnd = new Random(11);
        for (int[] size : new int[][] {{512, 512}, {333, 127}, {6, 6}, {7, 300}}) {
            int w = size[0];
            int h = size[1];
            for (int objects : new int[] {1, 12, 40}) {
                int[] gl = AnnotatorTiming.scene(w, h, objects, rnd.nextLong());
                float[] depth = new float[w * h];
                for (int i = 0; i < depth.length; i++) {
                    depth[i] = 0.9f + 0.1f * rnd.nextFloat();
                }
                // ids 1..objects drawn, all but the last in the spec (a stale id the annotator must skip),
                // plus one absent object; spec order shuffled away from id order
                List<Integer> spec = new ArrayList<>();
                for (int id = 1; id < objects; id++) {
                    spec.add(id);
                }
                spec.add(1000);
                java.util.Collections.shuffle(spec, rnd);
                int[] objectIds = spec.stream().mapToInt(Integer::intValue).toArray();
                long[] alone = new long[objectIds.length];
                for (int i = 0; i < alone.length; i++) {
                    alone[i] = rnd.nextInt(w * h + 1);
                }
                List<ObjectAnnotation> expected = ReferenceAnnotator.annotate(w, h, IntBuffer.wrap(gl),
                        FloatBuffer.wrap(depth), objectIds, alone);
                List<ObjectAnnotation> actual = Annotator.annotate(w, h, IntBuffer.wrap(gl), FloatBuffer.wrap(depth),
                        objectIds, alone);
                assertEquals(expected, actual, w + "x" + h + ", " + objects + " objects");
            }
        }
    }
}
