package dev.satflow.producers.render;

import dev.satflow.producers.catalog.Catalog;
import java.util.List;

/**
 * How a {@link RenderWorker} is set up.
 *
 * @param catalog        object models to draw categories with
 * @param platforms      EGL platforms to try, in order
 * @param encoderThreads threads of the worker's own encoder pool (used when none is injected)
 * @param pngLevel       deflate level of PNG frames (1: fastest; see RenderBench for the trade-off)
 * @param pngFilter      PNG row filter (see RenderBench)
 * @param jpegQuality    ImageIO JPEG quality for imageFormat "jpeg"
 * @param shadowMapSize  cube-face size of point-light shadow maps (directional maps are twice this)
 * @param maxPendingFrames rendered frames allowed to wait for encoding before the render thread
 *                       blocks (bounds memory when the caller uses renderSceneAsync: each holds
 *                       its RGB, id and depth buffers until annotated, 11 bytes a pixel, 2.9 MB at 512²)
 */
public record RenderOptions(
        Catalog catalog,
        List<EglContext.Platform> platforms,
        int encoderThreads,
        int pngLevel,
        PngEncoder.Filter pngFilter,
        float jpegQuality,
        int shadowMapSize,
        int maxPendingFrames) {

    public RenderOptions {
        platforms = List.copyOf(platforms);
        if (encoderThreads < 1) {
            throw new IllegalArgumentException("encoderThreads must be >= 1");
        }
        if (shadowMapSize < 16 || shadowMapSize > 4096) {
            throw new IllegalArgumentException("shadowMapSize must be in 16..4096");
        }
        if (maxPendingFrames < 1) {
            throw new IllegalArgumentException("maxPendingFrames must be >= 1");
        }
        if (pngLevel < 0 || pngLevel > 9) {
            throw new IllegalArgumentException("pngLevel must be in 0..9");
        }
    }

    public static RenderOptions defaults() {
        // PNG: deflate 1 without a row filter was both the fastest and the smallest on rendered rooms
        // (RenderBench: 512² 2.9 ms / 90 KB vs UP 4.5 ms / 103 KB and SUB 5.0 ms / 115 KB)
        // two encoder threads: on 2 cores they overlap llvmpipe's own threads a little better than one
        return new RenderOptions(Catalog.standard(), EglContext.DEFAULT_ORDER, 2, 1, PngEncoder.Filter.NONE, 0.9f, 512,
                32);
    }

    public RenderOptions withCatalog(Catalog c) {
        return new RenderOptions(c, platforms, encoderThreads, pngLevel, pngFilter, jpegQuality, shadowMapSize, maxPendingFrames);
    }

    public RenderOptions withEncoderThreads(int n) {
        return new RenderOptions(catalog, platforms, n, pngLevel, pngFilter, jpegQuality, shadowMapSize, maxPendingFrames);
    }

    public RenderOptions withPng(int level, PngEncoder.Filter filter) {
        return new RenderOptions(catalog, platforms, encoderThreads, level, filter, jpegQuality, shadowMapSize, maxPendingFrames);
    }

    public RenderOptions withPlatforms(List<EglContext.Platform> p) {
        return new RenderOptions(catalog, p, encoderThreads, pngLevel, pngFilter, jpegQuality, shadowMapSize, maxPendingFrames);
    }

    public RenderOptions withMaxPendingFrames(int n) {
        return new RenderOptions(catalog, platforms, encoderThreads, pngLevel, pngFilter, jpegQuality, shadowMapSize, n);
    }
}
