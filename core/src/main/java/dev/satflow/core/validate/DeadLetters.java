package dev.satflow.core.validate;

import dev.satflow.schema.DeadLetter;
import java.nio.ByteBuffer;

/** Builds the dead-letter record for input a stage cannot use: where it came from and why. */
public final class DeadLetters {
    /**
     * Most raw bytes a dead letter keeps: enough to inspect any record, while a bad record near its topic's
     * 16 MiB limit plus the dead letter's own fields cannot outgrow the DLQ's limit and fail the stage's
     * transaction over and over.
     */
    public static final int MAX_RAW_BYTES = 1 << 20;

    private DeadLetters() {}

    public static DeadLetter of(String stage, String topic, int partition, long offset, String key, byte[] raw,
            Throwable error, long nowMs) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root && !(root instanceof ContractViolation)) {
            root = root.getCause();
        }
        String message = error.getMessage() == null ? error.toString() : error.getMessage();
        if (root != error && root.getMessage() != null && !message.contains(root.getMessage())) {
            message = message + " <- " + root.getMessage();
        }
        byte[] kept = raw;
        if (raw != null && raw.length > MAX_RAW_BYTES) {
            kept = java.util.Arrays.copyOf(raw, MAX_RAW_BYTES);
            message = message + " (raw bytes cut to the first " + MAX_RAW_BYTES + " of " + raw.length + ")";
        }
        return DeadLetter.newBuilder()
                .setStage(stage)
                .setSourceTopic(topic)
                .setPartition(partition)
                .setOffset(offset)
                .setKey(key)
                .setErrorClass(root.getClass().getName())
                .setError(message)
                .setField(root instanceof ContractViolation cv ? cv.field() : null)
                .setRaw(kept == null ? null : ByteBuffer.wrap(kept))
                .setTimestampMs(nowMs)
                .build();
    }
}
