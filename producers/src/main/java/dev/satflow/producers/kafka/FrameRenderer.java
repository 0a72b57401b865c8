package dev.satflow.producers.kafka;

import dev.satflow.schema.Frame;
import dev.satflow.schema.SceneSpec;
import java.util.List;

/**
 * Renders every view of a spec into frames. Implementations own a GL context and are confined to
 * the thread that created them. Problems with the spec itself (an unknown category, say) are
 * {@link IllegalArgumentException}s and dead-letter the record at once; anything else is retried a few
 * times ({@code RenderService.RENDER_ATTEMPTS}) and then dead-letters the record too.
 */
public interface FrameRenderer extends AutoCloseable {
    List<Frame> render(SceneSpec spec);

    @Override
    void close();
}
