package dev.satflow.producers.render;

import dev.satflow.core.geom.Camera;
import dev.satflow.schema.ObjectAnnotation;
import java.util.List;

/**
 * One rendered, annotated view before image encoding.
 *
 * @param rgb         top-down rows, width*3 bytes each (what the encoded image decodes to, for PNG)
 * @param renderNanos drawing, queries, readback, RGB copy and annotation (which renderScene runs on
 *                    the encoder thread: then the sum of both threads' parts)
 */
public record RawFrame(String viewId, Camera camera, int width, int height, byte[] rgb,
        List<ObjectAnnotation> objects, long renderNanos) {}
