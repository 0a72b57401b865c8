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
 * Per-object annotations from the id and depth buffers (bottom-up rows, as GL returns them) and
 * the occlusion-query pixel counts. Output coordinates are top-left-origin like the image.
 *
 * <p>Box: inclusive pixel indices. Centroid: mean of pixel centres (pixel (i,j) has centre
 * (i+0.5, j+0.5)), the same continuous coordinates as {@link Camera#project}. meanDepth: mean of
 * {@link Camera#linearDepth} (camera-space metres) over the object's visible pixels.
 */
final class Annotator {
    private Annotator() {}

    /**
     * @param objectIds    the spec's object ids, in spec order (the output follows it)
     * @param unoccluded   pixels each object covers drawn alone, same order
     */
    static List<ObjectAnnotation> annotate(int width, int height, IntBuffer ids, FloatBuffer depth,
            int[] objectIds, long[] unoccluded) {
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

        int[] idRow = new int[width];
        float[] depthRow = new float[width];
        int lastId = 0;
        int lastSlot = -1;
        for (int glRow = 0; glRow < height; glRow++) {
            int y = height - 1 - glRow; // top-left origin
            int base = glRow * width;
            ids.get(base, idRow, 0, width);
            boolean depthLoaded = false;
            for (int x = 0; x < width; x++) {
                int id = idRow[x];
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
                        .setCentroidY((float) (sumY[i] / visible));
            } else {
                a.setBox(null).setMeanDepth(0f).setCentroidX(0f).setCentroidY(0f);
            }
            out.add(a.build());
        }
        return out;
    }
}
