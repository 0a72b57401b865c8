package dev.satflow.ops.console;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads records by their coordinates, for what the console no longer holds in memory (an image or a
 * question a page asks for after it left the rings): one consumer, assigned partitions, no group,
 * nothing committed, read_committed. One read at a time.
 */
final class RecordReader implements RecordLookup, AutoCloseable {
    private static final long TIMEOUT_MS = 5_000;

    private final KafkaConsumer<String, byte[]> consumer;

    RecordReader(Map<String, Object> consumerConfig) {
        Map<String, Object> cc = new HashMap<>(consumerConfig);
        cc.remove(ConsumerConfig.GROUP_ID_CONFIG);
        cc.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        cc.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 16);
        this.consumer = new KafkaConsumer<>(cc, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * The records of the partition from {@code offset} on, as far as one fetch brings them (neighbours
     * included, so a caller may cache them); empty when nothing is at that offset (out of range, or a
     * transaction marker or aborted record).
     */
    @Override
    public synchronized List<ConsumerRecord<String, byte[]>> readAt(String topic, int partition, long offset) {
        TopicPartition tp = new TopicPartition(topic, partition);
        consumer.assign(List.of(tp));
        Duration wait = Duration.ofMillis(TIMEOUT_MS);
        long end = consumer.endOffsets(List.of(tp), wait).get(tp);
        long begin = consumer.beginningOffsets(List.of(tp), wait).get(tp);
        if (offset < begin || offset >= end) {
            return List.of();
        }
        consumer.seek(tp, offset);
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (consumer.position(tp) <= offset && consumer.position(tp) < end && System.currentTimeMillis() < deadline) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.offset() >= offset) {
                    out.add(r);
                }
            }
        }
        if (out.isEmpty() || out.get(0).offset() != offset) {
            return List.of();
        }
        return out;
    }

    @Override
    public synchronized void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
