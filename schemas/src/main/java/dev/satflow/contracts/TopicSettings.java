package dev.satflow.contracts;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a topic is created: partitions, cleanup and size limits. Images travel inline, so the frame
 * and QA topics raise max.message.bytes; producers must raise max.request.size to match. Replication
 * follows the cluster: replication factor min(3, brokers) and min.insync.replicas 2 where there is a
 * second copy ({@link #replicationFactor(int)}, {@link #minInsyncReplicas(int)}), so with acks=all a
 * write is on two brokers before it counts, and one broker of three can be lost without losing or
 * stopping anything.
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

    /** Replication factor of every satflow topic on a cluster of this many brokers: min(3, brokers). */
    public static int replicationFactor(int brokers) {
        return Math.max(1, Math.min(3, brokers));
    }

    /** min.insync.replicas that goes with a replication factor: 2, or 1 on a single broker. */
    public static int minInsyncReplicas(int replicationFactor) {
        return Math.max(1, Math.min(2, replicationFactor));
    }

    /** Topic-level configs for AdminClient.createTopics (min.insync.replicas left to the broker). */
    public Map<String, String> configs() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("cleanup.policy", compacted ? "compact" : "delete");
        c.put("retention.ms", Long.toString(retentionMs));
        c.put("max.message.bytes", Integer.toString(maxMessageBytes));
        return c;
    }

    /** Topic-level configs for a topic of this replication factor: {@link #configs()} plus min.insync.replicas. */
    public Map<String, String> configs(int replicationFactor) {
        Map<String, String> c = configs();
        c.put("min.insync.replicas", Integer.toString(minInsyncReplicas(replicationFactor)));
        return c;
    }
}
