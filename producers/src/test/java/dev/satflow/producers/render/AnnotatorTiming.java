package dev.satflow.producers.render;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.Arrays;
import java.util.Random;

/**
 * Not a test (no assertion, not picked up by surefire): times {@link Annotator#annotate} on a
 * synthetic 512 x 512 id buffer with 12 overlapping objects (boxes, discs, L shapes and a table
 * with legs over about half the frame). Run with the test classpath:
 * {@code java -cp ... dev.satflow.producers.render.AnnotatorTiming [width height rounds]}.
 */
public final class AnnotatorTiming {
    private AnnotatorTiming() {}

    /** Bottom-up ids, as GL returns them, painted in object order (later ones in front). */
    static int[] scene(int w, int h, int objects, long seed) {
        int[] top = new int[w * h];
        Random rnd = new Random(seed);
        for (int id = 1; id <= objects; id++) {
            int cx = rnd.nextInt(w);
            int cy = rnd.nextInt(h);
            int rx = w / 20 + rnd.nextInt(w / 6);
            int ry = h / 20 + rnd.nextInt(h / 6);
            int kind = id % 4;
            for (int y = Math.max(0, cy - ry); y < Math.min(h, cy + ry); y++) {
                for (int x = Math.max(0, cx - rx); x < Math.min(w, cx + rx); x++) {
                    double u = (x - cx) / (double) rx;
                    double v = (y - cy) / (double) ry;
                    boolean in = switch (kind) {
                        case 0 -> true; // box
                        case 1 -> u * u + v * v <= 1; // disc
                        case 2 -> u < -0.4 || v > 0.4; // L
                        default -> v < -0.7 || Math.abs(u) > 0.8; // table: top and two legs
                    };
                    if (in) {
                        top[y * w + x] = id;
                    }
                }
            }
        }
        int[] gl = new int[w * h];
        for (int y = 0; y < h; y++) {
            System.arraycopy(top, y * w, gl, (h - 1 - y) * w, w);
        }
        return gl;
    }

    public static void main(String[] args) {
        int w = args.length > 0 ? Integer.parseInt(args[0]) : 512;
        int h = args.length > 1 ? Integer.parseInt(args[1]) : 512;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        int n = 12;
        int[] gl = scene(w, h, n, 7);
        // direct native-order buffers, like the renderer's readback buffers
        IntBuffer ids = ByteBuffer.allocateDirect(w * h * 4).order(ByteOrder.nativeOrder()).asIntBuffer();
        ids.put(gl).clear();
        FloatBuffer depth = ByteBuffer.allocateDirect(w * h * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int i = 0; i < w * h; i++) {
            depth.put(i, 0.97f);
        }
        int[] objectIds = new int[n];
        long[] unoccluded = new long[n];
        long covered = Arrays.stream(gl).filter(v -> v != 0).count();
        for (int i = 0; i < n; i++) {
            objectIds[i] = i + 1;
            unoccluded[i] = covered;
        }
        Annotator.Scratch scratch = new Annotator.Scratch();
        long sink = 0;
        for (int i = 0; i < rounds / 2; i++) { // warm-up: let C2 compile it
            sink += Annotator.annotate(w, h, ids, depth, objectIds, unoccluded, scratch).size();
        }
        long[] ns = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            sink += Annotator.annotate(w, h, ids, depth, objectIds, unoccluded, scratch).size();
            ns[i] = System.nanoTime() - t0;
        }
        Arrays.sort(ns);
        System.out.printf("annotate %dx%d, %d objects, %.0f%% covered: median %.3f ms, p10 %.3f ms, p90 %.3f ms (%d)%n",
                w, h, n, 100.0 * covered / (w * h), ns[rounds / 2] / 1e6, ns[rounds / 10] / 1e6,
                ns[rounds * 9 / 10] / 1e6, sink);
        System.out.println(Annotator.annotate(w, h, ids, depth, objectIds, unoccluded, scratch));
    }
}
