package dev.satflow.ops.tap;

import dev.satflow.core.config.ConfigException;
import dev.satflow.contracts.AvroSerde;
import dev.satflow.contracts.Topic;
import dev.satflow.contracts.Topics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/**
 * Which records a tap prints: field filters (each option keeps records whose field is one of its
 * values; options combine with AND) and a sample that depends only on a record's coordinates, so
 * the same command prints the same records every time.
 */
final class TapSelection {
    /** A filter option and the string field of the value it reads. */
    enum Filter {
        TYPE("--type", "questionType"),
        SPLIT("--split", "split"),
        SCENE("--scene", "sceneId");

        final String option;
        final String field;

        Filter(String option, String field) {
            this.option = option;
            this.field = field;
        }
    }

    private final Map<Filter, Set<String>> filters;
    private final Map<Filter, Integer> positions;
    private final int sample;

    private TapSelection(Map<Filter, Set<String>> filters, Map<Filter, Integer> positions, int sample) {
        this.filters = filters;
        this.positions = positions;
        this.sample = sample;
    }

    static TapSelection all() {
        return new TapSelection(Map.of(), Map.of(), 1);
    }

    /**
     * The selection for a topic; a filter on a field the topic's records lack is a usage error that
     * names the option, the topic and the topics that do have the field.
     */
    static TapSelection of(Topics topics, Topic<String, ?> topic, Map<Filter, List<String>> wanted, int sample) {
        if (sample < 1) {
            throw new ConfigException("--sample " + sample + ": must be 1 or more (1 in N records)");
        }
        Schema schema = schema(topic);
        Map<Filter, Set<String>> filters = new LinkedHashMap<>();
        Map<Filter, Integer> positions = new LinkedHashMap<>();
        for (Map.Entry<Filter, List<String>> e : wanted.entrySet()) {
            if (e.getValue() == null || e.getValue().isEmpty()) {
                continue;
            }
            Filter f = e.getKey();
            if (!hasStringField(schema, f.field)) {
                List<String> with = new ArrayList<>();
                for (Topic<String, ?> t : topics.all()) {
                    if (hasStringField(schema(t), f.field)) {
                        with.add(t.name());
                    }
                }
                throw new ConfigException(f.option + " filters on the " + f.field + " field, which "
                        + topic.name() + " records do not have (topics with it: " + String.join(", ", with) + ")");
            }
            filters.put(f, new LinkedHashSet<>(e.getValue()));
            positions.put(f, schema.getField(f.field).pos());
        }
        return new TapSelection(filters, positions, sample);
    }

    static Schema schema(Topic<String, ?> topic) {
        if (topic.valueSerde() instanceof AvroSerde<?> avro) {
            return avro.schema();
        }
        throw new IllegalStateException(topic.name() + " has no Avro value serde");
    }

    private static boolean hasStringField(Schema schema, String name) {
        Schema.Field f = schema.getField(name);
        if (f == null) {
            return false;
        }
        Schema s = f.schema();
        if (s.getType() == Schema.Type.UNION) {
            return s.getTypes().stream().anyMatch(b -> b.getType() == Schema.Type.STRING);
        }
        return s.getType() == Schema.Type.STRING;
    }

    /** About 1 in {@code sample} records, by a hash of (partition, offset): the same ones on every run. */
    boolean sampled(int partition, long offset) {
        return sampled(partition, offset, sample);
    }

    static boolean sampled(int partition, long offset, int sample) {
        return sample <= 1 || Long.remainderUnsigned(mix(mix(partition) ^ offset), sample) == 0;
    }

    /** A decoded value passes every filter. */
    boolean keep(IndexedRecord value) {
        for (Map.Entry<Filter, Set<String>> e : filters.entrySet()) {
            Object v = value.get(positions.get(e.getKey()));
            if (v == null || !e.getValue().contains(v.toString())) {
                return false;
            }
        }
        return true;
    }

    /**
     * A record whose value cannot be read (undecodable, or a tombstone) is kept unless its key rules
     * it out: topics with a sceneId field are keyed by it, so --scene still applies; the other
     * filters cannot be decided, and a broken record is never hidden for that.
     */
    boolean keepUnread(String key) {
        Set<String> scenes = filters.get(Filter.SCENE);
        return scenes == null || (key != null && scenes.contains(key));
    }

    /** SplitMix64's finaliser: every input bit moves every output bit. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
