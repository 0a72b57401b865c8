package dev.satflow.ops.tap;

import dev.satflow.core.config.ConfigException;
import dev.satflow.contracts.Topic;
import dev.satflow.contracts.Topics;
import dev.satflow.core.config.Config;
import dev.satflow.core.frames.KafkaFrameSource;
import dev.satflow.core.frames.QuestionImages;
import dev.satflow.ops.Cluster;
import dev.satflow.ops.StackOptions;
import dev.satflow.ops.stages.TopicScan;
import dev.satflow.qa.questions.QuestionTypes;
import dev.satflow.schema.Frame;
import dev.satflow.schema.SceneSpec;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.avro.specific.SpecificRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * Looks at what a topic holds, the way kcat or kafka-console-consumer would but typed: one JSON line
 * per record built from its Avro schema (bytes described, not printed), from a chosen start, filtered
 * and sampled, up to the end or on with --follow; or an HTML page with the images (--html).
 */
@Command(name = "tap", mixinStandardHelpOptions = true,
        description = {"Print a topic's records as JSON lines: {\"topic\",\"partition\",\"offset\",\"timestamp\",\"key\","
                + "\"value\"}, bytes fields shown as \"<N bytes>\" (\"<png WxH, N bytes>\" for images); a record that will "
                + "not decode prints \"value\": {\"undecodable\": reason, \"bytes\": N} and the tap goes on. Reads from the "
                + "start to the end as of now, or with --follow on until --max or Ctrl-C. Never joins a consumer group "
                + "or commits offsets. A summary goes to stderr.",
            "Or --html DIR: a page of the first --max records (frames with their object boxes, questions with "
                + "their images)."})
public final class TapCommand implements Callable<Integer> {
    @Mixin
    StackOptions stack;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TOPIC", description = "e.g. satflow.frames.v1, satflow.qa.v2, satflow.dlq.v1")
    String topicName;

    @Option(names = "--follow", description = "After the current end, keep printing records as they arrive "
            + "(until --max records or Ctrl-C).")
    boolean follow;

    @Option(names = "--from-offset", paramLabel = "N", description = "Start every partition at offset N (clamped to "
            + "the partition's range); a negative N starts N records before each partition's end.")
    Long fromOffset;

    @Option(names = "--from-time", paramLabel = "TIME", converter = TimeConverter.class, description = "Start every "
            + "partition at its first record with a timestamp at or after TIME: ISO-8601 (2024-05-01T12:00:00Z, "
            + "2024-05-01T14:00+02:00, 2024-05-01; no zone = UTC) or epoch milliseconds.")
    Long fromTime;

    @Option(names = "--from-end", description = "Start at the end (with --follow: only new records).")
    boolean fromEnd;

    @Option(names = "--type", paramLabel = "T", split = ",", description = "Only questions of these types "
            + "(repeat or comma-separate; QA topics).")
    List<String> types;

    @Option(names = "--split", paramLabel = "S", split = ",", description = "Only records of these splits "
            + "(train, val, test; topics with a split field: QA, scenes, eval).")
    List<String> splits;

    @Option(names = "--scene", paramLabel = "ID", split = ",", description = "Only records of these scenes "
            + "(topics with a sceneId field: scenes, frames, QA).")
    List<String> scenes;

    @Option(names = "--partition", paramLabel = "P", split = ",", description = "Only these partitions.")
    List<Integer> partitions;

    @Option(names = "--sample", paramLabel = "N", description = "Print about 1 in N records, chosen by a hash of "
            + "(partition, offset): the same records every time.")
    int sample = 1;

    @Option(names = "--max", paramLabel = "N", description = "Print at most N records (default: all; 200 with --html).")
    Long max;

    @Option(names = "--html", paramLabel = "DIR", description = "Write DIR/index.html (frames and qa topics).")
    Path html;

    @Override
    public Integer call() {
        TapReader.Start start = start();
        if (max != null && max < 1) {
            throw new ConfigException("--max " + max + ": must be 1 or more");
        }
        if (sample < 1) {
            throw new ConfigException("--sample " + sample + ": must be 1 or more (1 in N records)");
        }
        if (html != null) {
            refuseWithHtml();
        }
        checkTypes();
        Config config = stack.load(Map.of());
        try (Cluster cluster = Cluster.connect(config)) {
            Topic<String, ? extends SpecificRecord> topic = find(cluster.topics(), topicName);
            if (html != null) {
                Path page = writeHtml(cluster, topic, html, max == null ? 200 : (int) Math.min(max, Integer.MAX_VALUE));
                System.out.println("wrote " + page.toAbsolutePath());
                return 0;
            }
            Map<TapSelection.Filter, List<String>> filters = new EnumMap<>(TapSelection.Filter.class);
            filters.put(TapSelection.Filter.TYPE, types);
            filters.put(TapSelection.Filter.SPLIT, splits);
            filters.put(TapSelection.Filter.SCENE, scenes);
            TapSelection selection = TapSelection.of(cluster.topics(), topic, filters, sample);
            TapReader.run(new TapReader.Settings(cluster.bootstrap(), topic, partitions, start, follow,
                    max == null ? Long.MAX_VALUE : max, selection), System.out, spec.commandLine().getErr());
            return 0;
        }
    }

    private TapReader.Start start() {
        List<String> given = new ArrayList<>();
        if (fromOffset != null) {
            given.add("--from-offset");
        }
        if (fromTime != null) {
            given.add("--from-time");
        }
        if (fromEnd) {
            given.add("--from-end");
        }
        if (given.size() > 1) {
            throw new ConfigException(String.join(" and ", given) + ": give one start at most");
        }
        if (fromOffset != null) {
            return TapReader.Start.offset(fromOffset);
        }
        if (fromTime != null) {
            return TapReader.Start.time(fromTime);
        }
        return fromEnd ? TapReader.Start.end() : TapReader.Start.beginning();
    }

    private void refuseWithHtml() {
        List<String> given = new ArrayList<>();
        if (follow) {
            given.add("--follow");
        }
        if (fromOffset != null || fromTime != null || fromEnd) {
            given.add("--from-*");
        }
        for (var o : List.of(Map.entry("--type", nonNull(types)), Map.entry("--split", nonNull(splits)),
                Map.entry("--scene", nonNull(scenes)), Map.entry("--partition", nonNull(partitions)))) {
            if (!o.getValue().isEmpty()) {
                given.add(o.getKey());
            }
        }
        if (sample != 1) {
            given.add("--sample");
        }
        if (!given.isEmpty()) {
            throw new ConfigException("--html writes a page of a topic's first --max records; it does not "
                    + "take " + String.join(", ", given));
        }
    }

    private void checkTypes() {
        List<String> known = new ArrayList<>(QuestionTypes.STATIC);
        known.addAll(QuestionTypes.DYNAMIC);
        for (String t : nonNull(types)) {
            if (!known.contains(t)) {
                throw new ConfigException("--type " + t + ": not a satflow question type; types: "
                        + String.join(", ", known));
            }
        }
    }

    private static <T> List<T> nonNull(List<T> l) {
        return l == null ? List.of() : l;
    }

    static Topic<String, ? extends SpecificRecord> find(Topics topics, String name) {
        return topics.all().stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new ConfigException("unknown topic '" + name + "'; satflow topics: "
                        + topics.all().stream().map(Topic::name).toList()));
    }

    /** ISO-8601 instant, offset or zoned date-time, local date-time or date (UTC), or epoch milliseconds. */
    public static long parseTime(String text) {
        String t = text.trim();
        if (t.matches("\\d{1,18}")) {
            return Long.parseLong(t);
        }
        List<java.util.function.Function<String, Instant>> parsers = List.of(Instant::parse,
                s -> OffsetDateTime.parse(s).toInstant(), s -> ZonedDateTime.parse(s).toInstant(),
                s -> LocalDateTime.parse(s).toInstant(ZoneOffset.UTC),
                s -> LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant());
        for (var p : parsers) {
            try {
                return p.apply(t).toEpochMilli();
            } catch (DateTimeException | ArithmeticException e) {
                // try the next form
            }
        }
        throw new ConfigException("'" + text + "' is neither an ISO-8601 time (2024-05-01T12:00:00Z, "
                + "2024-05-01T14:00+02:00, 2024-05-01) nor epoch milliseconds");
    }

    static final class TimeConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return parseTime(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    @SuppressWarnings("unchecked")
    public static Path writeHtml(Cluster cluster, Topic<String, ? extends SpecificRecord> topic, Path dir, int max) {
        Topics topics = cluster.topics();
        if (topic.name().equals(topics.frames().name())) {
            List<Frame> frames = first(cluster.bootstrap(), topics.frames(), max);
            Set<String> ids = new LinkedHashSet<>();
            frames.forEach(f -> ids.add(f.getSceneId()));
            Map<String, SceneSpec> specs = new HashMap<>();
            TopicScan.scan(cluster.bootstrap(), topics.scenes(), e -> {
                if (e.value() != null && ids.contains(e.value().getSceneId())) {
                    specs.put(e.value().getSceneId(), e.value());
                }
                return specs.size() < ids.size();
            });
            return FrameGallery.write(dir, frames, specs);
        }
        if (topic.name().equals(topics.qa().name())) {
            try (QuestionImages images = new QuestionImages(new KafkaFrameSource(cluster.bootstrap(), topics.frames(),
                    "satflow-tap-frames", 64L * 1024 * 1024))) {
                return QaGallery.write(dir, first(cluster.bootstrap(), topics.qa(), max), 12, images);
            }
        }
        throw new ConfigException("--html pages exist for " + topics.frames().name() + " and "
                + topics.qa().name() + ", not " + topic.name());
    }

    private static <V> List<V> first(String bootstrap, Topic<String, V> topic, int max) {
        List<V> out = new ArrayList<>();
        TopicScan.scan(bootstrap, topic, e -> {
            if (e.value() != null) {
                out.add(e.value());
            }
            return out.size() < max;
        });
        return out;
    }
}
