package dev.satflow.ops.stages;

import dev.satflow.contracts.Topic;
import dev.satflow.core.kafka.KafkaClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic from its beginning up to its committed end as of the call (read_committed, no
 * consumer group, nothing committed): how tools and the demo look at what a stage wrote.
 */
public final class TopicScan {
    private TopicScan() {}

    /** One record: its coordinates, raw bytes, and the decoded value or the reason it would not decode. */
    public record Entry<V>(String topic, int partition, long offset, String key, byte[] raw, V value,
            RuntimeException error) {}

    public interface Visitor<V> {
        /** Returns false to stop reading. */
        boolean visit(Entry<V> entry);
    }

    /** Visits records until the end (or the visitor stops); returns how many it visited. */
    public static <V> long scan(String bootstrap, Topic<String, V> topic, Visitor<V> visitor) {
        Map<String, Object> cc = KafkaClients.consumer(bootstrap, null, "satflow-scan-" + topic.name());
        long visited = 0;
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(cc, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo p : c.partitionsFor(topic.name())) {
                parts.add(new TopicPartition(p.topic(), p.partition()));
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    V value = null;
                    RuntimeException error = null;
                    try {
                        value = topic.valueSerde().deserializer().deserialize(r.topic(), r.value());
                    } catch (RuntimeException e) {
                        error = e;
                    }
                    visited++;
                    if (!visitor.visit(new Entry<>(r.topic(), r.partition(), r.offset(), r.key(), r.value(), value,
                            error))) {
                        return visited;
                    }
                }
            }
        }
        return visited;
    }

    /** Every decodable value of the topic. */
    public static <V> List<V> values(String bootstrap, Topic<String, V> topic) {
        List<V> out = new ArrayList<>();
        scan(bootstrap, topic, e -> {
            if (e.value() != null) {
                out.add(e.value());
            }
            return true;
        });
        return out;
    }
}
