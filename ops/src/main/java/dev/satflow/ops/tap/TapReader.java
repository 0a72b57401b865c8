package dev.satflow.ops.tap;

import dev.satflow.core.config.ConfigException;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.satflow.contracts.Topic;
import dev.satflow.core.kafka.KafkaClients;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic for {@code satflow tap}: assigned partitions (no group.id, nothing committed, so it
 * never joins or moves a pipeline's consumer group), read_committed, from a chosen start up to the
 * end as of the start, or on and on with --follow until --max records or Ctrl-C (a shutdown hook
 * wakes the consumer and waits for it to close).
 */
final class TapReader {
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    /** Where reading starts in every partition. */
    record Start(Kind kind, long value) {
        enum Kind { BEGINNING, END, OFFSET, TIME }

        static Start beginning() {
            return new Start(Kind.BEGINNING, 0);
        }

        static Start end() {
            return new Start(Kind.END, 0);
        }

        /** Offset N, clamped to each partition's range; a negative N counts back from the end. */
        static Start offset(long n) {
            return new Start(Kind.OFFSET, n);
        }

        /** The first record at or after this time (epoch ms), per partition. */
        static Start time(long epochMs) {
            return new Start(Kind.TIME, epochMs);
        }
    }

    record Settings(String bootstrap, Topic<String, ?> topic, List<Integer> partitions, Start start, boolean follow,
            long max, TapSelection selection) {}

    record Summary(long read, long printed, long undecodable, boolean interrupted) {}

    /** A record's JSON line, and whether it says the value was undecodable. */
    record Line(String json, boolean undecodable) {}

    private final Settings s;
    private final PrintStream out;
    private final OutputStream buffer;
    private final PrintWriter err;
    private final Schema schema;
    private final AtomicBoolean stop = new AtomicBoolean();
    private long read;
    private long printed;
    private long undecodable;
    /** Past the checks of the settings: from here on a summary is printed, however it ends. */
    private boolean started;

    private TapReader(Settings s, PrintStream out, PrintWriter err) {
        this.s = s;
        this.out = out;
        this.buffer = new BufferedOutputStream(out, 1 << 16);
        this.err = err;
        this.schema = TapSelection.schema(s.topic());
    }

    /**
     * Prints the selected records as JSON lines to {@code out} (flushed after every poll, so a
     * follower sees records as they come) and a one-line summary to {@code err}.
     */
    static Summary run(Settings s, PrintStream out, PrintWriter err) {
        return new TapReader(s, out, err).run();
    }

    private Summary run() {
        Map<String, Object> cc = KafkaClients.consumer(s.bootstrap(), null,
                "satflow-tap-" + s.topic().name() + "-" + ProcessHandle.current().pid() + "-"
                        + INSTANCES.incrementAndGet());
        cc.remove(ConsumerConfig.GROUP_ID_CONFIG);
        cc.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(cc, new StringDeserializer(),
                new ByteArrayDeserializer());
        CountDownLatch closed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.set(true);
            consumer.wakeup();
            try {
                closed.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "satflow-tap-shutdown");
        boolean hooked = addShutdownHook(hook);
        boolean interrupted = true;
        try {
            interrupted = read(consumer);
        } finally {
            try {
                flush();
                consumer.close();
                interrupted |= stop.get();
                // before the latch: once it opens, a shutdown hook returns and the JVM may halt
                if (started) {
                    err.printf("tap %s: %d record%s printed, %d read%s%s%n", s.topic().name(), printed,
                            printed == 1 ? "" : "s", read, undecodable > 0 ? ", " + undecodable + " undecodable" : "",
                            interrupted ? " (stopped)" : "");
                    err.flush();
                }
            } finally {
                closed.countDown();
                if (hooked) {
                    removeShutdownHook(hook);
                }
            }
        }
        return new Summary(read, printed, undecodable, interrupted);
    }

    /** The loop; returns true when stopped from outside (Ctrl-C, closed output) rather than by end or --max. */
    private boolean read(KafkaConsumer<String, byte[]> c) {
        List<TopicPartition> parts = partitions(c);
        c.assign(parts);
        started = true;
        try {
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            Map<TopicPartition, Long> from = start(c, parts, end);
            from.forEach(c::seek);
            Set<TopicPartition> behind = new LinkedHashSet<>();
            for (TopicPartition tp : parts) {
                if (from.get(tp) < end.get(tp)) {
                    behind.add(tp);
                }
            }
            if (!s.follow()) {
                c.pause(without(parts, behind));
            } else if (behind.isEmpty()) {
                caughtUp();
            }
            Duration pollFor = Duration.ofMillis(s.follow() ? 500 : 200);
            while (!stop.get()) {
                if (!s.follow() && behind.isEmpty()) {
                    return false;
                }
                ConsumerRecords<String, byte[]> batch = c.poll(pollFor);
                for (TopicPartition tp : batch.partitions()) {
                    long stopAt = s.follow() ? Long.MAX_VALUE : end.get(tp);
                    for (ConsumerRecord<String, byte[]> r : batch.records(tp)) {
                        if (r.offset() >= stopAt) {
                            break;
                        }
                        if (handle(r) && printed >= s.max()) {
                            return false;
                        }
                    }
                }
                if (!flush()) {
                    return true; // the reader went away (a closed pipe)
                }
                if (!behind.isEmpty()) {
                    for (TopicPartition tp : List.copyOf(behind)) {
                        if (c.position(tp) >= end.get(tp)) {
                            behind.remove(tp);
                            if (!s.follow()) {
                                c.pause(List.of(tp));
                            }
                        }
                    }
                    if (s.follow() && behind.isEmpty()) {
                        caughtUp();
                    }
                }
            }
            return true;
        } catch (WakeupException e) {
            if (stop.get()) {
                return true;
            }
            throw e;
        }
    }

    private void caughtUp() {
        err.printf("tap %s: caught up (%d read, %d printed); following, Ctrl-C to stop%n", s.topic().name(), read,
                printed);
        err.flush();
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, byte[]> c) {
        List<PartitionInfo> infos = c.partitionsFor(s.topic().name());
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + s.topic().name() + " has no partitions (does it exist?)");
        }
        int count = infos.size();
        List<TopicPartition> parts = new ArrayList<>();
        if (s.partitions() == null || s.partitions().isEmpty()) {
            for (int p = 0; p < count; p++) {
                parts.add(new TopicPartition(s.topic().name(), p));
            }
            return parts;
        }
        for (int p : new LinkedHashSet<>(s.partitions())) {
            if (p < 0 || p >= count) {
                throw new ConfigException("--partition " + p + ": " + s.topic().name() + " has partitions 0-"
                        + (count - 1));
            }
            parts.add(new TopicPartition(s.topic().name(), p));
        }
        return parts;
    }

    private Map<TopicPartition, Long> start(KafkaConsumer<String, byte[]> c, List<TopicPartition> parts,
            Map<TopicPartition, Long> end) {
        Map<TopicPartition, Long> begin = c.beginningOffsets(parts);
        Map<TopicPartition, Long> from = new LinkedHashMap<>();
        Map<TopicPartition, OffsetAndTimestamp> byTime = null;
        if (s.start().kind() == Start.Kind.TIME) {
            Map<TopicPartition, Long> query = new LinkedHashMap<>();
            parts.forEach(tp -> query.put(tp, s.start().value()));
            byTime = c.offsetsForTimes(query);
        }
        for (TopicPartition tp : parts) {
            long b = begin.get(tp);
            long e = end.get(tp);
            long n = s.start().value();
            long at = switch (s.start().kind()) {
                case BEGINNING -> b;
                case END -> e;
                case OFFSET -> n >= 0 ? n : e + n;
                case TIME -> {
                    OffsetAndTimestamp found = byTime.get(tp);
                    yield found == null ? e : found.offset(); // nothing that late yet: start at the end
                }
            };
            from.put(tp, Math.max(b, Math.min(e, at)));
        }
        return from;
    }

    /** Prints the record if it is selected; returns whether it printed. */
    private boolean handle(ConsumerRecord<String, byte[]> r) {
        read++;
        if (!s.selection().sampled(r.partition(), r.offset())) {
            return false;
        }
        Object value = null;
        RuntimeException error = null;
        if (r.value() != null) {
            try {
                value = s.topic().valueSerde().deserializer().deserialize(r.topic(), r.value());
            } catch (RuntimeException e) {
                error = e;
            }
        }
        if (value instanceof IndexedRecord record ? !s.selection().keep(record) : !s.selection().keepUnread(r.key())) {
            return false;
        }
        Line line = line(r, value, error, schema);
        if (line.undecodable()) {
            undecodable++;
        }
        try {
            buffer.write(line.json().getBytes(StandardCharsets.US_ASCII));
            buffer.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        printed++;
        return true;
    }

    /** Flushes the output; false when it can take no more (a PrintStream swallows errors, so ask it). */
    private boolean flush() {
        try {
            buffer.flush();
        } catch (IOException e) {
            return false;
        }
        return !out.checkError();
    }

    /**
     * One record as one JSON line: {@code {"topic","partition","offset","timestamp","key","value"}},
     * the value written from its schema with bytes described. A value that will not decode (or will
     * not write) becomes {@code "value": {"undecodable": "<reason>", "bytes": N}}.
     */
    static Line line(ConsumerRecord<String, byte[]> r, Object value, RuntimeException error, Schema schema) {
        try {
            return new Line(write(r, value, error, schema), error != null);
        } catch (IOException | RuntimeException e) {
            if (error != null || value == null) {
                throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
            }
            return line(r, null, new IllegalStateException("cannot write as JSON: " + e, e), schema);
        }
    }

    private static String write(ConsumerRecord<String, byte[]> r, Object value, RuntimeException error, Schema schema)
            throws IOException {
        StringWriter w = new StringWriter(512);
        try (JsonGenerator g = AvroJson.generator(w)) {
            g.writeStartObject();
            g.writeStringField("topic", r.topic());
            g.writeNumberField("partition", r.partition());
            g.writeNumberField("offset", r.offset());
            g.writeFieldName("timestamp");
            if (r.timestamp() >= 0) {
                g.writeNumber(r.timestamp());
            } else {
                g.writeNull();
            }
            g.writeFieldName("key");
            if (r.key() == null) {
                g.writeNull();
            } else {
                g.writeString(r.key());
            }
            g.writeFieldName("value");
            if (error != null) {
                g.writeStartObject();
                g.writeStringField("undecodable", reason(error));
                g.writeNumberField("bytes", r.value() == null ? 0 : r.value().length);
                g.writeEndObject();
            } else {
                AvroJson.write(g, schema, value);
            }
            g.writeEndObject();
        }
        return w.toString();
    }

    private static String reason(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getName() : m;
    }

    private static List<TopicPartition> without(List<TopicPartition> all, Set<TopicPartition> some) {
        List<TopicPartition> rest = new ArrayList<>(all);
        rest.removeAll(some);
        return rest;
    }

    private static boolean addShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().addShutdownHook(hook);
            return true;
        } catch (IllegalStateException e) {
            return false; // already shutting down
        }
    }

    private static void removeShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down: the hook is running and waits for us
        }
    }
}
