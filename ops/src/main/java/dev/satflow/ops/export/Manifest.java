package dev.satflow.ops.export;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The provenance of an export, saved as {@code DIR/manifest.json}: where the questions came from (topics with
 * per-partition offset ranges), which generators made them, the scene seeds they cover, what was written (format,
 * counts per split and type, files and their sizes), the command line that rebuilds the export, the satflow
 * version and when it was made. Everything but {@code created_at} is the same for the same export.
 *
 * <p>The caller fills a {@link Builder} with what only it knows (sources, command, version);
 * {@link DatasetWriter#writeManifest(Builder)} adds the writer's {@link Summary} and saves it.
 */
public final class Manifest {
    /** Offsets {@code [startOffset, endOffset)} of one topic partition that the export read. */
    public record Source(String topic, int partition, long startOffset, long endOffset) {
        public Source {
            Objects.requireNonNull(topic, "topic");
            if (partition < 0 || startOffset < 0 || endOffset < startOffset) {
                throw new IllegalArgumentException("source " + topic + "-" + partition + " [" + startOffset + ", "
                        + endOffset + "): partition and offsets must be non-negative, end >= start");
            }
        }
    }

    private final String format;
    private final String satflowVersion;
    private final Instant createdAt;
    private final String command;
    private final List<Source> sources;
    private final SortedMap<String, SortedSet<String>> generatorVersions;
    private final Long minSceneSeed;
    private final Long maxSceneSeed;
    private final Summary summary;
    private final SortedMap<String, String> extra;

    private Manifest(Builder b) {
        this.summary = b.summary;
        this.format = b.summary == null ? null : b.summary.format().id();
        this.satflowVersion = b.satflowVersion;
        this.createdAt = b.createdAt == null ? Instant.now() : b.createdAt;
        this.command = b.command;
        List<Source> s = new ArrayList<>(b.sources.values());
        s.sort(Comparator.comparing(Source::topic).thenComparingInt(Source::partition));
        this.sources = List.copyOf(s);
        SortedMap<String, SortedSet<String>> v = new TreeMap<>();
        b.generatorVersions.forEach((k, set) -> v.computeIfAbsent(k, x -> new TreeSet<>()).addAll(set));
        Long min = b.minSceneSeed;
        Long max = b.maxSceneSeed;
        if (b.summary != null) {
            b.summary.generatorVersions().forEach((k, set) -> v.computeIfAbsent(k, x -> new TreeSet<>()).addAll(set));
            min = minOf(min, b.summary.minSceneSeed());
            max = maxOf(max, b.summary.maxSceneSeed());
        }
        v.replaceAll((k, set) -> Collections.unmodifiableSortedSet(set));
        this.generatorVersions = Collections.unmodifiableSortedMap(v);
        this.minSceneSeed = min;
        this.maxSceneSeed = max;
        this.extra = Collections.unmodifiableSortedMap(new TreeMap<>(b.extra));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The format's id, or null before a summary was added. */
    public String format() {
        return format;
    }

    public String satflowVersion() {
        return satflowVersion;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public String command() {
        return command;
    }

    /** Sorted by topic, then partition. */
    public List<Source> sources() {
        return sources;
    }

    public SortedMap<String, SortedSet<String>> generatorVersions() {
        return generatorVersions;
    }

    public Long minSceneSeed() {
        return minSceneSeed;
    }

    public Long maxSceneSeed() {
        return maxSceneSeed;
    }

    /** What the writer wrote, or null when none was added. */
    public Summary summary() {
        return summary;
    }

    public SortedMap<String, String> extra() {
        return extra;
    }

    /** The manifest as pretty-printed JSON (UTF-8 text, keys in a fixed order). */
    public String toJson() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator g = new JsonFactory().createGenerator(bytes, JsonEncoding.UTF8)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("format", format);
            g.writeStringField("satflow_version", satflowVersion);
            g.writeStringField("created_at", createdAt.toString());
            g.writeStringField("command", command);
            g.writeArrayFieldStart("sources");
            for (Source s : sources) {
                g.writeStartObject();
                g.writeStringField("topic", s.topic());
                g.writeNumberField("partition", s.partition());
                g.writeNumberField("start_offset", s.startOffset());
                g.writeNumberField("end_offset", s.endOffset());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("generator_versions");
            for (Map.Entry<String, SortedSet<String>> e : generatorVersions.entrySet()) {
                g.writeArrayFieldStart(e.getKey());
                for (String v : e.getValue()) {
                    g.writeString(v);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeFieldName("scene_seeds");
            if (minSceneSeed == null) {
                g.writeNull();
            } else {
                g.writeStartObject();
                g.writeNumberField("min", minSceneSeed);
                g.writeNumberField("max", maxSceneSeed);
                g.writeEndObject();
            }
            if (summary != null) {
                g.writeNumberField("questions", summary.questions());
                g.writeNumberField("duplicates_skipped", summary.duplicatesSkipped());
                g.writeObjectFieldStart("counts");
                counts(g, "by_split", summary.bySplit());
                counts(g, "by_type", summary.byType());
                g.writeObjectFieldStart("by_split_and_type");
                for (Map.Entry<String, SortedMap<String, Long>> e : summary.counts().entrySet()) {
                    counts(g, e.getKey(), e.getValue());
                }
                g.writeEndObject();
                g.writeEndObject();
                g.writeNumberField("images", summary.images());
                g.writeNumberField("image_bytes", summary.imageBytes());
                g.writeArrayFieldStart("files");
                for (Summary.FileEntry f : summary.files()) {
                    g.writeStartObject();
                    g.writeStringField("path", f.path());
                    g.writeNumberField("bytes", f.bytes());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeObjectFieldStart("extra");
            for (Map.Entry<String, String> e : extra.entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toString(StandardCharsets.UTF_8) + "\n";
    }

    private static void counts(JsonGenerator g, String name, Map<String, Long> counts) throws IOException {
        g.writeObjectFieldStart(name);
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    private static Long minOf(Long a, Long b) {
        return a == null ? b : b == null ? a : Long.valueOf(Math.min(a, b));
    }

    private static Long maxOf(Long a, Long b) {
        return a == null ? b : b == null ? a : Long.valueOf(Math.max(a, b));
    }

    /** Collects what the caller knows; the writer adds its summary. */
    public static final class Builder {
        private final Map<String, Source> sources = new TreeMap<>();
        private final SortedMap<String, SortedSet<String>> generatorVersions = new TreeMap<>();
        private final SortedMap<String, String> extra = new TreeMap<>();
        private String satflowVersion;
        private Instant createdAt;
        private String command;
        private Long minSceneSeed;
        private Long maxSceneSeed;
        private Summary summary;

        private Builder() {}

        /**
         * One partition read: offsets {@code [startOffset, endOffset)}. Giving the same partition again widens its
         * range to cover both.
         */
        public Builder source(String topic, int partition, long startOffset, long endOffset) {
            Source s = new Source(topic, partition, startOffset, endOffset);
            sources.merge(topic + "\u0000" + partition, s, (a, b) -> new Source(topic, partition,
                    Math.min(a.startOffset(), b.startOffset()), Math.max(a.endOffset(), b.endOffset())));
            return this;
        }

        /** A generator version seen, e.g. ("qa", "satflow-qa/2"); the writer adds the ones on the records. */
        public Builder generatorVersion(String role, String version) {
            generatorVersions.computeIfAbsent(Objects.requireNonNull(role, "role"), k -> new TreeSet<>())
                    .add(Objects.requireNonNull(version, "version"));
            return this;
        }

        /** Scene seeds covered (widened by the seeds on the records written). */
        public Builder sceneSeeds(long min, long max) {
            if (max < min) {
                throw new IllegalArgumentException("scene seeds [" + min + ", " + max + "]: max < min");
            }
            minSceneSeed = minOf(minSceneSeed, min);
            maxSceneSeed = maxOf(maxSceneSeed, max);
            return this;
        }

        /** The command line that rebuilds this export. */
        public Builder command(String commandLine) {
            this.command = commandLine;
            return this;
        }

        public Builder satflowVersion(String version) {
            this.satflowVersion = version;
            return this;
        }

        /** When the export was made (default: when {@link #build()} runs). */
        public Builder createdAt(Instant t) {
            this.createdAt = t;
            return this;
        }

        /** Any other key / value to record (e.g. a filter applied). */
        public Builder extra(String key, String value) {
            extra.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** What the writer wrote: format, counts, files, images; its versions and seeds are merged in. */
        public Builder summary(Summary s) {
            this.summary = Objects.requireNonNull(s, "summary");
            return this;
        }

        public Manifest build() {
            return new Manifest(this);
        }
    }
}
