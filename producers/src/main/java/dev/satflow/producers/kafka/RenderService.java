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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
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

    private final Settings settings;
    private final Topics topics;
    private final Supplier<FrameRenderer> renderers;
    private final Clock clock;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicInteger claimed = new AtomicInteger();
    private final AtomicInteger scenesDone = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Counter frames;
    private final Counter scenes;
    private final Counter deadLetters;
    private final Timer sceneTimer;

    public RenderService(Settings settings, Topics topics, Supplier<FrameRenderer> renderers, MeterRegistry meters,
            Clock clock) {
        this.settings = settings;
        this.topics = topics;
        this.renderers = renderers;
        this.clock = clock;
        this.frames = Counter.builder("satflow_frames_rendered_total").register(meters);
        this.scenes = Counter.builder("satflow_scenes_rendered_total").register(meters);
        this.deadLetters = Counter.builder("satflow_dead_letters_total").tag("stage", STAGE).register(meters);
        this.sceneTimer = Timer.builder("satflow_render_scene_seconds").register(meters);
    }

    public RenderService start() {
        for (int i = 0; i < settings.workers(); i++) {
            int worker = i;
            Thread t = new Thread(() -> runWorker(worker), "satflow-render-" + i);
            threads.add(t);
            t.start();
        }
        return this;
    }

    /** Scenes whose frames are committed (or dead-lettered) so far. */
    public int scenesDone() {
        return scenesDone.get();
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

    private void runWorker(int worker) {
        String clientId = "satflow-render-" + settings.instanceId() + "-" + worker;
        Map<String, Object> cc = KafkaClients.consumer(settings.bootstrap(), settings.group(), clientId);
        cc.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 4);
        cc.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        cc.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 2_000);
        Map<String, Object> pc = KafkaClients.transactionalProducer(settings.bootstrap(), clientId,
                "satflow-render-" + settings.group() + "-" + settings.instanceId() + "-" + worker);
        // frames are PNG/JPEG bytes already: compressing them again costs CPU here and in the broker for nothing
        pc.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        try (FrameRenderer renderer = renderers.get();
                KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(cc, new StringDeserializer(),
                        new ByteArrayDeserializer());
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(pc, new StringSerializer(),
                        new ByteArraySerializer())) {
            producer.initTransactions();
            consumer.subscribe(List.of(topics.scenes().name()));
            while (!stopping.get() && budgetLeft()) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    renderInTransaction(records, renderer, consumer, producer);
                }
            }
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            LOG.warn("render worker {} fenced by a newer instance with the same id; stopping", worker);
        } catch (Throwable e) {
            LOG.error("render worker {} failed", worker, e);
            failure.compareAndSet(null, e);
            stopping.set(true);
        }
    }

    private void renderInTransaction(ConsumerRecords<String, byte[]> records, FrameRenderer renderer,
            KafkaConsumer<String, byte[]> consumer, KafkaProducer<String, byte[]> producer) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        int sceneCount = 0;
        producer.beginTransaction();
        try {
            for (ConsumerRecord<String, byte[]> r : records) {
                if (!claimScene()) {
                    claimed.decrementAndGet();
                    break;
                }
                sceneCount++;
                renderOne(r, renderer, producer);
                offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
            }
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            producer.commitTransaction();
            scenesDone.addAndGet(sceneCount);
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            throw e;
        } catch (KafkaException e) {
            // abortable (e.g. a rebalance took the partitions): drop the work and re-read from committed offsets
            LOG.warn("render transaction aborted: {}", e.toString());
            producer.abortTransaction();
            if (settings.maxScenes() > 0) {
                claimed.addAndGet(-sceneCount); // the aborted scenes will be rendered again
            }
            rewind(consumer);
        }
    }

    private void renderOne(ConsumerRecord<String, byte[]> r, FrameRenderer renderer,
            KafkaProducer<String, byte[]> producer) {
        SceneSpec spec;
        List<Frame> rendered;
        long t0 = System.nanoTime();
        try {
            spec = SceneSpecValidator.validate(topics.scenes().valueSerde().deserializer().deserialize(r.topic(),
                    r.value()));
            if (!spec.getSceneId().equals(r.key())) {
                throw new ContractViolation("sceneId", "'" + spec.getSceneId() + "'",
                        "must equal the record key '" + r.key() + "'");
            }
            rendered = renderer.render(spec);
        } catch (org.apache.kafka.common.errors.SerializationException | ContractViolation | IllegalArgumentException e) {
            DeadLetter dl = DeadLetters.of(STAGE, r.topic(), r.partition(), r.offset(), r.key(), r.value(), e,
                    clock.millis());
            producer.send(new ProducerRecord<>(topics.dlq().name(), r.key(),
                    topics.dlq().valueSerde().serializer().serialize(topics.dlq().name(), dl)));
            deadLetters.increment();
            LOG.warn("dead-lettered {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), dl.getError());
            return;
        }
        for (Frame f : rendered) {
            producer.send(new ProducerRecord<>(topics.frames().name(), spec.getSceneId(),
                    topics.frames().valueSerde().serializer().serialize(topics.frames().name(), f)));
        }
        frames.increment(rendered.size());
        scenes.increment();
        sceneTimer.record(Duration.ofNanos(System.nanoTime() - t0));
    }

    private static void rewind(KafkaConsumer<String, byte[]> consumer) {
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
