package dev.satflow.core.frames;

import dev.satflow.schema.FrameRef;

/** Where a frame lives: topic, partition, offset. */
public record FrameCoordinates(String topic, int partition, long offset) {
    public static FrameCoordinates of(FrameRef ref) {
        return new FrameCoordinates(ref.getTopic(), ref.getPartition(), ref.getOffset());
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
