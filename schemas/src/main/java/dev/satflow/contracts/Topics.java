package dev.satflow.contracts;

import dev.satflow.schema.Checkpoint;
import dev.satflow.schema.DeadLetter;
import dev.satflow.schema.EvalReport;
import dev.satflow.schema.Frame;
import dev.satflow.schema.QaRecord;
import dev.satflow.schema.SceneSpec;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The typed, immutable registry of satflow's topics. Scene, frame and QA topics are keyed by
 * sceneId and share one partition count, so a scene's spec, frames and questions are co-partitioned.
 *
 * <p>{@code satflow.qa.v2} holds satflow-qa/2 records, which reference frames instead of carrying
 * image bytes; its schema is a compatible evolution of the v1 one (it reads v1 records), and the
 * new topic name tells consumers that the images moved.
 */
public record Topics(
        Topic<String, SceneSpec> scenes,
        Topic<String, Frame> frames,
        Topic<String, QaRecord> qa,
        Topic<String, Checkpoint> checkpoints,
        Topic<String, EvalReport> eval,
        Topic<String, DeadLetter> dlq) {

    public static final String SCENES = "satflow.scenes.v1";
    public static final String FRAMES = "satflow.frames.v1";
    public static final String QA = "satflow.qa.v2";
    public static final String CHECKPOINTS = "satflow.checkpoints.v1";
    public static final String EVAL = "satflow.eval.v1";
    public static final String DLQ = "satflow.dlq.v1";
    public static final int DEFAULT_PARTITIONS = 12;
    /** Largest record any satflow topic accepts; producers set max.request.size to this. */
    public static final int MAX_MESSAGE_BYTES = 16 * TopicSettings.MIB;

    /** Builds every topic with registry-backed Avro serdes (auto-registering schemas). */
    public static Topics create(SchemaRegistryClient registry, int partitions) {
        return create(registry, partitions, true);
    }

    public static Topics create(SchemaRegistryClient registry, int partitions, boolean autoRegister) {
        Serde<String> keys = Serdes.String();
        long forever = -1;
        return new Topics(
                new Topic<>(SCENES, keys, serde(SceneSpec.class, registry, autoRegister),
                        new TopicSettings(partitions, true, forever, 2 * TopicSettings.MIB)),
                // kept as long as the questions that reference them (claim check)
                new Topic<>(FRAMES, keys, serde(Frame.class, registry, autoRegister),
                        new TopicSettings(partitions, false, forever, MAX_MESSAGE_BYTES)),
                new Topic<>(QA, keys, serde(QaRecord.class, registry, autoRegister),
                        new TopicSettings(partitions, false, forever, MAX_MESSAGE_BYTES)),
                new Topic<>(CHECKPOINTS, keys, serde(Checkpoint.class, registry, autoRegister),
                        new TopicSettings(1, false, forever, TopicSettings.MIB)),
                new Topic<>(EVAL, keys, serde(EvalReport.class, registry, autoRegister),
                        new TopicSettings(1, false, forever, TopicSettings.MIB)),
                new Topic<>(DLQ, keys, serde(DeadLetter.class, registry, autoRegister),
                        new TopicSettings(1, false, 30 * 24 * 3600 * 1000L, MAX_MESSAGE_BYTES)));
    }

    /**
     * The same registry with the QA records going to another topic of the same kind (a replay
     * rebuilding a dataset into {@code satflow.qa.vN}); same serde and settings.
     */
    public Topics withQa(String name) {
        return withQa(name, qa.settings().partitions());
    }

    /** ... with this many partitions (a replay matches its input topics', so questions stay co-partitioned). */
    public Topics withQa(String name, int partitions) {
        if (!name.matches("[A-Za-z0-9._-]{1,249}")) {
            throw new IllegalArgumentException("topic = '" + name + "': letters, digits, '.', '_' and '-' only");
        }
        TopicSettings s = qa.settings();
        return new Topics(scenes, frames, new Topic<>(name, qa.keySerde(), qa.valueSerde(),
                new TopicSettings(partitions, s.compacted(), s.retentionMs(), s.maxMessageBytes())), checkpoints,
                eval, dlq);
    }

    public List<Topic<String, ? extends SpecificRecord>> all() {
        return List.of(scenes, frames, qa, checkpoints, eval, dlq);
    }

    private static <T extends SpecificRecord> AvroSerde<T> serde(Class<T> type, SchemaRegistryClient registry,
            boolean autoRegister) {
        return new AvroSerde<>(type, registry, autoRegister);
    }
}
