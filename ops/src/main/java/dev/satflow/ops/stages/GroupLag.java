package dev.satflow.ops.stages;

import dev.satflow.core.kafka.KafkaClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * How far a consumer group is behind on some topics, such that 0 means <em>every committed input record
 * has been consumed and committed by the group, and no open transaction may still add one</em>.
 *
 * <p>Per partition, against the log end (not the last stable offset: an open transaction, say of a
 * renderer that died mid-transaction, hides everything after it from read_committed readers, and measuring
 * against the stable offset once reported "caught up" with 4,503 of 4,872 records):
 * <ul>
 *   <li>committed offset at the log end: nothing left;</li>
 *   <li>a transaction still open (stable offset below the log end): behind by what follows the committed
 *       offset, at least 1, until the transaction commits or aborts;</li>
 *   <li>otherwise the gap may hold only transaction markers and aborted records, which a consumer skips
 *       without processing: a read_committed probe from the committed offset tells whether a committed
 *       record is in it.</li>
 * </ul>
 */
public final class GroupLag implements AutoCloseable {
    private final Admin admin;
    private final String bootstrap;
    private KafkaConsumer<byte[], byte[]> probe;

    public GroupLag(String bootstrap) {
        this.bootstrap = bootstrap;
        this.admin = Admin.create(KafkaClients.admin(bootstrap, "satflow-lag-probe"));
    }

    /** Committed records of the topics not yet consumed (committed) by the group; see the class comment. */
    public long lag(String groupId, Collection<String> topics) {
        try {
            List<TopicPartition> parts = new ArrayList<>();
            admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).forEach((name, d) ->
                    d.partitions().forEach(p -> parts.add(new TopicPartition(name, p.partition()))));
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            parts.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest,
                    new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> stable = admin.listOffsets(latest,
                    new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            long lag = 0;
            Map<TopicPartition, Long> toProbe = new HashMap<>();
            for (TopicPartition tp : parts) {
                OffsetAndMetadata c = committed.get(tp);
                long at = c == null ? 0 : c.offset();
                long end = ends.get(tp).offset();
                if (at >= end) {
                    continue;
                }
                if (stable.get(tp).offset() < end) {
                    lag += end - at; // an open transaction: not idle until it ends
                } else {
                    toProbe.put(tp, at);
                }
            }
            if (!toProbe.isEmpty()) {
                lag += probe(toProbe, ends);
            }
            return lag;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading the lag of group " + groupId, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the lag of group " + groupId + ": " + e.getMessage(), e);
        }
    }

    /**
     * For each partition, whether a committed record lies between the offset and the end: if so the whole
     * gap counts, otherwise it held only markers and aborted records.
     */
    private long probe(Map<TopicPartition, Long> from, Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends) {
        if (probe == null) {
            Map<String, Object> c = new HashMap<>();
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            c.put(ConsumerConfig.CLIENT_ID_CONFIG, "satflow-lag-probe-reader");
            c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            // one batch per partition is enough to see whether any committed record is there
            c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 1);
            c.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 1);
            c.putAll(KafkaClients.extra());
            probe = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }
        probe.assign(from.keySet());
        from.forEach(probe::seek);
        Map<TopicPartition, Long> pending = new HashMap<>(from);
        long lag = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : probe.poll(Duration.ofMillis(100))) {
                TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                Long at = pending.remove(tp);
                if (at != null) {
                    lag += ends.get(tp).offset() - at;
                    probe.pause(List.of(tp));
                }
            }
            pending.keySet().removeIf(tp -> probe.position(tp) >= ends.get(tp).offset());
        }
        for (Map.Entry<TopicPartition, Long> e : pending.entrySet()) {
            lag += ends.get(e.getKey()).offset() - e.getValue(); // could not tell in time: count it
        }
        probe.resume(probe.paused());
        return lag;
    }

    /** Commits the topic's current end offsets for a group that has not started yet. */
    public void startAtEnd(String groupId, String topic) {
        try {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions()
                    .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
            admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS)
                    .forEach((tp, info) -> ends.put(tp, new OffsetAndMetadata(info.offset())));
            admin.alterConsumerGroupOffsets(groupId, ends).all().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted positioning group " + groupId, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot position group " + groupId + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (probe != null) {
            probe.close(Duration.ofSeconds(5));
        }
        admin.close();
    }
}
