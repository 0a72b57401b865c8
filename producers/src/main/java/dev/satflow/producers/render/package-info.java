/**
 * The renderer: scene specs in, annotated {@link dev.satflow.schema.Frame}s out.
 *
 * <p>Entry point: {@link dev.satflow.producers.render.RenderWorker} ({@code renderScene(spec)}).
 * It owns one headless OpenGL 3.3 core context ({@link dev.satflow.producers.render.EglContext},
 * EGL surfaceless platform, device platform as fallback), one framebuffer (RGBA8 colour, R32UI
 * object id, 32-bit float depth + stencil) and a small image-encoder pool.
 *
 * <p>Per view: shadow map of the first shadow-casting light (cube of distances for a point light,
 * orthographic map for a directional one; reused across views with the same object poses), a
 * Blinn-Phong pass writing colour and object ids, one GL_SAMPLES_PASSED query per object drawn
 * alone (stencil-deduplicated, so each pixel counts once), read-back, annotations
 * ({@code Annotator}) and PNG/JPEG encoding off the GL thread.
 *
 * <p>Threading: a worker is confined to the thread that created it; run one worker per render
 * thread. Camera maths comes from {@code dev.satflow.core.geom.Camera} only.
 */
package dev.satflow.producers.render;
