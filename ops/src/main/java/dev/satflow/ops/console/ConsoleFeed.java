package dev.satflow.ops.console;

import dev.satflow.contracts.Topic;
import dev.satflow.contracts.Topics;
import dev.satflow.schema.Checkpoint;
import dev.satflow.schema.DeadLetter;
import dev.satflow.schema.EvalReport;
import dev.satflow.schema.Frame;
import dev.satflow.schema.QaRecord;
import dev.satflow.schema.SceneSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows every satflow topic for the console with one consumer of its own: assigned partitions,
 * no group id, nothing committed (like {@code satflow tap}), read_committed. Scenes, questions,
 * checkpoints, evaluations and dead letters are read from their start (their totals, the type
 * counts and the accuracy curves need all of them; none carries pixels), frames only from a few
 * records before the end of each partition (they do carry pixels). Partitions that appear later
 * (a topic created after the console started) are picked up every few seconds.
 */
final class ConsoleFeed implements AutoCloseable {
    /** Frames read back per partition on start, so the gallery is not empty on an idle cluster. */
    static final int FRAME_TAIL = 2;
    private static final Duration POLL = Duration.ofMillis(300);
    private static final long RESCAN_MS = 5_000;

    private final Map<String, Object> consumerConfig;
    private final Topics topics;
    private final ConsoleState state;
    private final LongSupplier clock;
    private final Map<String, Topic<String, ?>> byName = new LinkedHashMap<>();
    /** Offsets at or past which a record is live (the end when the partition was assigned). */
    private final Map<TopicPartition, Long> liveFrom = new HashMap<>();
    private KafkaConsumer<String, byte[]> consumer;
    private volatile boolean stop;
    private Thread thread;

    ConsoleFeed(Map<String, Object> consumerConfig, Topics topics, ConsoleState state, LongSupplier clock) {
        this.consumerConfig = new HashMap<>(consumerConfig);
        this.consumerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.topics = topics;
        this.state = state;
        this.clock = clock;
        for (Topic<String, ?> t : List.of(topics.scenes(), topics.frames(), topics.qa(), topics.checkpoints(),
                topics.eval(), topics.dlq())) {
            byName.put(t.name(), t);
        }
    }

    ConsoleFeed start() {
        consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
        thread = new Thread(this::loop, "satflow-console-feed");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    private void loop() {
        try {
            while (!stop) {
                try {
                    follow();
                } catch (WakeupException e) {
                    // close() wakes the consumer: the loop ends on the stop flag
                } catch (RuntimeException e) {
                    state.feedError(e.toString());
                    if (!stop) {
                        sleep(2_000);
                        reopen();
                    }
                }
            }
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void follow() {
        long lastScan = 0;
        while (!stop) {
            long now = System.currentTimeMillis();
            if (now - lastScan >= RESCAN_MS) {
                lastScan = now;
                assignNew();
            }
            if (consumer.assignment().isEmpty()) {
                sleep(500);
                continue;
            }
            ConsumerRecords<String, byte[]> batch = consumer.poll(POLL);
            long t = clock.getAsLong();
            for (ConsumerRecord<String, byte[]> r : batch) {
                handle(r, t);
            }
            state.caughtUp(caughtUp());
            state.feedError(null);
        }
    }

    /** After an unexpected error: a fresh consumer that resumes where the old one was. */
    private void reopen() {
        Map<TopicPartition, Long> at = new HashMap<>();
        try {
            for (TopicPartition tp : consumer.assignment()) {
                at.put(tp, consumer.position(tp));
            }
        } catch (RuntimeException ignored) {
            // positions unknown: those partitions are read again from their usual start
        }
        consumer.close(Duration.ofSeconds(2));
        consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
        liveFrom.keySet().retainAll(at.keySet());
        if (!at.isEmpty()) {
            consumer.assign(at.keySet());
            at.forEach(consumer::seek);
        }
    }

    /** Assigns partitions not yet assigned (new topics, added partitions), positioned at their start points. */
    private void assignNew() {
        List<TopicPartition> fresh = new ArrayList<>();
        Map<String, List<PartitionInfo>> known;
        try {
            known = consumer.listTopics(Duration.ofSeconds(5)); // one metadata request, however many topics are missing
        } catch (RuntimeException e) {
            state.feedError("topic metadata: " + e.getMessage());
            return;
        }
        for (String name : byName.keySet()) {
            for (PartitionInfo p : known.getOrDefault(name, List.of())) {
                TopicPartition tp = new TopicPartition(name, p.partition());
                if (!liveFrom.containsKey(tp)) {
                    fresh.add(tp);
                }
            }
        }
        if (fresh.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> positions = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            positions.put(tp, consumer.position(tp));
        }
        List<TopicPartition> all = new ArrayList<>(positions.keySet());
        all.addAll(fresh);
        consumer.assign(all);
        positions.forEach(consumer::seek);
        Map<TopicPartition, Long> end = consumer.endOffsets(fresh);
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(fresh);
        for (TopicPartition tp : fresh) {
            long e = end.get(tp);
            long b = begin.get(tp);
            long from = tp.topic().equals(topics.frames().name()) ? Math.max(b, e - FRAME_TAIL) : b;
            consumer.seek(tp, from);
            liveFrom.put(tp, e);
        }
    }

    private boolean caughtUp() {
        for (TopicPartition tp : consumer.assignment()) {
            if (consumer.position(tp) < liveFrom.getOrDefault(tp, 0L)) {
                return false;
            }
        }
        return true;
    }

    private void handle(ConsumerRecord<String, byte[]> r, long now) {
        Topic<String, ?> topic = byName.get(r.topic());
        if (topic == null || r.value() == null) {
            return;
        }
        Object v;
        try {
            v = topic.valueSerde().deserializer().deserialize(r.topic(), r.value());
        } catch (RuntimeException e) {
            state.onUndecodable(r.topic());
            return;
        }
        boolean live = r.offset() >= liveFrom.getOrDefault(new TopicPartition(r.topic(), r.partition()), 0L);
        String name = r.topic();
        if (name.equals(topics.scenes().name())) {
            state.onScene((SceneSpec) v, live, now);
        } else if (name.equals(topics.frames().name())) {
            state.onFrame(r.partition(), r.offset(), r.timestamp(), (Frame) v, live, now);
        } else if (name.equals(topics.qa().name())) {
            state.onQa(r.partition(), r.offset(), r.timestamp(), (QaRecord) v, live, now);
        } else if (name.equals(topics.checkpoints().name())) {
            state.onCheckpoint((Checkpoint) v, live, now);
        } else if (name.equals(topics.eval().name())) {
            state.onEval((EvalReport) v, live, now);
        } else if (name.equals(topics.dlq().name())) {
            state.onDeadLetter(r.partition(), r.offset(), r.timestamp(), (DeadLetter) v, live, now);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop = true;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
