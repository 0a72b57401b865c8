package dev.satflow.qa;

import dev.satflow.contracts.AvroSerde;
import dev.satflow.core.kafka.SpecDigest;
import dev.satflow.core.validate.DeadLetters;
import dev.satflow.core.validate.FrameValidator;
import dev.satflow.core.validate.SceneSpecValidator;
import dev.satflow.schema.DeadLetter;
import dev.satflow.schema.Frame;
import dev.satflow.schema.QaRecord;
import dev.satflow.schema.SceneSpec;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Buffers a scene's spec and frames until every view is present, then derives its questions.
 * Frames are stored without their image bytes (questions reference frames, they never copy pixels),
 * plus source partition/offset (for the references and lineage), under {@code sceneId + NUL + viewId},
 * so a prefix scan finds a scene's frames.
 *
 * <p>Once a scene's questions are out its spec and frames are deleted and only the spec's digest is kept
 * ({@link QaTopology#EMITTED_STORE}): a scene published again with the same content, and frames of an
 * answered scene delivered again, are dropped, so each qaId is emitted once. The first spec of a scene id
 * wins: a later one with other content (before or after the questions) is dead-lettered, as the renderer
 * does, so questions never mix two versions of a room.
 */
final class SceneGatherer implements Processor<String, byte[], String, Object> {
    static final String STAGE = "qa";
    private static final char SEP = '\u0000';

    private final QaTopology.Options options;
    private final AvroSerde<SceneSpec> specSerde;
    private final AvroSerde<Frame> frameSerde;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, byte[]> specs;
    private KeyValueStore<String, byte[]> frames;
    private KeyValueStore<String, Long> pending;
    private KeyValueStore<String, Long> counts;
    private KeyValueStore<String, String> emitted;

    SceneGatherer(QaTopology.Options options) {
        this.options = options;
        this.specSerde = (AvroSerde<SceneSpec>) options.topics().scenes().valueSerde();
        this.frameSerde = (AvroSerde<Frame>) options.topics().frames().valueSerde();
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.specs = context.getStateStore(QaTopology.SPECS_STORE);
        this.frames = context.getStateStore(QaTopology.FRAMES_STORE);
        this.pending = context.getStateStore(QaTopology.PENDING_STORE);
        this.counts = context.getStateStore(QaTopology.COUNTS_STORE);
        this.emitted = context.getStateStore(QaTopology.EMITTED_STORE);
        context.schedule(options.sweepEvery(), PunctuationType.WALL_CLOCK_TIME, this::sweepIncomplete);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        RecordMetadata meta = context.recordMetadata().orElseThrow();
        String sceneId = record.key();
        boolean mayBeComplete = true;
        try {
            if (sceneId == null || sceneId.isEmpty()) {
                throw new IllegalArgumentException("record key (sceneId) is missing");
            }
            if (meta.topic().equals(options.topics().scenes().name())) {
                SceneSpec spec = SceneSpecValidator.validate(specSerde.deserialize(meta.topic(), record.value()));
                requireKey("sceneId", spec.getSceneId(), sceneId);
                String digest = SpecDigest.of(record.value());
                String answered = emitted.get(sceneId);
                byte[] waiting = answered == null ? specs.get(sceneId) : null;
                String first = answered != null ? answered : waiting != null ? SpecDigest.of(waiting) : null;
                if (first != null && !first.equals(digest)) {
                    throw new dev.satflow.core.validate.ContractViolation("sceneId", "'" + sceneId + "'",
                            "was received before with a different spec (digest " + first + ", now " + digest
                                    + "); publish a changed scene under a new id");
                }
                if (answered != null) {
                    return; // published again, questions out already
                }
                specs.put(sceneId, record.value());
            } else {
                Frame frame = FrameValidator.validate(frameSerde.deserialize(meta.topic(), record.value()));
                requireKey("sceneId", frame.getSceneId(), sceneId);
                if (emitted.get(sceneId) != null) {
                    return; // a frame of an answered scene delivered again
                }
                // questions reference frames by coordinates and never read pixels: keep the annotations only
                byte[] stripped = frameSerde.serialize(meta.topic(),
                        Frame.newBuilder(frame).setImage(ByteBuffer.allocate(0)).build());
                frames.put(sceneId + SEP + frame.getViewId(), wrap(meta.partition(), meta.offset(), stripped));
                if (pending.get(sceneId) == null) {
                    pending.put(sceneId, context.currentSystemTimeMs());
                }
                // look for a complete scene (a store scan and a spec decode) only once enough frames are in
                Long seen = counts.get(sceneId);
                long now = seen == null ? 1 : seen + 1;
                counts.put(sceneId, now);
                mayBeComplete = now >= frame.getViewCount();
            }
        } catch (RuntimeException e) {
            deadLetter(record, meta, e);
            return;
        }
        if (mayBeComplete) {
            emitIfComplete(sceneId, record);
        }
    }

    private static void requireKey(String field, String value, String key) {
        if (!value.equals(key)) {
            throw new dev.satflow.core.validate.ContractViolation(field, "'" + value + "'",
                    "must equal the record key '" + key + "'");
        }
    }

    private void emitIfComplete(String sceneId, Record<String, byte[]> trigger) {
        byte[] specBytes = specs.get(sceneId);
        if (specBytes == null) {
            return;
        }
        SceneSpec spec = specSerde.deserialize(options.topics().scenes().name(), specBytes);
        List<KeyValue<String, byte[]>> stored = framesOf(sceneId);
        Set<String> viewIds = spec.getViews().stream().map(v -> v.getViewId()).collect(Collectors.toSet());
        if (stored.size() < viewIds.size()) {
            return;
        }
        String framesTopic = options.topics().frames().name();
        List<SourcedFrame> sourced = new ArrayList<>();
        try {
            for (KeyValue<String, byte[]> kv : stored) {
                ByteBuffer b = ByteBuffer.wrap(kv.value);
                int partition = b.getInt();
                long offset = b.getLong();
                byte[] raw = new byte[b.remaining()];
                b.get(raw);
                Frame f = frameSerde.deserialize(framesTopic, raw);
                if (!viewIds.contains(f.getViewId())) {
                    throw new dev.satflow.core.validate.ContractViolation("viewId", "'" + f.getViewId() + "'",
                            "scene " + sceneId + " has no such view");
                }
                sourced.add(new SourcedFrame(f, framesTopic, partition, offset));
            }
            for (QaRecord qa : options.deriver().derive(spec, sourced)) {
                context.forward(trigger.withValue((Object) qa), QaTopology.QA_SINK);
            }
        } catch (RuntimeException e) {
            deadLetter(trigger, context.recordMetadata().orElseThrow(),
                    new IllegalStateException("question derivation failed for scene " + sceneId + ": " + e.getMessage(),
                            e));
        }
        for (KeyValue<String, byte[]> kv : stored) {
            frames.delete(kv.key);
        }
        pending.delete(sceneId);
        counts.delete(sceneId);
        // questions are out: keep only what recognises the scene if it comes again
        specs.delete(sceneId);
        emitted.put(sceneId, SpecDigest.of(specBytes));
    }

    private List<KeyValue<String, byte[]>> framesOf(String sceneId) {
        List<KeyValue<String, byte[]>> out = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = frames.prefixScan(sceneId + SEP, new StringSerializer())) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    /** Dead-letters scenes whose frames stopped arriving, so buffered frames never pile up silently. */
    private void sweepIncomplete(long now) {
        List<KeyValue<String, Long>> expired = new ArrayList<>();
        try (KeyValueIterator<String, Long> it = pending.all()) {
            it.forEachRemaining(kv -> {
                if (now - kv.value >= options.incompleteAfter().toMillis()) {
                    expired.add(kv);
                }
            });
        }
        for (KeyValue<String, Long> kv : expired) {
            List<KeyValue<String, byte[]>> stored = framesOf(kv.key);
            boolean hasSpec = specs.get(kv.key) != null;
            String why = "scene " + kv.key + " incomplete after " + options.incompleteAfter().toSeconds() + " s: "
                    + stored.size() + " frame(s) buffered, " + (hasSpec ? "spec present" : "no spec received");
            DeadLetter dl = DeadLetter.newBuilder().setStage(STAGE).setSourceTopic(options.topics().frames().name())
                    .setKey(kv.key).setErrorClass("IncompleteScene").setError(why).setField("viewCount")
                    .setTimestampMs(now).build();
            context.forward(new Record<>(kv.key, (Object) dl, now), QaTopology.DLQ_SINK);
            stored.forEach(f -> frames.delete(f.key));
            pending.delete(kv.key);
            counts.delete(kv.key);
        }
    }

    private void deadLetter(Record<String, byte[]> record, RecordMetadata meta, RuntimeException e) {
        DeadLetter dl = DeadLetters.of(STAGE, meta.topic(), meta.partition(), meta.offset(), record.key(),
                record.value(), e, context.currentSystemTimeMs());
        context.forward(record.withValue((Object) dl), QaTopology.DLQ_SINK);
    }

    private static byte[] wrap(int partition, long offset, byte[] raw) {
        return ByteBuffer.allocate(12 + raw.length).putInt(partition).putLong(offset).put(raw).array();
    }
}
