package dev.satflow.ops.stages;

import dev.satflow.core.kafka.KafkaClients;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.common.Node;

/** Bytes each topic occupies on the brokers' disks (leader and follower replicas summed), from describeLogDirs. */
public final class TopicSizes {
    private TopicSizes() {}

    public static Map<String, Long> of(String bootstrap, Collection<String> topics) {
        Map<String, Long> out = new HashMap<>();
        topics.forEach(t -> out.put(t, 0L));
        try (Admin admin = Admin.create(KafkaClients.admin(bootstrap, "satflow-topic-sizes"))) {
            Set<Integer> brokers = new java.util.HashSet<>();
            for (Node n : admin.describeCluster().nodes().get()) {
                brokers.add(n.id());
            }
            Map<Integer, Map<String, LogDirDescription>> dirs = admin.describeLogDirs(brokers).allDescriptions().get();
            for (Map<String, LogDirDescription> byDir : dirs.values()) {
                for (LogDirDescription d : byDir.values()) {
                    for (Map.Entry<org.apache.kafka.common.TopicPartition, ReplicaInfo> e : d.replicaInfos().entrySet()) {
                        out.computeIfPresent(e.getKey().topic(), (k, v) -> v + e.getValue().size());
                    }
                }
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sizing topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot size topics " + topics + ": " + e.getCause(), e.getCause());
        }
    }

    /** "1.33 GB", "122 MB", "5.1 kB". */
    public static String human(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double v = bytes;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(java.util.Locale.ROOT, v < 10 ? "%.2f %s" : v < 100 ? "%.1f %s" : "%.0f %s", v, units[u]);
    }
}
