package dev.satflow.producers.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.schema.ObjectAnnotation;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Annotator on hand-made id buffers, without GL; label points against a brute-force oracle. */
class AnnotatorTest {

    /** An id image, top-down rows like the output coordinates. */
    private static final class Ids {
        final int w;
        final int h;
        final int[] top;

        Ids(int w, int h) {
            this.w = w;
            this.h = h;
            this.top = new int[w * h];
        }

        /** Paints id over the inclusive pixel rectangle [x0, x1] x [y0, y1] (later paint in front). */
        Ids rect(int id, int x0, int y0, int x1, int y1) {
            for (int y = y0; y <= y1; y++) {
                for (int x = x0; x <= x1; x++) {
                    top[y * w + x] = id;
                }
            }
            return this;
        }

        int at(int x, int y) {
            return top[y * w + x];
        }

        int at(float px, float py) {
            return at((int) Math.floor(px), (int) Math.floor(py));
        }

        /** Bottom-up rows, as GL returns them. */
        IntBuffer gl() {
            int[] gl = new int[w * h];
            for (int y = 0; y < h; y++) {
                System.arraycopy(top, y * w, gl, (h - 1 - y) * w, w);
            }
            return IntBuffer.wrap(gl);
        }

        List<ObjectAnnotation> annotate(int... objectIds) {
            return annotate(new Annotator.Scratch(), objectIds);
        }

        List<ObjectAnnotation> annotate(Annotator.Scratch scratch, int... objectIds) {
            float[] depth = new float[w * h];
            Arrays.fill(depth, 0.5f);
            long[] alone = new long[objectIds.length];
            for (int i = 0; i < alone.length; i++) {
                int id = objectIds[i];
                alone[i] = Arrays.stream(top).filter(v -> v == id).count();
            }
            return Annotator.annotate(w, h, gl(), FloatBuffer.wrap(depth), objectIds, alone, scratch);
        }
    }

    /**
     * Brute force: for every pixel of the object, the squared distance to the nearest pixel centre
     * of another id, the ring of pixels just outside the image included; the best by the documented
     * order (largest, then nearest the centroid, then first in row-major order). {x, y, d2}.
     */
    private static int[] oracle(Ids img, int id) {
        long n = 0;
        double sx = 0;
        double sy = 0;
        for (int y = 0; y < img.h; y++) {
            for (int x = 0; x < img.w; x++) {
                if (img.at(x, y) == id) {
                    n++;
                    sx += x + 0.5;
                    sy += y + 0.5;
                }
            }
        }
        if (n == 0) {
            return new int[] {-1, -1, 0};
        }
        double cx = sx / n;
        double cy = sy / n;
        int[] best = {-1, -1, 0};
        double bestC = Double.MAX_VALUE;
        for (int y = 0; y < img.h; y++) {
            for (int x = 0; x < img.w; x++) {
                if (img.at(x, y) != id) {
                    continue;
                }
                int d2 = Integer.MAX_VALUE;
                for (int v = -1; v <= img.h; v++) {
                    for (int u = -1; u <= img.w; u++) {
                        boolean outside = u < 0 || v < 0 || u >= img.w || v >= img.h;
                        if (outside || img.at(u, v) != id) {
                            d2 = Math.min(d2, (u - x) * (u - x) + (v - y) * (v - y));
                        }
                    }
                }
                double c = (x + 0.5 - cx) * (x + 0.5 - cx) + (y + 0.5 - cy) * (y + 0.5 - cy);
                if (d2 > best[2] || (d2 == best[2] && c < bestC)) {
                    best = new int[] {x, y, d2};
                    bestC = c;
                }
            }
        }
        return best;
    }

    private static void assertMatchesOracle(Ids img, int id, ObjectAnnotation a) {
        int[] o = oracle(img, id);
        String what = "object " + id + ": " + a;
        if (o[2] == 0) {
            assertEquals(0f, a.getLabelX(), what);
            assertEquals(0f, a.getLabelY(), what);
            assertEquals(0f, a.getLabelRadius(), what);
            return;
        }
        assertEquals(o[0] + 0.5f, a.getLabelX(), what);
        assertEquals(o[1] + 0.5f, a.getLabelY(), what);
        assertEquals((float) Math.sqrt(o[2]), a.getLabelRadius(), what);
        assertEquals(id, img.at(a.getLabelX(), a.getLabelY()), "the label pixel is the object's own: " + what);
    }

    @Test
    void rectangleIsLabelledAtItsCentreWithHalfItsShortSide() {
        // 40 x 30 pixels: x 10..49, y 10..39; centre (30, 25)
        Ids img = new Ids(80, 60).rect(1, 10, 10, 49, 39);
        ObjectAnnotation a = img.annotate(1).get(0);
        assertEquals(30.0, a.getLabelX(), 0.5, "centred horizontally: " + a);
        assertEquals(25.0, a.getLabelY(), 0.5, "centred vertically: " + a);
        // from a pixel centre next to the middle to the centre of the first room pixel past the short side
        assertEquals(15.0, a.getLabelRadius(), 1e-6, "half the short side");
        assertMatchesOracle(img, 1, a);
        // the existing outputs
        assertEquals(40 * 30, a.getVisiblePixels());
        assertEquals(30.0f, a.getCentroidX());
        assertEquals(25.0f, a.getCentroidY());
        assertEquals(10, a.getBox().getXMin());
        assertEquals(49, a.getBox().getXMax());
        assertEquals(10, a.getBox().getYMin());
        assertEquals(39, a.getBox().getYMax());
    }

    @Test
    void lShapeIsLabelledInsideTheLWhereItsCentroidIsNot() {
        // an L 10 px thick: a vertical bar x 10..19, y 10..69 and a foot x 10..69, y 60..69
        Ids img = new Ids(90, 80).rect(4, 10, 10, 19, 69).rect(4, 10, 60, 69, 69);
        ObjectAnnotation a = img.annotate(4).get(0);
        assertEquals(0, img.at(a.getCentroidX(), a.getCentroidY()), "the centroid lies off the L: " + a);
        assertEquals(4, img.at(a.getLabelX(), a.getLabelY()), "the label lies on it: " + a);
        // deepest in the corner where the bars meet: 6 px from the outer sides there
        assertTrue(a.getLabelX() < 20 && a.getLabelY() >= 60, "in the corner block: " + a);
        assertEquals(6.0, a.getLabelRadius(), 1e-6);
        assertMatchesOracle(img, 4, a);
    }

    @Test
    void theImageBorderCountsAsAnotherObject() {
        // 20 x 20 against the left border: x 0..19, y 10..29
        Ids img = new Ids(60, 40).rect(2, 0, 10, 19, 29);
        ObjectAnnotation a = img.annotate(2).get(0);
        assertEquals(10.0, a.getLabelRadius(), 1e-6, "10 px to the border as to the room: " + a);
        assertEquals(10.0, a.getLabelX(), 0.5);
        assertEquals(20.0, a.getLabelY(), 0.5);
        assertMatchesOracle(img, 2, a);

        // an object filling the whole image: bounded by the border alone
        Ids full = new Ids(9, 7).rect(3, 0, 0, 8, 6);
        ObjectAnnotation b = full.annotate(3).get(0);
        assertEquals(4.5f, b.getLabelX());
        assertEquals(3.5f, b.getLabelY());
        assertEquals(4.0, b.getLabelRadius(), 1e-6);
    }

    @Test
    void touchingObjectsBoundEachOther() {
        // A: x 10..29, B: x 30..59, both y 10..39, sharing the edge between x = 29 and 30
        Ids img = new Ids(70, 50).rect(1, 10, 10, 29, 39).rect(2, 30, 10, 59, 39);
        List<ObjectAnnotation> as = img.annotate(2, 1); // spec order is not id order
        ObjectAnnotation b = as.get(0);
        ObjectAnnotation a = as.get(1);
        assertEquals(2, b.getObjectId());
        assertEquals(1, a.getObjectId());
        assertEquals(10.0, a.getLabelRadius(), 1e-6, "A is 20 wide: " + a);
        assertEquals(20.0, a.getLabelX(), 0.5);
        assertEquals(15.0, b.getLabelRadius(), 1e-6, "B is 30 x 30: " + b);
        assertEquals(45.0, b.getLabelX(), 0.5);
        assertMatchesOracle(img, 1, a);
        assertMatchesOracle(img, 2, b);
    }

    @Test
    void hiddenObjectsGetZerosAndTinyOnesTheirOwnPixel() {
        Ids img = new Ids(16, 12).rect(5, 3, 4, 3, 4).rect(6, 8, 2, 9, 2);
        List<ObjectAnnotation> as = img.annotate(5, 6, 9);
        ObjectAnnotation one = as.get(0);
        assertEquals(3.5f, one.getLabelX());
        assertEquals(4.5f, one.getLabelY());
        assertEquals(1f, one.getLabelRadius(), "a single pixel: 1 px to its neighbours' centres");
        ObjectAnnotation two = as.get(1);
        assertEquals(8.5f, two.getLabelX(), "a tie between two pixels as near the centroid: the first");
        assertEquals(2.5f, two.getLabelY());
        assertEquals(1f, two.getLabelRadius());
        ObjectAnnotation hidden = as.get(2);
        assertEquals(0, hidden.getVisiblePixels());
        assertNull(hidden.getBox());
        assertEquals(0f, hidden.getLabelX());
        assertEquals(0f, hidden.getLabelY());
        assertEquals(0f, hidden.getLabelRadius());
    }

    @Test
    void idsNotInTheSpecStillBoundTheObjects() {
        // a stale id 77 over the right half of object 1
        Ids img = new Ids(40, 30).rect(1, 5, 5, 34, 24).rect(77, 20, 5, 34, 24);
        ObjectAnnotation a = img.annotate(1).get(0);
        assertEquals(1, a.getObjectId());
        assertEquals(1, img.at(a.getLabelX(), a.getLabelY()));
        assertMatchesOracle(img, 1, a);
    }

    @Test
    void randomOverlappingObjectsMatchTheBruteForceOracle() {
        Random rnd = new Random(20240611);
        for (int round = 0; round < 40; round++) {
            int w = 5 + rnd.nextInt(40);
            int h = 5 + rnd.nextInt(30);
            Ids img = new Ids(w, h);
            int objects = 1 + rnd.nextInt(6);
            for (int k = 0; k < objects * 2; k++) {
                int id = 1 + rnd.nextInt(objects + 1); // one id more than the spec has: a stale id
                int x0 = rnd.nextInt(w);
                int y0 = rnd.nextInt(h);
                int x1 = Math.min(w - 1, x0 + rnd.nextInt(w));
                int y1 = Math.min(h - 1, y0 + rnd.nextInt(h));
                if (rnd.nextInt(3) == 0) { // a disc instead of a box: diagonal boundaries
                    int cx = (x0 + x1) / 2;
                    int cy = (y0 + y1) / 2;
                    int r = Math.max(1, Math.min(x1 - x0, y1 - y0) / 2);
                    for (int y = Math.max(0, cy - r); y <= Math.min(h - 1, cy + r); y++) {
                        for (int x = Math.max(0, cx - r); x <= Math.min(w - 1, cx + r); x++) {
                            if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r) {
                                img.top[y * w + x] = id;
                            }
                        }
                    }
                } else {
                    img.rect(id, x0, y0, x1, y1);
                }
            }
            int[] spec = new int[objects];
            for (int i = 0; i < objects; i++) {
                spec[i] = objects - i; // reverse order: output follows the spec, not the ids
            }
            List<ObjectAnnotation> as = img.annotate(spec);
            for (int i = 0; i < objects; i++) {
                assertEquals(spec[i], as.get(i).getObjectId());
                assertMatchesOracle(img, spec[i], as.get(i));
            }
        }
    }

    @Test
    void aReusedScratchGivesWhatAFreshOneGives() {
        Annotator.Scratch scratch = new Annotator.Scratch();
        Ids big = new Ids(120, 90).rect(1, 0, 0, 119, 89).rect(2, 30, 20, 90, 70);
        Ids small = new Ids(50, 20).rect(2, 10, 3, 40, 16).rect(1, 0, 0, 5, 5);
        Ids wide = new Ids(200, 10).rect(1, 0, 0, 199, 9);
        for (Ids img : List.of(big, small, wide, small, big)) {
            assertEquals(img.annotate(1, 2), img.annotate(scratch, 1, 2));
        }
    }
}
