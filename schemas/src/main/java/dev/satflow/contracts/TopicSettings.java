package dev.satflow.contracts;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a topic is created: partitions, cleanup and size limits. Images travel inline, so the frame
 * and QA topics raise max.message.bytes; producers must raise max.request.size to match.
 *
 * @param retentionMs -1 keeps data forever (datasets are rebuilt by replaying topics)
 */
public record TopicSettings(int partitions, boolean compacted, long retentionMs, int maxMessageBytes) {
    public static final int MIB = 1024 * 1024;

    public TopicSettings {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
        }
    }

    /** Topic-level configs for AdminClient.createTopics. */
    public Map<String, String> configs() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("cleanup.policy", compacted ? "compact" : "delete");
        c.put("retention.ms", Long.toString(retentionMs));
        c.put("max.message.bytes", Integer.toString(maxMessageBytes));
        return c;
    }
}
