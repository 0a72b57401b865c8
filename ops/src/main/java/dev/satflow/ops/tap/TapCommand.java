package dev.satflow.ops.tap;

import dev.satflow.contracts.Topic;
import dev.satflow.contracts.Topics;
import dev.satflow.core.config.Config;
import dev.satflow.core.frames.KafkaFrameSource;
import dev.satflow.core.frames.QuestionImages;
import dev.satflow.ops.Cluster;
import dev.satflow.ops.StackOptions;
import dev.satflow.ops.stages.TopicScan;
import dev.satflow.schema.Frame;
import dev.satflow.schema.SceneSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.avro.specific.SpecificRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Looks at what a topic holds: one JSON line per record (images elided), or an HTML page with the images. */
@Command(name = "tap", mixinStandardHelpOptions = true,
        description = "Read a topic from the beginning to its current end: JSON lines, or --html DIR for a page "
                + "(frames with their object boxes, questions with their images).")
public final class TapCommand implements Callable<Integer> {
    @Mixin
    StackOptions stack;

    @Parameters(index = "0", paramLabel = "TOPIC", description = "e.g. satflow.frames.v1, satflow.qa.v2, satflow.dlq.v1")
    String topicName;

    @Option(names = "--max", paramLabel = "N", description = "Records to read at most (default 200).")
    int max = 200;

    @Option(names = "--html", paramLabel = "DIR", description = "Write DIR/index.html (frames and qa topics).")
    Path html;

    @Override
    public Integer call() {
        Config config = stack.load(Map.of());
        try (Cluster cluster = Cluster.connect(config)) {
            Topic<String, ? extends SpecificRecord> topic = find(cluster.topics(), topicName);
            if (html != null) {
                Path page = writeHtml(cluster, topic, html, max);
                System.out.println("wrote " + page.toAbsolutePath());
            } else {
                printLines(cluster.bootstrap(), topic, max);
            }
        }
        return 0;
    }

    static Topic<String, ? extends SpecificRecord> find(Topics topics, String name) {
        return topics.all().stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown topic '" + name + "'; satflow topics: "
                        + topics.all().stream().map(Topic::name).toList()));
    }

    private static <V extends SpecificRecord> void printLines(String bootstrap, Topic<String, V> topic, int max) {
        int[] seen = {0};
        TopicScan.scan(bootstrap, topic, e -> {
            String body = e.value() != null ? elideBytes(e.value().toString())
                    : "{\"undecodable\": \"" + e.error().getMessage().replace("\"", "'") + "\"}";
            System.out.printf("{\"partition\": %d, \"offset\": %d, \"key\": %s, \"value\": %s}%n", e.partition(),
                    e.offset(), e.key() == null ? "null" : "\"" + e.key() + "\"", body);
            return ++seen[0] < max;
        });
    }

    /** Avro renders bytes as long escaped strings; a person wants to know only that they are there. */
    static String elideBytes(String json) {
        return json.replaceAll("\"(image|bytes|raw)\": \"(?:[^\"\\\\]|\\\\.){64,}\"", "\"$1\": \"<bytes>\"");
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
        throw new IllegalArgumentException("--html pages exist for " + topics.frames().name() + " and "
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
