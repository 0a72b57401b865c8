package dev.satflow.ops.export;

import dev.satflow.core.frames.QuestionImages;
import dev.satflow.schema.QaRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Resolves a chunk of questions' images (on the calling thread: the frame source is one Kafka
 * consumer) and draws their marks on every core (decoding, painting and PNG encoding are what an
 * export spends its time on), keeping the questions' order. A marked image comes back as its
 * painted PNG with no marks left to draw, so writers store it as is.
 */
public final class PaintedImages implements AutoCloseable {
    private final QuestionImages images;
    private final ExecutorService pool;

    public PaintedImages(QuestionImages images, int threads) {
        this.images = images;
        this.pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "satflow-export-paint");
            t.setDaemon(true);
            return t;
        });
    }

    /** One resolved question, or why it could not be resolved. */
    public record Resolved(QaRecord question, List<QuestionImages.Image> images, String error) {}

    public List<Resolved> paint(List<QaRecord> chunk) {
        images.prefetch(chunk);
        List<Future<Resolved>> pending = new ArrayList<>(chunk.size());
        for (QaRecord q : chunk) {
            List<QuestionImages.Image> raw;
            try {
                raw = images.images(q);
            } catch (IllegalArgumentException e) {
                pending.add(java.util.concurrent.CompletableFuture.completedFuture(new Resolved(q, List.of(),
                        e.getMessage())));
                continue;
            }
            pending.add(pool.submit(() -> {
                List<QuestionImages.Image> out = new ArrayList<>(raw.size());
                for (QuestionImages.Image img : raw) {
                    // a painted image is this question's own (frame null): writers share only plain frames
                    out.add(img.marked() ? new QuestionImages.Image(img.viewId(), "png", img.png(), List.of(),
                            img.index(), null) : img);
                }
                return new Resolved(q, out, null);
            }));
        }
        List<Resolved> out = new ArrayList<>(chunk.size());
        for (Future<Resolved> f : pending) {
            try {
                out.add(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while painting marks", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("painting marks failed: " + e.getCause(), e.getCause());
            }
        }
        return out;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
