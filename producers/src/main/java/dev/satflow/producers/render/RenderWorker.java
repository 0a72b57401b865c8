package dev.satflow.producers.render;

import dev.satflow.core.geom.Camera;
import dev.satflow.schema.Frame;
import dev.satflow.schema.ObjectAnnotation;
import dev.satflow.schema.SceneSpec;
import dev.satflow.schema.View;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns scene specs into {@link Frame}s: one GL context, one framebuffer, one encoder pool.
 *
 * <p>Threading: the constructor creates the GL context on the calling thread, and every render
 * method and {@link #close()} must be called from that same thread (one worker per render thread;
 * several workers may run in one process). In {@link #renderScene}, annotation and image encoding
 * run on the encoder pool, so the GL thread draws the next view while the previous one is being
 * annotated and compressed.
 *
 * <p>Deterministic: the same spec gives byte-identical pixels (and so identical PNG bytes) on the
 * same GL implementation, whichever worker or thread renders it.
 */
public final class RenderWorker implements AutoCloseable {
    /** Written into every Frame; bump when pixels or annotations change for the same spec. */
    public static final String RENDERER_VERSION = "satflow-gl/2";

    private static final Logger log = LoggerFactory.getLogger(RenderWorker.class);

    private final EglContext context;
    private final SceneRenderer renderer;
    private final ImageEncoder encoder;
    private final Executor encodeExecutor;
    private final ExecutorService ownedPool;
    /** Frames rendered but not yet encoded; the render thread waits when none is left. */
    private final Semaphore pendingFrames;

    /** A worker with its own encoder pool of {@code options.encoderThreads()} daemon threads. */
    public RenderWorker(RenderOptions options) {
        this(options, null);
    }

    /**
     * @param encodeExecutor where images are encoded; null for a pool owned (and shut down) by this worker
     * @throws EglException when no headless GL context can be made
     */
    public RenderWorker(RenderOptions options, Executor encodeExecutor) {
        this.pendingFrames = new Semaphore(options.maxPendingFrames());
        this.encoder = new ImageEncoder(new PngEncoder(options.pngLevel(), options.pngFilter()), options.jpegQuality());
        if (encodeExecutor == null) {
            AtomicInteger n = new AtomicInteger();
            String owner = Thread.currentThread().getName();
            this.ownedPool = Executors.newFixedThreadPool(options.encoderThreads(), r -> {
                Thread t = new Thread(r, "satflow-encode-" + owner + "-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            this.encodeExecutor = ownedPool;
        } else {
            this.ownedPool = null;
            this.encodeExecutor = encodeExecutor;
        }
        EglContext ctx = EglContext.create(options.platforms());
        try {
            this.renderer = new SceneRenderer(ctx, options.catalog(), options.shadowMapSize());
        } catch (RuntimeException e) {
            ctx.close();
            shutdownPool();
            throw e;
        }
        this.context = ctx;
    }

    /** GL_RENDERER of the worker's context. */
    public String glRenderer() {
        return context.glRenderer();
    }

    public EglContext.Platform platform() {
        return context.platform();
    }

    /**
     * Renders, annotates and encodes every view of the spec, in spec order (viewCount = number of views).
     *
     * @throws UnknownCategoryException an object's category is not in the catalog (nothing is rendered)
     * @throws IllegalArgumentException other contract violations (bad polygon, image format, placements...)
     */
    public List<Frame> renderScene(SceneSpec spec) {
        try {
            return renderSceneAsync(spec).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /**
     * Renders every view now, on this thread; the future completes when the last image is encoded.
     * Lets a caller start the next scene's GL work while this one's images compress.
     */
    public CompletableFuture<List<Frame>> renderSceneAsync(SceneSpec spec) {
        context.checkThread();
        String format = ImageEncoder.normaliseFormat(spec.getRender().getImageFormat());
        SceneModel scene = renderer.prepare(spec);
        int viewCount = spec.getViews().size();
        List<CompletableFuture<Frame>> frames = new ArrayList<>(viewCount);
        for (View view : spec.getViews()) {
            long t0 = System.nanoTime();
            SceneRenderer.Readback readback = renderer.drawForAnnotation(scene, view);
            long glNanos = System.nanoTime() - t0;
            pendingFrames.acquireUninterruptibly();
            CompletableFuture<Frame> frame;
            try {
                // annotated on the encoder thread too: the GL thread goes straight on to the next view
                frame = CompletableFuture.supplyAsync(
                        () -> toFrame(spec, view, viewCount, format, annotate(view, readback, glNanos)), encodeExecutor);
            } catch (RuntimeException rejected) {
                pendingFrames.release();
                throw rejected;
            }
            frame.whenComplete((f, e) -> pendingFrames.release());
            frames.add(frame);
        }
        return CompletableFuture.allOf(frames.toArray(CompletableFuture[]::new))
                .thenApply(done -> frames.stream().map(CompletableFuture::join).toList());
    }

    /** One view of a spec as a Frame, encoded on the calling thread. */
    public Frame renderView(SceneSpec spec, View view) {
        context.checkThread();
        String format = ImageEncoder.normaliseFormat(spec.getRender().getImageFormat());
        RawFrame raw = render(renderer.prepare(spec), view);
        return toFrame(spec, view, spec.getViews().size(), format, raw);
    }

    /** Every view rendered and annotated, not encoded. */
    public List<RawFrame> renderSceneUnencoded(SceneSpec spec) {
        context.checkThread();
        SceneModel scene = renderer.prepare(spec);
        List<RawFrame> out = new ArrayList<>();
        for (View view : spec.getViews()) {
            out.add(render(scene, view));
        }
        return out;
    }

    /**
     * Every view rendered and annotated, as Frames without image bytes: for tools that only need
     * the annotations (the answer-prior census renders thousands of scenes and never looks at pixels).
     */
    public List<Frame> annotateScene(SceneSpec spec) {
        context.checkThread();
        String format = ImageEncoder.normaliseFormat(spec.getRender().getImageFormat());
        SceneModel scene = renderer.prepare(spec);
        List<Frame> out = new ArrayList<>();
        for (View view : spec.getViews()) {
            out.add(frame(spec, view, spec.getViews().size(), format, render(scene, view), new byte[0]));
        }
        return out;
    }

    /** The view's id buffer, top-down rows: which object covers each pixel (0 = room). For tests and tools. */
    public int[] renderIds(SceneSpec spec, View view) {
        context.checkThread();
        return renderer.drawIds(renderer.prepare(spec), view);
    }

    /** One view rendered and annotated, not encoded. */
    public RawFrame renderUnencoded(SceneSpec spec, View view) {
        context.checkThread();
        return render(renderer.prepare(spec), view);
    }

    /** The benchmark's floor: draw every view and read colour, id and depth back; nothing else. */
    void drawAndReadOnly(SceneSpec spec) {
        SceneModel scene = renderer.prepare(spec);
        for (View view : spec.getViews()) {
            renderer.drawAndRead(scene, view);
        }
    }

    SceneRenderer renderer() {
        return renderer;
    }

    /** Encodes one frame's image with this worker's settings (for benchmarks and tools). */
    byte[] encode(String format, RawFrame raw) {
        return encoder.encode(format, raw.rgb(), raw.width(), raw.height());
    }

    private RawFrame render(SceneModel scene, View view) {
        long t0 = System.nanoTime();
        SceneRenderer.Drawn d = renderer.drawAnnotated(scene, view);
        long nanos = System.nanoTime() - t0;
        return new RawFrame(view.getViewId(), d.camera(), d.camera().width(), d.camera().height(), d.rgbTopDown(),
                d.annotations(), nanos);
    }

    /** Working arrays of the annotator per encoder thread (the GL thread has the renderer's own). */
    private static final ThreadLocal<Annotator.Scratch> SCRATCH = ThreadLocal.withInitial(Annotator.Scratch::new);

    /** A read-back view annotated on the calling thread; its render time counts both threads' parts. */
    private static RawFrame annotate(View view, SceneRenderer.Readback readback, long glNanos) {
        long t0 = System.nanoTime();
        List<ObjectAnnotation> objects = readback.annotate(SCRATCH.get());
        Camera camera = readback.camera();
        return new RawFrame(view.getViewId(), camera, camera.width(), camera.height(), readback.rgbTopDown(), objects,
                glNanos + System.nanoTime() - t0);
    }

    private Frame toFrame(SceneSpec spec, View view, int viewCount, String format, RawFrame raw) {
        return frame(spec, view, viewCount, format, raw, encoder.encode(format, raw.rgb(), raw.width(), raw.height()));
    }

    private Frame frame(SceneSpec spec, View view, int viewCount, String format, RawFrame raw, byte[] image) {
        return Frame.newBuilder()
                .setSceneId(spec.getSceneId())
                .setViewId(view.getViewId())
                .setRole(view.getRole())
                .setViewCount(viewCount)
                .setCamera(view.getCamera())
                .setIntrinsics(raw.camera().intrinsics())
                .setImageFormat(format)
                .setImage(ByteBuffer.wrap(image))
                .setObjects(raw.objects())
                .setRendererVersion(RENDERER_VERSION)
                .setGlRenderer(context.glRenderer())
                .setRenderMillis(raw.renderNanos() / 1e6f)
                .build();
    }

    /** Frees GL resources and the context (on the owning thread) and stops the owned encoder pool. */
    @Override
    public void close() {
        try {
            renderer.close();
            context.close();
        } finally {
            shutdownPool();
        }
    }

    private void shutdownPool() {
        if (ownedPool != null) {
            ownedPool.shutdown();
            try {
                if (!ownedPool.awaitTermination(10, TimeUnit.SECONDS)) {
                    log.warn("encoder pool still busy after 10 s; abandoning it");
                    ownedPool.shutdownNow();
                }
            } catch (InterruptedException e) {
                ownedPool.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }
}
