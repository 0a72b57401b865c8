package dev.satflow.core.frames;

import dev.satflow.schema.Frame;
import java.util.Collection;
import java.util.Map;

/**
 * Frames by their coordinates in the frames topic: how a question's image references turn into
 * pixels. {@link KafkaFrameSource} reads the topic; tests and tools may hand in a map.
 */
public interface FrameSource extends AutoCloseable {
    /** The frames found at these coordinates; coordinates with no frame are absent from the result. */
    Map<FrameCoordinates, Frame> fetch(Collection<FrameCoordinates> wanted);

    @Override
    default void close() {}

    /** A source over frames already in memory (tests, offline tools). */
    static FrameSource of(Map<FrameCoordinates, Frame> frames) {
        return wanted -> {
            Map<FrameCoordinates, Frame> out = new java.util.HashMap<>();
            for (FrameCoordinates c : wanted) {
                Frame f = frames.get(c);
                if (f != null) {
                    out.put(c, f);
                }
            }
            return out;
        };
    }
}
