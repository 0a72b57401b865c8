package dev.satflow.ops.export;

import dev.satflow.core.config.ConfigException;
import dev.satflow.contracts.Topic;
import dev.satflow.contracts.Topics;
import dev.satflow.core.config.Config;
import dev.satflow.core.frames.KafkaFrameSource;
import dev.satflow.core.frames.QuestionImages;
import dev.satflow.core.kafka.KafkaClients;
import dev.satflow.ops.Cluster;
import dev.satflow.ops.Progress;
import dev.satflow.ops.StackOptions;
import dev.satflow.ops.stages.TopicSizes;
import dev.satflow.ops.tap.TapCommand;
import dev.satflow.schema.QaRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Writes the QA topic (or a range of it) as files VLM trainers read: the HF {@code array/SAT}
 * Parquet columns, LLaVA conversation JSON, WebDataset shards or JSON lines, with every question's
 * frames resolved and its marks drawn, and a manifest naming the exact offset range read and the
 * command that rebuilds the same export. Reads with its own consumer (assigned partitions, nothing
 * committed).
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export questions with their marked images: sat-parquet (HF array/SAT columns), llava, "
                + "webdataset or jsonl, plus manifest.json (offset ranges, versions, counts, rebuild command).")
public final class ExportCommand implements Callable<Integer> {
    @Mixin
    StackOptions stack;

    @Option(names = "--format", required = true, paramLabel = "FORMAT",
            description = "sat-parquet, llava, webdataset or jsonl.")
    String format;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write (must be empty).")
    Path out;

    @Option(names = "--split", split = ",", paramLabel = "SPLIT", description = "Only these splits (train, val, test).")
    List<String> splits = new ArrayList<>();

    @Option(names = "--types", split = ",", paramLabel = "TYPE", description = "Only these question types.")
    List<String> types = new ArrayList<>();

    @Option(names = "--topic", paramLabel = "TOPIC", description = "QA topic to read (default satflow.qa.v2; e.g. a "
            + "replayed satflow.qa.v3).")
    String topicName;

    @Option(names = "--from-offsets", paramLabel = "P:O,...",
            description = "Start offsets per partition (P:O pairs, or one offset for every partition); default: the start.")
    String fromOffsets;

    @Option(names = "--to-offsets", paramLabel = "P:O,...",
            description = "End offsets per partition, exclusive; default: the end as of the start of the export.")
    String toOffsets;

    @Option(names = "--from-time", paramLabel = "TIME",
            description = "Start at the first record written at or after TIME (ISO-8601 or epoch ms).")
    String fromTime;

    @Option(names = "--overwrite", description = "Write into a non-empty DIR.")
    boolean overwrite;

    @Override
    public Integer call() throws IOException {
        Format f = Format.parse(format);
        if (fromOffsets != null && fromTime != null) {
            throw new ConfigException("--from-offsets and --from-time: give one");
        }
        Config config = stack.load(Map.of());
        try (Cluster cluster = Cluster.connect(config)) {
            Topics topics = topicName == null ? cluster.topics() : cluster.topics().withQa(topicName);
            Topic<String, QaRecord> topic = topics.qa();
            Map<String, Object> cc = KafkaClients.consumer(cluster.bootstrap(), null, "satflow-export");
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(cc, new StringDeserializer(),
                    new ByteArrayDeserializer());
                    QuestionImages images = new QuestionImages(new KafkaFrameSource(cluster.bootstrap(),
                            topics.frames(), "satflow-export-frames", 256L * 1024 * 1024));
                    DatasetWriter writer = DatasetWriters.open(f, out, Options.defaults().withOverwrite(overwrite));
                    PaintedImages painter = new PaintedImages(images, Runtime.getRuntime().availableProcessors())) {
                List<TopicPartition> parts = new ArrayList<>();
                for (PartitionInfo p : consumer.partitionsFor(topic.name())) {
                    parts.add(new TopicPartition(p.topic(), p.partition()));
                }
                consumer.assign(parts);
                Map<TopicPartition, Long> start = starts(consumer, parts);
                Map<TopicPartition, Long> end = ends(consumer, parts);
                long total = 0;
                for (TopicPartition tp : parts) {
                    total += Math.max(0, end.get(tp) - start.get(tp));
                    consumer.seek(tp, start.get(tp));
                }
                Set<String> wantSplits = new LinkedHashSet<>(splits);
                Set<String> wantTypes = new LinkedHashSet<>(types);
                Progress progress = new Progress(System.err, "export " + f.id() + " records", total);
                long read = 0;
                long written = 0;
                long skipped = 0;
                while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                    List<QaRecord> batch = new ArrayList<>();
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                        if (r.offset() >= end.get(tp)) {
                            continue;
                        }
                        read++;
                        QaRecord q;
                        try {
                            q = topic.valueSerde().deserializer().deserialize(r.topic(), r.value());
                        } catch (RuntimeException e) {
                            skipped++;
                            System.err.printf("skipping %s-%d@%d: %s%n", r.topic(), r.partition(), r.offset(),
                                    e.getMessage());
                            continue;
                        }
                        if ((wantSplits.isEmpty() || wantSplits.contains(q.getSplit()))
                                && (wantTypes.isEmpty() || wantTypes.contains(q.getQuestionType()))) {
                            batch.add(q);
                        }
                    }
                    for (PaintedImages.Resolved r : painter.paint(batch)) {
                        try {
                            if (r.error() != null) {
                                throw new IllegalArgumentException(r.error());
                            }
                            writer.write(r.question(), r.images());
                            written++;
                        } catch (IllegalArgumentException e) {
                            skipped++;
                            System.err.printf("skipping %s: %s%n", r.question().getQaId(), e.getMessage());
                        }
                    }
                    progress.update(read);
                }
                progress.done();
                Summary summary = writer.finish();
                Manifest.Builder manifest = Manifest.builder().command(rebuild(f, topic.name(), start, end))
                        .satflowVersion("0.1.0").createdAt(Instant.now());
                for (TopicPartition tp : parts) {
                    manifest.source(tp.topic(), tp.partition(), start.get(tp), end.get(tp));
                }
                manifest.extra("frames_topic", topics.frames().name());
                Path file = writer.writeManifest(manifest);
                System.out.printf(Locale.ROOT, "%s: %d questions (%d skipped), %d images, %s in %s%n", f.id(),
                        written, skipped, summary.images(), TopicSizes.human(summary.totalBytes()), out);
                System.out.println("by split: " + summary.bySplit() + "; manifest: " + file);
            }
        }
        return 0;
    }

    private Map<TopicPartition, Long> starts(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> parts) {
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(parts);
        Map<TopicPartition, Long> out = new HashMap<>(begin);
        if (fromTime != null) {
            long t = TapCommand.parseTime(fromTime);
            Map<TopicPartition, Long> query = new HashMap<>();
            parts.forEach(tp -> query.put(tp, t));
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            parts.forEach(tp -> out.put(tp, found.get(tp) == null ? end.get(tp) : found.get(tp).offset()));
        } else if (fromOffsets != null) {
            out.putAll(offsets("--from-offsets", fromOffsets, parts));
        }
        parts.forEach(tp -> out.put(tp, Math.max(begin.get(tp), out.get(tp))));
        return out;
    }

    private Map<TopicPartition, Long> ends(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> parts) {
        Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(parts));
        if (toOffsets != null) {
            offsets("--to-offsets", toOffsets, parts).forEach((tp, o) -> end.put(tp, Math.min(end.get(tp), o)));
        }
        return end;
    }

    /** "3:120,4:0" or one offset for every partition. */
    static Map<TopicPartition, Long> offsets(String option, String text, List<TopicPartition> parts) {
        Map<TopicPartition, Long> out = new HashMap<>();
        try {
            if (!text.contains(":")) {
                long o = Long.parseLong(text.trim());
                parts.forEach(tp -> out.put(tp, o));
                return out;
            }
            for (String pair : text.split(",")) {
                String[] pv = pair.trim().split(":");
                int p = Integer.parseInt(pv[0].trim());
                TopicPartition tp = parts.stream().filter(x -> x.partition() == p).findFirst()
                        .orElseThrow(() -> new ConfigException(option + " = '" + text + "': no partition " + p));
                out.put(tp, Long.parseLong(pv[1].trim()));
            }
            return out;
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new ConfigException(option + " = '" + text + "': expected P:O pairs (3:120,4:0) or one offset");
        }
    }

    /** The command that writes the same export again, offsets pinned. */
    private String rebuild(Format f, String topic, Map<TopicPartition, Long> start, Map<TopicPartition, Long> end) {
        StringBuilder b = new StringBuilder("satflow export --format " + f.id() + " --out " + out);
        if (topicName != null) {
            b.append(" --topic ").append(topic);
        }
        if (!splits.isEmpty()) {
            b.append(" --split ").append(String.join(",", splits));
        }
        if (!types.isEmpty()) {
            b.append(" --types ").append(String.join(",", types));
        }
        b.append(" --from-offsets ").append(pairs(start)).append(" --to-offsets ").append(pairs(end));
        return b.toString();
    }

    private static String pairs(Map<TopicPartition, Long> offsets) {
        Map<Integer, Long> sorted = new TreeMap<>();
        offsets.forEach((tp, o) -> sorted.put(tp.partition(), o));
        StringBuilder b = new StringBuilder();
        sorted.forEach((p, o) -> b.append(b.length() == 0 ? "" : ",").append(p).append(':').append(o));
        return b.toString();
    }
}
