package dev.satflow.qa;

import dev.satflow.contracts.Topics;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The QA processor's topology, built by a pure factory (lifecycle lives in {@link QaApp}).
 *
 * <pre>
 * scenes-source ─┐                                   ┌─▶ qa-sink  (satflow.qa.v2)
 *                ├─▶ scene-gatherer [specs, frames, ─┤
 * frames-source ─┘      pending stores]              └─▶ dlq-sink (satflow.dlq.v1)
 * </pre>
 *
 * Both inputs are keyed by sceneId and co-partitioned, so one task sees a scene's spec and all its
 * frames whatever order they arrive in. Values are read as raw bytes and decoded in the processor,
 * so a record that cannot be decoded becomes a dead letter inside the same exactly-once transaction.
 *
 * <p>State stays bounded by the scenes in flight plus one small entry per answered scene: once a scene's
 * questions are out, its spec and frames are deleted and {@code qa-scene-emitted} keeps only the spec's
 * digest, so the same scene published again, or a frame of it delivered again, gives no second set of
 * questions (a spec under an answered id with other content is dead-lettered).
 */
public final class QaTopology {
    public static final String SCENES_SOURCE = "scenes-source";
    public static final String FRAMES_SOURCE = "frames-source";
    public static final String GATHERER = "scene-gatherer";
    public static final String QA_SINK = "qa-sink";
    public static final String DLQ_SINK = "dlq-sink";
    public static final String SPECS_STORE = "qa-scene-specs";
    public static final String FRAMES_STORE = "qa-scene-frames";
    public static final String PENDING_STORE = "qa-scene-pending";
    public static final String COUNTS_STORE = "qa-scene-frame-counts";
    public static final String EMITTED_STORE = "qa-scene-emitted";

    /**
     * @param incompleteAfter a scene still missing frames this long after its first record is
     *                        dead-lettered and its buffered frames dropped (bounded state)
     */
    public record Options(Topics topics, QuestionDeriver deriver, Duration incompleteAfter, Duration sweepEvery) {}

    private QaTopology() {}

    public static Topology build(Options o) {
        Topics t = o.topics();
        Topology topology = new Topology();
        topology.addSource(SCENES_SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                t.scenes().name());
        topology.addSource(FRAMES_SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                t.frames().name());
        topology.addProcessor(GATHERER, () -> new SceneGatherer(o), SCENES_SOURCE, FRAMES_SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SPECS_STORE),
                Serdes.String(), Serdes.ByteArray()).withCachingEnabled(), GATHERER);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(FRAMES_STORE),
                Serdes.String(), Serdes.ByteArray()).withCachingEnabled(), GATHERER);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PENDING_STORE),
                Serdes.String(), Serdes.Long()).withCachingEnabled(), GATHERER);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(COUNTS_STORE),
                Serdes.String(), Serdes.Long()).withCachingEnabled(), GATHERER);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(EMITTED_STORE),
                Serdes.String(), Serdes.String()).withCachingEnabled(), GATHERER);
        topology.addSink(QA_SINK, t.qa().name(), t.qa().keySerde().serializer(), t.qa().valueSerde().serializer(),
                GATHERER);
        topology.addSink(DLQ_SINK, t.dlq().name(), t.dlq().keySerde().serializer(),
                t.dlq().valueSerde().serializer(), GATHERER);
        return topology;
    }
}
