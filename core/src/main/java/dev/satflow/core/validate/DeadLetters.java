package dev.satflow.core.validate;

import dev.satflow.schema.DeadLetter;
import java.nio.ByteBuffer;

/** Builds the dead-letter record for input a stage cannot use: where it came from and why. */
public final class DeadLetters {
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
        return DeadLetter.newBuilder()
                .setStage(stage)
                .setSourceTopic(topic)
                .setPartition(partition)
                .setOffset(offset)
                .setKey(key)
                .setErrorClass(root.getClass().getName())
                .setError(message)
                .setField(root instanceof ContractViolation cv ? cv.field() : null)
                .setRaw(raw == null ? null : ByteBuffer.wrap(raw))
                .setTimestampMs(nowMs)
                .build();
    }
}
