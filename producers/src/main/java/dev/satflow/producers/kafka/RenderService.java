package dev.satflow.producers.kafka;

import dev.satflow.contracts.Topics;
import dev.satflow.core.kafka.KafkaClients;
import dev.satflow.core.validate.ContractViolation;
import dev.satflow.core.validate.DeadLetters;
import dev.satflow.core.validate.SceneSpecValidator;
import dev.satflow.schema.DeadLetter;
import dev.satflow.schema.Frame;
import dev.satflow.schema.SceneSpec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renderer consumers: N render loops in this process, each with its own GL context, consumer and
 * transactional producer, all members of one consumer group (more processes in the group scale out).
 * Each poll's frames, dead letters and consumed offsets commit in one Kafka transaction, so a crash
 * neither loses nor duplicates a committed frame.
 *
 * <p><b>Each scene is rendered once.</b> A scene published again (a retried {@code generate}: same id,
 * same content) is skipped, so it gives no second set of frames. The renderers remember what they
 * rendered in a compacted topic, {@code <group>-rendered} (key sceneId, value the digest of the spec's
 * Avro body), written in the same transaction as the frames and the consumed offset, partition for
 * partition with the scenes topic; a worker reads its partitions' part of it when they are assigned (after
 * the previous owner's transaction has ended, since fetching the committed offsets waits for that). A
 * scene id published again with <em>different</em> content is dead-lettered: its frames exist already, and
 * questions must not mix two versions of a room; publish changed scenes under a new id.
 *
 * <p><b>Broker faults.</b> A transaction that fails (a broker restarting, leadership moving, a rebalance)
 * is aborted, or the producer replaced when it cannot abort, and the work is read again from the committed
 * offsets; only a producer fenced by a newer instance with the same id stops its worker.
 */
public final class RenderService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RenderService.class);
    public static final String STAGE = "render";

    /**
     * @param instanceId stable per process across restarts: transactional ids derive from it, so a
     *                   restarted instance fences its dead predecessor and aborts its open transaction
     * @param maxScenes  stop after this many scenes in all (0 = until {@link #close()})
     */
    public record Settings(String bootstrap, String group, String instanceId, int workers, int maxScenes) {}

    /** The compacted topic of rendered scene digests of a render group. */
    public static String renderedTopic(String group) {
        return group + "-rendered";
    }

    private final Settings settings;
    private final Topics topics;
    private final Supplier<FrameRenderer> renderers;
    private final Clock clock;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicInteger claimed = new AtomicInteger();
    private final AtomicInteger scenesDone = new AtomicInteger();
    private final AtomicInteger scenesSkipped = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Counter frames;
    private final Counter scenes;
    private final Counter skipped;
    private final Counter deadLetters;
    private final Timer sceneTimer;
    private final String rendered;

    public RenderService(Settings settings, Topics topics, Supplier<FrameRenderer> renderers, MeterRegistry meters,
            Clock clock) {
        this.settings = settings;
        this.topics = topics;
        this.renderers = renderers;
        this.clock = clock;
        this.rendered = renderedTopic(settings.group());
        this.frames = Counter.builder("satflow_frames_rendered_total").register(meters);
        this.scenes = Counter.builder("satflow_scenes_rendered_total").register(meters);
        this.skipped = Counter.builder("satflow_scenes_skipped_total")
                .description("Scenes published again with the same content: already rendered, skipped").register(meters);
        this.deadLetters = Counter.builder("satflow_dead_letters_total").tag("stage", STAGE).register(meters);
        this.sceneTimer = Timer.builder("satflow_render_scene_seconds").register(meters);
    }

    public RenderService start() {
        ensureRenderedTopic();
        for (int i = 0; i < settings.workers(); i++) {
            int worker = i;
            Thread t = new Thread(() -> runWorker(worker), "satflow-render-" + i);
            threads.add(t);
            t.start();
        }
        return this;
    }

    /** Creates {@code <group>-rendered} like the scenes topic: same partitions, compacted, replicated. */
    private void ensureRenderedTopic() {
        try (Admin admin = Admin.create(KafkaClients.admin(settings.bootstrap(), "satflow-render-admin"))) {
            if (admin.listTopics().names().get(60, TimeUnit.SECONDS).contains(rendered)) {
                return;
            }
            int partitions = admin.describeTopics(List.of(topics.scenes().name())).allTopicNames()
                    .get(60, TimeUnit.SECONDS).get(topics.scenes().name()).partitions().size();
            int rf = dev.satflow.contracts.TopicAdmin.replicationFactor(admin);
            admin.createTopics(List.of(new NewTopic(rendered, partitions, (short) rf).configs(Map.of(
                    "cleanup.policy", "compact",
                    "min.insync.replicas", Integer.toString(dev.satflow.contracts.TopicSettings.minInsyncReplicas(rf))))))
                    .all().get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create " + rendered + ": " + e.getMessage(), e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating " + rendered, e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot create " + rendered + ": " + e, e);
        }
    }

    /** Scenes whose frames are committed (or dead-lettered, or skipped as rendered before) so far. */
    public int scenesDone() {
        return scenesDone.get();
    }

    /** Scenes skipped because they were rendered before with the same content. */
    public int scenesSkipped() {
        return scenesSkipped.get();
    }

    /** Waits for every worker to finish (bounded runs) or fail. */
    public void await() throws InterruptedException {
        for (Thread t : threads) {
            t.join();
        }
        Throwable f = failure.get();
        if (f != null) {
            throw new IllegalStateException("a render worker failed: " + f.getMessage(), f);
        }
    }

    private boolean claimScene() {
        if (settings.maxScenes() <= 0) {
            return true;
        }
        return claimed.incrementAndGet() <= settings.maxScenes();
    }

    private boolean budgetLeft() {
        return settings.maxScenes() <= 0 || claimed.get() < settings.maxScenes();
    }

    /** What one worker knows was rendered: sceneId -> spec digest, per assigned scenes partition. */
    private final class RenderedIndex implements ConsumerRebalanceListener {
        private final Map<Integer, Map<String, String>> byPartition = new ConcurrentHashMap<>();
        private final KafkaConsumer<String, byte[]> consumer;
        private final KafkaConsumer<String, String> reader;

        RenderedIndex(KafkaConsumer<String, byte[]> consumer, KafkaConsumer<String, String> reader) {
            this.consumer = consumer;
            this.reader = reader;
        }

        String digest(int partition, String sceneId) {
            Map<String, String> m = byPartition.get(partition);
            return m == null ? null : m.get(sceneId);
        }

        void put(int partition, String sceneId, String digest) {
            byPartition.computeIfAbsent(partition, p -> new ConcurrentHashMap<>()).put(sceneId, digest);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            partitions.forEach(tp -> byPartition.remove(tp.partition()));
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            onPartitionsRevoked(partitions);
        }

        boolean loaded(int partition) {
            return byPartition.containsKey(partition);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            while (true) {
                try {
                    load(partitions);
                    return;
                } catch (KafkaException e) {
                    if (stopping.get()) {
                        return; // unloaded partitions are never rendered (see loaded()), and we are leaving
                    }
                    LOG.warn("render: cannot read {} yet ({}); retrying", rendered, e.toString());
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }

        private void load(Collection<TopicPartition> partitions) {
            long t0 = System.nanoTime();
            // the committed offsets are fetched "stable": this returns once the previous owner's transaction
            // (frames, markers and offsets) has committed or aborted, so the markers read below are complete
            for (TopicPartition tp : partitions) {
                consumer.position(tp);
            }
            List<TopicPartition> markers = partitions.stream().map(tp -> new TopicPartition(rendered, tp.partition()))
                    .toList();
            reader.assign(markers);
            reader.seekToBeginning(markers);
            Map<TopicPartition, Long> end = reader.endOffsets(markers);
            int n = 0;
            Map<Integer, Map<String, String>> loaded = new HashMap<>();
            markers.forEach(tp -> loaded.put(tp.partition(), new ConcurrentHashMap<>()));
            while (markers.stream().anyMatch(tp -> reader.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, String> r : reader.poll(Duration.ofMillis(200))) {
                    if (r.value() == null) {
                        loaded.get(r.partition()).remove(r.key());
                    } else {
                        loaded.get(r.partition()).put(r.key(), r.value());
                    }
                    n++;
                }
            }
            reader.unsubscribe();
            byPartition.putAll(loaded);
            LOG.info("render: partitions {} assigned; {} rendered scene(s) known from {} in {} ms",
                    partitions.stream().map(TopicPartition::partition).sorted().toList(), n, rendered,
                    (System.nanoTime() - t0) / 1_000_000);
        }
    }

    private KafkaProducer<String, byte[]> newProducer(String clientId, int worker) {
        Map<String, Object> pc = KafkaClients.transactionalProducer(settings.bootstrap(), clientId,
                "satflow-render-" + settings.group() + "-" + settings.instanceId() + "-" + worker);
        // frames are PNG/JPEG bytes already: compressing them again costs CPU here and in the broker for nothing
        pc.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        while (true) {
            KafkaProducer<String, byte[]> producer = new KafkaProducer<>(pc, new StringSerializer(),
                    new ByteArraySerializer());
            try {
                // fences an earlier producer with this id and aborts its open transaction
                producer.initTransactions();
                return producer;
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                producer.close(Duration.ZERO);
                if (stopping.get()) {
                    throw e;
                }
                LOG.warn("render worker {}: transactions not ready ({}); retrying", worker, e.getMessage());
            }
        }
    }

    private void runWorker(int worker) {
        String clientId = "satflow-render-" + settings.instanceId() + "-" + worker;
        Map<String, Object> cc = KafkaClients.consumer(settings.bootstrap(), settings.group(), clientId);
        cc.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 4);
        cc.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        cc.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 2_000);
        Map<String, Object> rc = KafkaClients.consumer(settings.bootstrap(), null, clientId + "-rendered");
        KafkaProducer<String, byte[]> producer = null;
        try (FrameRenderer renderer = renderers.get();
                KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(cc, new StringDeserializer(),
                        new ByteArrayDeserializer());
                KafkaConsumer<String, String> reader = new KafkaConsumer<>(rc, new StringDeserializer(),
                        new StringDeserializer())) {
            producer = newProducer(clientId, worker);
            RenderedIndex index = new RenderedIndex(consumer, reader);
            consumer.subscribe(List.of(topics.scenes().name()), index);
            while (!stopping.get() && budgetLeft()) {
                ConsumerRecords<String, byte[]> records;
                try {
                    records = consumer.poll(Duration.ofMillis(200));
                } catch (org.apache.kafka.common.errors.RetriableException e) {
                    LOG.warn("render worker {}: poll failed ({}); retrying", worker, e.toString());
                    continue;
                }
                if (records.isEmpty()) {
                    continue;
                }
                try {
                    renderInTransaction(records, renderer, consumer, producer, index);
                } catch (ProducerFencedException e) {
                    throw e;
                } catch (KafkaException e) {
                    // a broker restarting, leadership moving, a rebalance: drop the work, read it again
                    LOG.warn("render worker {}: transaction failed, reading its scenes again: {}", worker, e.toString());
                    producer = recover(producer, clientId, worker);
                    rewind(consumer);
                }
            }
        } catch (ProducerFencedException e) {
            LOG.warn("render worker {} fenced by a newer instance with the same id; stopping", worker);
        } catch (Throwable e) {
            LOG.error("render worker {} failed", worker, e);
            failure.compareAndSet(null, e);
            stopping.set(true);
        } finally {
            if (producer != null) {
                producer.close(Duration.ofSeconds(10));
            }
        }
    }

    /** Aborts the failed transaction, or replaces a producer that cannot abort (the new one aborts it). */
    private KafkaProducer<String, byte[]> recover(KafkaProducer<String, byte[]> producer, String clientId, int worker) {
        try {
            producer.abortTransaction();
            return producer;
        } catch (ProducerFencedException e) {
            throw e;
        } catch (KafkaException | IllegalStateException e) {
            LOG.warn("render worker {}: cannot abort ({}); replacing the producer", worker, e.toString());
            producer.close(Duration.ZERO);
            return newProducer(clientId, worker);
        }
    }

    private void renderInTransaction(ConsumerRecords<String, byte[]> records, FrameRenderer renderer,
            KafkaConsumer<String, byte[]> consumer, KafkaProducer<String, byte[]> producer, RenderedIndex index) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        Map<String, String[]> marked = new HashMap<>(); // sceneId -> {partition, digest}, applied on commit
        int sceneCount = 0;
        int skippedCount = 0;
        producer.beginTransaction();
        try {
            for (ConsumerRecord<String, byte[]> r : records) {
                if (!index.loaded(r.partition())) {
                    throw new KafkaException("rendered scenes of partition " + r.partition() + " not loaded yet");
                }
                if (!claimScene()) {
                    claimed.decrementAndGet();
                    break;
                }
                sceneCount++;
                if (renderOne(r, renderer, producer, index, marked)) {
                    skippedCount++;
                }
                offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
            }
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            commit(producer);
        } catch (KafkaException | IllegalStateException e) {
            if (settings.maxScenes() > 0) {
                claimed.addAndGet(-sceneCount); // the aborted scenes will be rendered again
            }
            throw e instanceof KafkaException ke ? ke : new KafkaException(e);
        }
        marked.forEach((sceneId, pd) -> index.put(Integer.parseInt(pd[0]), sceneId, pd[1]));
        if (LOG.isDebugEnabled()) {
            LOG.debug("render: committed scene(s) {} up to offsets {}", marked.keySet(), offsets.entrySet().stream()
                    .map(e -> e.getKey().partition() + "@" + e.getValue().offset()).sorted().toList());
        }
        scenesDone.addAndGet(sceneCount);
        scenesSkipped.addAndGet(skippedCount);
    }

    /** Commits; a commit that times out (a broker away) may be retried and completes the same transaction. */
    private void commit(KafkaProducer<String, byte[]> producer) {
        for (int attempt = 1; ; attempt++) {
            try {
                producer.commitTransaction();
                return;
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                if (attempt >= 5 || stopping.get()) {
                    throw e;
                }
                LOG.warn("render: commit timed out ({}), retrying", e.getMessage());
            }
        }
    }

    /** Renders one scene record into the open transaction; true when it was skipped as rendered before. */
    private boolean renderOne(ConsumerRecord<String, byte[]> r, FrameRenderer renderer,
            KafkaProducer<String, byte[]> producer, RenderedIndex index, Map<String, String[]> marked) {
        SceneSpec spec;
        List<Frame> rendered;
        long t0 = System.nanoTime();
        String digest;
        try {
            spec = SceneSpecValidator.validate(topics.scenes().valueSerde().deserializer().deserialize(r.topic(),
                    r.value()));
            if (!spec.getSceneId().equals(r.key())) {
                throw new ContractViolation("sceneId", "'" + spec.getSceneId() + "'",
                        "must equal the record key '" + r.key() + "'");
            }
            digest = dev.satflow.core.kafka.SpecDigest.of(r.value());
            String[] inBatch = marked.get(spec.getSceneId());
            String before = inBatch != null ? inBatch[1] : index.digest(r.partition(), spec.getSceneId());
            if (before != null) {
                if (before.equals(digest)) {
                    skipped.increment();
                    LOG.info("scene {} ({}-{}@{}) was rendered before from the same spec: skipped", spec.getSceneId(),
                            r.topic(), r.partition(), r.offset());
                    return true;
                }
                throw new ContractViolation("sceneId", "'" + spec.getSceneId() + "'", "was rendered before from a "
                        + "different spec (digest " + before + ", now " + digest + "); publish a changed scene "
                        + "under a new id");
            }
            rendered = renderWithRetries(renderer, spec);
        } catch (org.apache.kafka.common.errors.SerializationException | ContractViolation | IllegalArgumentException
                | RenderFailed e) {
            DeadLetter dl = DeadLetters.of(STAGE, r.topic(), r.partition(), r.offset(), r.key(), r.value(), e,
                    clock.millis());
            producer.send(new ProducerRecord<>(topics.dlq().name(), r.key(),
                    topics.dlq().valueSerde().serializer().serialize(topics.dlq().name(), dl)));
            deadLetters.increment();
            LOG.warn("dead-lettered {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), dl.getError());
            return false;
        }
        for (Frame f : rendered) {
            producer.send(new ProducerRecord<>(topics.frames().name(), spec.getSceneId(),
                    topics.frames().valueSerde().serializer().serialize(topics.frames().name(), f)));
        }
        producer.send(new ProducerRecord<>(this.rendered, r.partition(), spec.getSceneId(),
                digest.getBytes(StandardCharsets.UTF_8)));
        marked.put(spec.getSceneId(), new String[] {Integer.toString(r.partition()), digest});
        frames.increment(rendered.size());
        scenes.increment();
        sceneTimer.record(Duration.ofNanos(System.nanoTime() - t0));
        return false;
    }

    /** Attempts at rendering a valid scene before an unforeseen failure dead-letters it. */
    static final int RENDER_ATTEMPTS = 3;

    /** An unforeseen renderer failure that outlasted {@link #RENDER_ATTEMPTS}: the scene is dead-lettered. */
    static final class RenderFailed extends RuntimeException {
        RenderFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Renders, retrying an unforeseen failure a bounded number of times (a transient GL hiccup passes), then
     * gives up on the scene rather than failing the worker: a scene that always breaks the renderer would
     * otherwise crash-loop every restart on the same offset.
     */
    private static List<Frame> renderWithRetries(FrameRenderer renderer, SceneSpec spec) {
        for (int attempt = 1; ; attempt++) {
            try {
                return renderer.render(spec);
            } catch (IllegalArgumentException | KafkaException e) {
                throw e; // a scene the renderer refuses is dead-lettered at once; Kafka trouble is not the scene's
            } catch (RuntimeException e) {
                if (attempt >= RENDER_ATTEMPTS) {
                    throw new RenderFailed("render of scene " + spec.getSceneId() + " failed " + attempt
                            + " times: " + e, e);
                }
                LOG.warn("render of scene {} failed (attempt {} of {}), retrying: {}", spec.getSceneId(), attempt,
                        RENDER_ATTEMPTS, e.toString());
            }
        }
    }

    /** Seeks every assigned partition back to its committed offset (retried while a broker is away). */
    private void rewind(KafkaConsumer<String, byte[]> consumer) {
        while (true) {
            try {
                Set<TopicPartition> assigned = consumer.assignment();
                Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned);
                for (TopicPartition tp : assigned) {
                    OffsetAndMetadata om = committed.get(tp);
                    if (om != null) {
                        consumer.seek(tp, om);
                    } else {
                        consumer.seekToBeginning(List.of(tp));
                    }
                }
                return;
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                if (stopping.get()) {
                    throw e;
                }
                LOG.warn("render: cannot read committed offsets yet ({}); retrying", e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        stopping.set(true);
        for (Thread t : threads) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
