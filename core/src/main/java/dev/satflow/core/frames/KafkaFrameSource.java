package dev.satflow.core.frames;

import dev.satflow.contracts.Topic;
import dev.satflow.core.kafka.KafkaClients;
import dev.satflow.schema.Frame;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads frames by coordinates from the frames topic with its own consumer (assigned partitions, no
 * group, nothing committed, read_committed), keeping recently read frames in a cache bounded in
 * bytes. A seek fetches a run of neighbouring records, and a scene's frames sit together in one
 * partition, so resolving questions in topic order mostly hits the cache.
 *
 * <p>Not thread-safe (one KafkaConsumer); use one per thread.
 */
public final class KafkaFrameSource implements FrameSource {
    private static final Duration POLL = Duration.ofMillis(200);
    private static final long TIMEOUT_MS = 30_000;

    private final KafkaConsumer<String, byte[]> consumer;
    private final Topic<String, Frame> topic;
    private final long cacheBytes;
    private final LinkedHashMap<FrameCoordinates, Frame> cache = new LinkedHashMap<>(256, 0.75f, true);
    private long cached;
    private long reads;
    private long hits;

    /** @param cacheBytes most image bytes kept in the cache (frames are evicted least recently used first) */
    public KafkaFrameSource(String bootstrap, Topic<String, Frame> topic, String clientId, long cacheBytes) {
        this.consumer = new KafkaConsumer<>(KafkaClients.consumer(bootstrap, null, clientId), new StringDeserializer(),
                new ByteArrayDeserializer());
        this.topic = topic;
        this.cacheBytes = cacheBytes;
    }

    @Override
    public Map<FrameCoordinates, Frame> fetch(Collection<FrameCoordinates> wanted) {
        Map<FrameCoordinates, Frame> out = new HashMap<>();
        Map<TopicPartition, TreeSet<Long>> missing = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        for (FrameCoordinates c : wanted) {
            Frame f = cache.get(c);
            reads++;
            if (f != null) {
                hits++;
                out.put(c, f);
            } else if (c.topic().equals(topic.name())) {
                missing.computeIfAbsent(new TopicPartition(c.topic(), c.partition()), k -> new TreeSet<>()).add(c.offset());
            }
        }
        missing.forEach((tp, offsets) -> read(tp, offsets, out));
        return out;
    }

    /** Share of lookups served from the cache so far. */
    public double hitRate() {
        return reads == 0 ? 0 : (double) hits / reads;
    }

    private void read(TopicPartition tp, TreeSet<Long> offsets, Map<FrameCoordinates, Frame> out) {
        consumer.assign(List.of(tp));
        long end = consumer.endOffsets(List.of(tp)).get(tp);
        long begin = consumer.beginningOffsets(List.of(tp)).get(tp);
        for (long want : offsets) {
            FrameCoordinates c = new FrameCoordinates(tp.topic(), tp.partition(), want);
            if (out.containsKey(c) || want < begin || want >= end) {
                continue;
            }
            Frame hit = cache.get(c);
            if (hit != null) {
                out.put(c, hit);
                continue;
            }
            consumer.seek(tp, want);
            long deadline = System.currentTimeMillis() + TIMEOUT_MS;
            // read_committed skips transaction markers and aborted records: stop once past the offset
            while (consumer.position(tp) <= want && consumer.position(tp) < end
                    && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
                    Frame f = decode(r);
                    if (f == null) {
                        continue;
                    }
                    FrameCoordinates rc = new FrameCoordinates(r.topic(), r.partition(), r.offset());
                    put(rc, f);
                    if (offsets.contains(r.offset())) {
                        out.put(rc, f);
                    }
                }
            }
        }
    }

    private Frame decode(ConsumerRecord<String, byte[]> r) {
        try {
            return topic.valueSerde().deserializer().deserialize(r.topic(), r.value());
        } catch (RuntimeException e) {
            return null; // not a frame: the reference resolves to nothing, and the caller says so
        }
    }

    private void put(FrameCoordinates c, Frame f) {
        if (cache.containsKey(c)) {
            return;
        }
        cache.put(c, f);
        cached += f.getImage().remaining();
        var it = cache.entrySet().iterator();
        while (cached > cacheBytes && it.hasNext()) {
            var eldest = it.next();
            if (eldest.getKey().equals(c)) {
                break;
            }
            cached -= eldest.getValue().getImage().remaining();
            it.remove();
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
