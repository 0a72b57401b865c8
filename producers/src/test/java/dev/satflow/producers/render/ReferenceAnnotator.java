package dev.satflow.producers.render;

import dev.satflow.core.geom.Camera;
import dev.satflow.schema.Box2d;
import dev.satflow.schema.ObjectAnnotation;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Annotator as it was before its first pass went per run (commit c4fcc42), kept verbatim as
 * the reference the current one must match bit for bit ({@link AnnotatorEquivalenceTest}).
 *
 * <p>Per-object annotations from the id and depth buffers (bottom-up rows, as GL returns them) and
 * the occlusion-query pixel counts. Output coordinates are top-left-origin like the image.
 *
 * <p>Box: inclusive pixel indices. Centroid: mean of pixel centres (pixel (i,j) has centre
 * (i+0.5, j+0.5)), the same continuous coordinates as {@link Camera#project}. meanDepth: mean of
 * {@link Camera#linearDepth} (camera-space metres) over the object's visible pixels.
 *
 * <p>Label point: the visible pixel deepest inside the object, i.e. with the largest Euclidean
 * distance from its centre to the centre of the nearest pixel that is not this object (another
 * object, the room (id 0), or outside the image: the border counts as "not this object").
 * labelX/labelY are that pixel's centre, labelRadius that distance: at least 1 for any visible
 * object; no pixel centre of anything else lies inside the circle of that radius, and a disc of
 * radius {@code labelRadius - sqrt(1/2)} covers only the object's own pixels. Ties (a rectangle's
 * ridge is a plateau) go to the pixel nearest the centroid, then to the first in row-major
 * (top-left) order, so the result is deterministic.
 *
 * <p>It is an exact separable Euclidean distance transform (Felzenszwalb and Huttenlocher) of the
 * id buffer, for all objects at once: per column the vertical distance to another id (two sweeps
 * of run lengths, folded into the passes over the buffer that are made anyway), then per row and
 * per run of one object the lower envelope of parabolas. That last step only runs where it can
 * matter: each object's run with the highest upper bound first, then only the runs whose bound
 * reaches the best found. Large arrays live in a {@link Scratch} reused between frames.
 */
final class ReferenceAnnotator {
    private ReferenceAnnotator() {}

    /**
     * Working arrays reused between frames (grown to the largest frame seen). Not thread-safe: one
     * per render thread.
     */
    static final class Scratch {
        /** The id buffer, bottom-up rows like GL's. */
        private int[] ids = new int[0];
        /**
         * Per object pixel (bottom-up rows): vertical distance to the nearest pixel of another id
         * (or past the border) in its column; first downward only, then both ways. Stale elsewhere.
         */
        private int[] column = new int[0];
        /** One row of the upward run lengths. */
        private int[] above = new int[0];
        /** Lower envelope of one run: parabola apexes, their heights, and the boundaries between them. */
        private int[] apex = new int[0];
        private int[] height = new int[0];
        private double[] bound = new double[0];
        /** The rows' runs of spec objects, in row-major order: first pixel's index, length, bound, slot. */
        private int[] runOffset = new int[0];
        private int[] runLength = new int[0];
        private int[] runCap = new int[0];
        private int[] runSlot = new int[0];
        private int runs;

        private void ensure(int w, int h) {
            int size = w * h;
            if (ids.length < size) {
                ids = new int[size];
                column = new int[size];
            }
            if (above.length < w) {
                above = new int[w];
                apex = new int[w + 2];
                height = new int[w + 2];
                bound = new double[w + 3];
            }
            runs = 0;
        }

        private void addRun(int offset, int length, int cap, int slot) {
            if (runs == runOffset.length) {
                int grown = Math.max(256, runs * 2);
                runOffset = Arrays.copyOf(runOffset, grown);
                runLength = Arrays.copyOf(runLength, grown);
                runCap = Arrays.copyOf(runCap, grown);
                runSlot = Arrays.copyOf(runSlot, grown);
            }
            runOffset[runs] = offset;
            runLength[runs] = length;
            runCap[runs] = cap;
            runSlot[runs] = slot;
            runs++;
        }
    }

    /**
     * As {@link #annotate(int, int, IntBuffer, FloatBuffer, int[], long[], Scratch)} with fresh
     * working arrays.
     */
    static List<ObjectAnnotation> annotate(int width, int height, IntBuffer ids, FloatBuffer depth,
            int[] objectIds, long[] unoccluded) {
        return annotate(width, height, ids, depth, objectIds, unoccluded, new Scratch());
    }

    /**
     * @param objectIds    the spec's object ids, in spec order (the output follows it)
     * @param unoccluded   pixels each object covers drawn alone, same order
     * @param scratch      working arrays, reused across calls on one thread
     */
    static List<ObjectAnnotation> annotate(int width, int height, IntBuffer ids, FloatBuffer depth,
            int[] objectIds, long[] unoccluded, Scratch scratch) {
        scratch.ensure(width, height);
        int[] idPixels = scratch.ids;
        ids.get(0, idPixels, 0, width * height);
        int n = objectIds.length;
        int[] sortedIds = objectIds.clone();
        Arrays.sort(sortedIds);
        int[] slotOfSorted = new int[n];
        for (int i = 0; i < n; i++) {
            slotOfSorted[Arrays.binarySearch(sortedIds, objectIds[i])] = i;
        }
        long[] count = new long[n];
        int[] minX = new int[n];
        int[] minY = new int[n];
        int[] maxX = new int[n];
        int[] maxY = new int[n];
        double[] sumX = new double[n];
        double[] sumY = new double[n];
        double[] sumDepth = new double[n];
        Arrays.fill(minX, Integer.MAX_VALUE);
        Arrays.fill(minY, Integer.MAX_VALUE);
        Arrays.fill(maxX, -1);
        Arrays.fill(maxY, -1);

        int[] column = scratch.column;
        float[] depthRow = new float[width];
        int lastId = 0;
        int lastSlot = -1;
        for (int glRow = 0; glRow < height; glRow++) {
            int y = height - 1 - glRow; // top-left origin
            int base = glRow * width;
            boolean depthLoaded = false;
            for (int x = 0; x < width; x++) {
                int id = idPixels[base + x];
                if (id == 0) {
                    continue;
                }
                int slot;
                if (id == lastId) {
                    slot = lastSlot;
                } else {
                    int k = Arrays.binarySearch(sortedIds, id);
                    slot = k < 0 ? -1 : slotOfSorted[k];
                    lastId = id;
                    lastSlot = slot;
                }
                if (slot < 0) {
                    continue; // not an object of this spec (cannot happen unless the buffer is stale)
                }
                // pixels down to the nearest other id (or past the bottom border), for the label point
                column[base + x] = glRow > 0 && idPixels[base - width + x] == id ? column[base - width + x] + 1 : 1;
                count[slot]++;
                if (x < minX[slot]) {
                    minX[slot] = x;
                }
                if (x > maxX[slot]) {
                    maxX[slot] = x;
                }
                if (y < minY[slot]) {
                    minY[slot] = y;
                }
                if (y > maxY[slot]) {
                    maxY[slot] = y;
                }
                sumX[slot] += x + 0.5;
                sumY[slot] += y + 0.5;
                if (!depthLoaded) { // most rows are room only: fetch depth just for rows with objects
                    depth.get(base, depthRow, 0, width);
                    depthLoaded = true;
                }
                sumDepth[slot] += Camera.linearDepth(depthRow[x]);
            }
        }

        Labels labels = labelPoints(width, height, scratch, sortedIds, slotOfSorted, count, sumX, sumY);

        List<ObjectAnnotation> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long visible = count[i];
            long alone = unoccluded[i];
            ObjectAnnotation.Builder a = ObjectAnnotation.newBuilder()
                    .setObjectId(objectIds[i])
                    .setVisiblePixels((int) visible)
                    .setUnoccludedPixels((int) alone)
                    .setVisibleFraction(alone == 0 ? 0f : (float) Math.min(1.0, (double) visible / alone));
            if (visible > 0) {
                a.setBox(Box2d.newBuilder().setXMin(minX[i]).setYMin(minY[i]).setXMax(maxX[i]).setYMax(maxY[i])
                                .build())
                        .setMeanDepth((float) (sumDepth[i] / visible))
                        .setCentroidX((float) (sumX[i] / visible))
                        .setCentroidY((float) (sumY[i] / visible))
                        .setLabelX(labels.x[i] + 0.5f)
                        .setLabelY(labels.y[i] + 0.5f)
                        .setLabelRadius((float) Math.sqrt(labels.d2[i]));
            } else {
                a.setBox(null).setMeanDepth(0f).setCentroidX(0f).setCentroidY(0f)
                        .setLabelX(0f).setLabelY(0f).setLabelRadius(0f);
            }
            out.add(a.build());
        }
        return out;
    }

    /** The best pixel found so far per slot, and how it compares (see the class comment). */
    private static final class Labels {
        /** Squared distance; 0 = none yet (any visible pixel has at least 1). */
        final int[] d2;
        final int[] x;
        final int[] y;
        /** Squared distance of (x, y)'s centre to the centroid. */
        final double[] toCentroid;
        final double[] centroidX;
        final double[] centroidY;

        Labels(long[] count, double[] sumX, double[] sumY) {
            int n = count.length;
            d2 = new int[n];
            x = new int[n];
            y = new int[n];
            toCentroid = new double[n];
            centroidX = new double[n];
            centroidY = new double[n];
            for (int i = 0; i < n; i++) {
                if (count[i] > 0) {
                    centroidX[i] = sumX[i] / count[i];
                    centroidY[i] = sumY[i] / count[i];
                }
            }
        }

        /**
         * Whether a pixel of the run (first pixel's index in the bottom-up buffer, length) can be
         * as near the centroid as the slot's best: else it cannot win a tie.
         */
        boolean mayTie(int slot, int offset, int length, int width, int height) {
            int x0 = offset % width;
            double py = height - 1 - offset / width + 0.5;
            double px = Math.max(x0 + 0.5, Math.min(x0 + length - 0.5, centroidX[slot])); // the nearest centre
            double dx = px - centroidX[slot];
            double dy = py - centroidY[slot];
            return dx * dx + dy * dy <= toCentroid[slot];
        }

        /** Takes pixel (px, py) at squared distance pd2 if it beats the slot's best; in any order. */
        void offer(int slot, int pd2, int px, int py) {
            int best = d2[slot];
            if (pd2 < best) {
                return;
            }
            double dx = px + 0.5 - centroidX[slot];
            double dy = py + 0.5 - centroidY[slot];
            double c = dx * dx + dy * dy;
            if (pd2 == best && (c > toCentroid[slot]
                    || c == toCentroid[slot] && (py > y[slot] || py == y[slot] && px >= x[slot]))) {
                return;
            }
            d2[slot] = pd2;
            x[slot] = px;
            y[slot] = py;
            toCentroid[slot] = c;
        }
    }

    /**
     * The label point of every object of the spec: the exact squared Euclidean distance from a
     * pixel to the nearest pixel of another id (the outside of the image included), maximised per
     * object. Expects {@code scratch.column} to hold, for every spec object pixel, the downward
     * distance (pixels down to another id or past the border, GL's row order being bottom-up).
     */
    private static Labels labelPoints(int width, int height, Scratch scratch, int[] sortedIds, int[] slotOfSorted,
            long[] count, double[] sumX, double[] sumY) {
        int n = count.length;
        int[] id = scratch.ids;
        int[] column = scratch.column;
        int[] above = scratch.above;
        // Each object's run with the highest bound; its run index, or -1.
        int[] seedRun = new int[n];
        int[] seedCap = new int[n];
        Arrays.fill(seedRun, -1);

        // 1. top-down, row by row: finish the column distances (the upward sweep, min'ed into the
        // downward one) and list each row's runs of spec objects with an upper bound on the distance
        // inside them, min(column(x), distance to the run's ends) maximised over the run. Room
        // pixels and ids not in the spec (stale) are passed over: nothing reads their distances.
        int lastId = 0;
        int lastSlot = -1;
        for (int y = 0; y < height; y++) {
            int base = (height - 1 - y) * width;
            int start = 0;
            while (start < width) {
                int runId = id[base + start];
                int end = start + 1;
                while (end < width && id[base + end] == runId) {
                    end++;
                }
                int x0 = start;
                int length = end - start;
                start = end;
                if (runId == 0) {
                    continue;
                }
                int slot;
                if (runId == lastId) {
                    slot = lastSlot;
                } else {
                    int k = Arrays.binarySearch(sortedIds, runId);
                    slot = k < 0 ? -1 : slotOfSorted[k];
                    lastId = runId;
                    lastSlot = slot;
                }
                if (slot < 0) {
                    continue;
                }
                int offset = base + x0;
                int cap = 0;
                for (int i = 0; i < length; i++) {
                    int p = offset + i;
                    int up = y > 0 && id[p + width] == runId ? above[x0 + i] + 1 : 1; // GL row + 1 = image row - 1
                    above[x0 + i] = up;
                    int c = Math.min(column[p], up);
                    column[p] = c;
                    c = Math.min(c, Math.min(i + 1, length - i));
                    if (c > cap) {
                        cap = c;
                    }
                }
                if (cap > seedCap[slot]) {
                    seedCap[slot] = cap;
                    seedRun[slot] = scratch.runs;
                }
                scratch.addRun(offset, length, cap, slot);
            }
        }

        // 2. the exact distances: first in each object's most promising run, which leaves most other
        // runs unable to reach the best found (and skipped), then in the runs that still can.
        Labels labels = new Labels(count, sumX, sumY);
        for (int slot = 0; slot < n; slot++) {
            if (seedRun[slot] >= 0) {
                runLabel(width, height, scratch, seedRun[slot], labels);
            }
        }
        for (int r = 0; r < scratch.runs; r++) {
            int slot = scratch.runSlot[r];
            int cap2 = scratch.runCap[r] * scratch.runCap[r];
            int best = labels.d2[slot];
            if (r == seedRun[slot] || cap2 < best) {
                continue;
            }
            if (cap2 == best && !labels.mayTie(slot, scratch.runOffset[r], scratch.runLength[r], width, height)) {
                continue; // at most a tie, and no pixel of the run is as near the centroid (an L's long arm)
            }
            runLabel(width, height, scratch, r, labels);
        }
        return labels;
    }

    /**
     * One run of one object: d2(x) = min over x' of (x - x')^2 + column(x')^2, over the run plus the
     * pixel just past each end (another id, or outside the image: column 0 there); pixels beyond
     * those cannot be nearer. The lower envelope of those parabolas, in run coordinates
     * q = 0 .. length + 1 (pixel x0 + q - 1).
     */
    private static void runLabel(int width, int height, Scratch scratch, int run, Labels labels) {
        int offset = scratch.runOffset[run];
        int length = scratch.runLength[run];
        int slot = scratch.runSlot[run];
        int x0 = offset % width;
        int y = height - 1 - offset / width;
        int[] column = scratch.column;
        int[] apex = scratch.apex;
        int[] f = scratch.height;
        double[] bound = scratch.bound;
        f[0] = 0;
        for (int q = 1; q <= length; q++) {
            int c = column[offset + q - 1];
            f[q] = c * c;
        }
        f[length + 1] = 0;
        int k = 0;
        apex[0] = 0;
        bound[0] = Double.NEGATIVE_INFINITY;
        bound[1] = Double.POSITIVE_INFINITY;
        for (int q = 1; q <= length + 1; q++) {
            double fq = f[q] + (double) q * q;
            double s;
            while (true) {
                int p = apex[k];
                s = (fq - (f[p] + (double) p * p)) / (2.0 * (q - p));
                if (s > bound[k]) {
                    break;
                }
                k--; // bound[0] is -infinity, so k stays >= 0
            }
            k++;
            apex[k] = q;
            bound[k] = s;
            bound[k + 1] = Double.POSITIVE_INFINITY;
        }
        k = 0;
        for (int q = 1; q <= length; q++) {
            while (bound[k + 1] < q) {
                k++;
            }
            int p = apex[k];
            int d2 = (q - p) * (q - p) + f[p];
            if (d2 >= labels.d2[slot]) {
                labels.offer(slot, d2, x0 + q - 1, y);
            }
        }
    }
}
