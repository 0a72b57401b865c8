package dev.satflow.ops.console;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * Every few seconds, how far each stage's consumer group is behind its inputs: committed offsets
 * against the last stable offsets (read_committed ends, so open transactions are not backlog), the
 * group's members and state, and how fast its committed offsets move. Also the offset span of every
 * topic. Read-only: it lists and describes, and never joins or alters a group.
 */
public final class LagProbe implements AutoCloseable {
    /** A stage: its consumer group and the topics it consumes. */
    public record Stage(String stage, String group, List<String> inputs) {}

    /**
     * One group's position. {@code started} is false while the group has committed nothing on its
     * inputs (then {@code lag} is everything they hold); {@code consumedPerSecond} is the committed
     * offsets' movement since the last probe (offsets, so transaction markers count too).
     */
    public record GroupLag(String stage, String group, List<String> inputs, long lag, boolean started, int members,
            String state, double consumedPerSecond) {}

    /** {@code topicRecords}: per topic, end minus start offset over its partitions. */
    public record Snapshot(long atMs, List<GroupLag> groups, Map<String, Long> topicRecords, String error) {}

    private static final long TIMEOUT_MS = 5_000;

    private final Admin admin;
    private final List<Stage> stages;
    private final List<String> topics;
    private final Consumer<Snapshot> sink;
    private final Duration every;
    private final Map<String, long[]> lastCommitted = new HashMap<>(); // group -> {sum, atMs}
    private volatile boolean stop;
    private Thread thread;
    private Snapshot last;

    public LagProbe(Map<String, Object> adminConfig, List<Stage> stages, List<String> topics, Consumer<Snapshot> sink,
            Duration every) {
        this.admin = Admin.create(adminConfig);
        this.stages = List.copyOf(stages);
        this.topics = List.copyOf(topics);
        this.sink = sink;
        this.every = every;
    }

    public LagProbe start() {
        thread = new Thread(this::loop, "satflow-console-lag");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    private void loop() {
        while (!stop) {
            long t0 = System.currentTimeMillis();
            sink.accept(probe(t0));
            try {
                Thread.sleep(Math.max(100, every.toMillis() - (System.currentTimeMillis() - t0)));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One round of look-ups; on failure the previous figures with the error. */
    Snapshot probe(long nowMs) {
        try {
            Map<String, TopicDescription> described = new LinkedHashMap<>();
            for (Map.Entry<String, KafkaFuture<TopicDescription>> e : admin.describeTopics(topics).topicNameValues()
                    .entrySet()) {
                try {
                    described.put(e.getKey(), get(e.getValue()));
                } catch (ExecutionException missing) {
                    // a topic that does not exist yet: nothing to measure
                }
            }
            List<TopicPartition> parts = new ArrayList<>();
            described.forEach((name, d) -> d.partitions().forEach(p -> parts.add(new TopicPartition(name, p.partition()))));
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            parts.forEach(tp -> {
                latest.put(tp, OffsetSpec.latest());
                earliest.put(tp, OffsetSpec.earliest());
            });
            Map<TopicPartition, ListOffsetsResultInfo> ends = get(admin.listOffsets(latest,
                    new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all());
            Map<TopicPartition, ListOffsetsResultInfo> begins = get(admin.listOffsets(earliest).all());
            Map<String, Long> spans = new LinkedHashMap<>();
            for (TopicPartition tp : parts) {
                spans.merge(tp.topic(), Math.max(0, ends.get(tp).offset() - begins.get(tp).offset()), Long::sum);
            }
            Set<String> groupIds = new LinkedHashSet<>();
            stages.forEach(s -> groupIds.add(s.group()));
            Map<String, ConsumerGroupDescription> groups = new HashMap<>();
            for (Map.Entry<String, KafkaFuture<ConsumerGroupDescription>> e : admin.describeConsumerGroups(groupIds)
                    .describedGroups().entrySet()) {
                try {
                    groups.put(e.getKey(), get(e.getValue()));
                } catch (ExecutionException unknown) {
                    // a group that does not exist: shown without members
                }
            }
            List<GroupLag> out = new ArrayList<>();
            for (Stage s : stages) {
                Map<TopicPartition, OffsetAndMetadata> committed = get(admin.listConsumerGroupOffsets(s.group())
                        .partitionsToOffsetAndMetadata());
                long lag = 0;
                long sum = 0;
                boolean started = false;
                for (TopicPartition tp : parts) {
                    if (!s.inputs().contains(tp.topic())) {
                        continue;
                    }
                    OffsetAndMetadata c = committed.get(tp);
                    long begin = begins.get(tp).offset();
                    long at = c == null ? begin : Math.max(begin, c.offset());
                    started |= c != null;
                    lag += Math.max(0, ends.get(tp).offset() - at);
                    sum += at;
                }
                long[] prev = lastCommitted.put(s.group(), new long[] {sum, nowMs});
                double rate = prev == null || nowMs <= prev[1] ? 0 : Math.max(0, 1000.0 * (sum - prev[0]) / (nowMs - prev[1]));
                ConsumerGroupDescription d = groups.get(s.group());
                int members = d == null ? 0 : d.members().size();
                String state = d == null ? "unknown" : String.valueOf(d.groupState()).toLowerCase(Locale.ROOT);
                out.add(new GroupLag(s.stage(), s.group(), s.inputs(), lag, started, members, state, rate));
            }
            last = new Snapshot(nowMs, out, spans, null);
            return last;
        } catch (RuntimeException | ExecutionException | TimeoutException e) {
            String msg = e.getCause() != null ? e.getCause().toString() : e.toString();
            return last == null ? new Snapshot(nowMs, List.of(), Map.of(), msg)
                    : new Snapshot(nowMs, last.groups(), last.topicRecords(), msg);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Snapshot(nowMs, List.of(), Map.of(), "interrupted");
        }
    }

    private static <T> T get(KafkaFuture<T> f) throws ExecutionException, InterruptedException, TimeoutException {
        return f.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        stop = true;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(TIMEOUT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        admin.close(Duration.ofSeconds(2));
    }
}
