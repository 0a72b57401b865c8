package dev.satflow.trainer.stream;

import dev.satflow.contracts.Topics;
import dev.satflow.core.frames.KafkaFrameSource;
import dev.satflow.core.frames.QuestionImages;
import dev.satflow.core.kafka.KafkaClients;
import dev.satflow.core.validate.DeadLetters;
import dev.satflow.schema.Checkpoint;
import dev.satflow.schema.DeadLetter;
import dev.satflow.schema.QaRecord;
import dev.satflow.trainer.ModelTrainer;
import dev.satflow.trainer.StepResult;
import dev.satflow.trainer.TrainerConfig;
import dev.satflow.trainer.data.Family;
import dev.satflow.trainer.data.MixedBatch;
import dev.satflow.trainer.data.MixerConfig;
import dev.satflow.trainer.data.StageMixer;
import dev.satflow.trainer.data.TrainingExample;
import dev.satflow.trainer.model.ModelConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streaming trainer: reads the train split of satflow.qa.v2, mixes static and dynamic questions
 * at the configured ratio, steps the model, and every N steps writes a checkpoint folder and
 * announces it on satflow.checkpoints.v1.
 *
 * <p>Resume: each checkpoint stores, per QA partition, the lowest offset not yet trained on (the
 * oldest example still buffered, else the read position). A restart with the same run id loads the
 * newest checkpoint of that run and seeks there, so no example is lost; the few buffered at the
 * checkpoint are trained on again (at-least-once).
 */
public final class TrainerService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrainerService.class);
    public static final String STAGE = "train";
    /** Frames kept in memory for resolving questions' images (a scene's questions share its frames). */
    static final long FRAME_CACHE_BYTES = 128L * 1024 * 1024;

    /**
     * @param steps  stop after this many steps in all, counting a resumed run's earlier ones (0 = until closed)
     * @param passes how many times to read the topic from the start when caught up and short of a batch
     *               (1 = one pass, then wait for new data; 0 = no limit)
     */
    public record Settings(String bootstrap, String group, String runId, Path outDir, long steps, int checkpointEvery,
            int passes, MixerConfig mixer, ModelConfig model, TrainerConfig trainer) {}

    /** What a finished or stopped run did. */
    public record Summary(long steps, long examples, long staticExamples, long dynamicExamples, float lastLoss,
            float lastAccuracy, List<Checkpoint> checkpoints, boolean resumed, double samplesPerSecond) {}

    private final Settings settings;
    private final Topics topics;
    private final Clock clock;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Counter examplesSeen;
    private final Counter stepsDone;
    private final Counter deadLetters;
    private final Timer stepTimer;

    public TrainerService(Settings settings, Topics topics, MeterRegistry meters, Clock clock) {
        this.settings = settings;
        this.topics = topics;
        this.clock = clock;
        this.examplesSeen = Counter.builder("satflow_train_examples_total").register(meters);
        this.stepsDone = Counter.builder("satflow_train_steps_total").register(meters);
        this.deadLetters = Counter.builder("satflow_dead_letters_total").tag("stage", STAGE).register(meters);
        this.stepTimer = Timer.builder("satflow_train_step_seconds").register(meters);
    }

    /** A buffered example and where it was read from. */
    private record Sourced(TopicPartition partition, long offset) {}

    /** A decoded training example waiting for room in its family's buffer (decoded once, not per retry). */
    private record Pending(TrainingExample example, Sourced source) {}

    public Summary run(Consumer<StepResult> onStep) {
        String clientId = "satflow-train-" + settings.runId();
        Map<String, Object> cc = KafkaClients.consumer(settings.bootstrap(), settings.group(), clientId);
        cc.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 64);
        Optional<Checkpoint> previous = latestCheckpoint();
        StageMixer mixer = new StageMixer(settings.mixer());
        Map<TrainingExample, Sourced> buffered = new IdentityHashMap<>();
        Deque<Pending> overflow = new ArrayDeque<>();
        List<Checkpoint> written = new ArrayList<>();
        long examples = 0;
        StepResult last = null;
        long t0 = System.nanoTime();
        long stepsAtStart;
        try (ModelTrainer trainer = previous.isPresent()
                        ? ModelTrainer.resume(Path.of(previous.get().getPath()), settings.trainer())
                        : ModelTrainer.create(settings.model(), settings.trainer());
                KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(cc, new StringDeserializer(),
                        new ByteArrayDeserializer());
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                        KafkaClients.producer(settings.bootstrap(), clientId), new StringSerializer(),
                        new ByteArraySerializer());
                QuestionImages images = new QuestionImages(new KafkaFrameSource(settings.bootstrap(), topics.frames(),
                        clientId + "-frames", FRAME_CACHE_BYTES))) {
            stepsAtStart = trainer.step();
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(topics.qa().name())) {
                parts.add(new TopicPartition(p.topic(), p.partition()));
            }
            consumer.assign(parts);
            seekToResumePoint(consumer, parts, previous);
            previous.ifPresent(cp -> LOG.info("resuming run {} from checkpoint {} (step {})", settings.runId(),
                    cp.getCheckpointId(), cp.getStep()));
            int pass = 1;
            long examplesAtPassStart = -1;
            double lossSum = 0;
            double accSum = 0;
            int sinceCheckpoint = 0;
            while (!stopping.get() && (settings.steps() <= 0 || trainer.step() < settings.steps())) {
                // refill: offer the overflow first, then poll while both families have room
                while (!overflow.isEmpty() && place(mixer, buffered, overflow.peekFirst())) {
                    overflow.pollFirst();
                }
                boolean caughtUp = false;
                if (overflow.isEmpty()) {
                    ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(100));
                    for (ConsumerRecord<String, byte[]> r : records) {
                        Pending p = decode(r, producer, images);
                        if (p != null && !place(mixer, buffered, p)) {
                            overflow.addLast(p);
                        }
                    }
                    caughtUp = records.isEmpty() && atEnd(consumer);
                }
                Optional<MixedBatch> batch = mixer.poll();
                if (batch.isEmpty() && !overflow.isEmpty()) {
                    // one family's buffer is full and the other cannot fill its share yet: train on what
                    // is there rather than wait (polling stops while the overflow waits, so nothing would come)
                    batch = mixer.pollRelaxed();
                }
                if (batch.isEmpty() && caughtUp) {
                    batch = mixer.pollRelaxed();
                    if (batch.isEmpty() && (settings.passes() <= 0 || pass < settings.passes())) {
                        boolean nothingBuffered = mixer.buffered(Family.STATIC) + mixer.buffered(Family.DYNAMIC) == 0;
                        if (examples == examplesAtPassStart && nothingBuffered) {
                            LOG.warn("a whole pass over {} gave no training example; stopping after {} steps",
                                    topics.qa().name(), trainer.step());
                            break;
                        }
                        examplesAtPassStart = examples;
                        pass++;
                        LOG.info("caught up with {}: starting pass {}", topics.qa().name(), pass);
                        consumer.seekToBeginning(parts);
                        continue;
                    }
                    if (batch.isEmpty() && settings.steps() > 0) {
                        batch = mixer.drain();
                        if (batch.isEmpty()) {
                            LOG.warn("no more training data after {} steps (wanted {})", trainer.step(),
                                    settings.steps());
                            break;
                        }
                    }
                }
                if (batch.isEmpty()) {
                    continue;
                }
                MixedBatch b = batch.get();
                b.examples().forEach(buffered::remove);
                long s0 = System.nanoTime();
                last = trainer.trainStep(b.examples());
                stepTimer.record(Duration.ofNanos(System.nanoTime() - s0));
                stepsDone.increment();
                examples += b.size();
                examplesSeen.increment(b.size());
                lossSum += last.loss();
                accSum += last.accuracy();
                sinceCheckpoint++;
                onStep.accept(last);
                boolean finalStep = settings.steps() > 0 && trainer.step() >= settings.steps();
                if (trainer.step() % settings.checkpointEvery() == 0 || finalStep) {
                    Checkpoint cp = checkpoint(trainer, consumer, parts, buffered, overflow,
                            (float) (lossSum / sinceCheckpoint), (float) (accSum / sinceCheckpoint));
                    producer.send(new ProducerRecord<>(topics.checkpoints().name(), settings.runId(),
                            topics.checkpoints().valueSerde().serializer().serialize(topics.checkpoints().name(), cp)));
                    producer.flush();
                    consumer.commitSync(toCommit(cp));
                    written.add(cp);
                    lossSum = 0;
                    accSum = 0;
                    sinceCheckpoint = 0;
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            return new Summary(trainer.step(), examples, mixer.staticDrawn(), mixer.dynamicDrawn(),
                    last == null ? Float.NaN : last.loss(), last == null ? Float.NaN : last.accuracy(), written,
                    previous.isPresent(), examples / Math.max(secs, 1e-9));
        }
    }

    /** A record's training example; null when it is held out (val/test) or was dead-lettered. */
    private Pending decode(ConsumerRecord<String, byte[]> r, KafkaProducer<String, byte[]> producer,
            QuestionImages images) {
        try {
            QaRecord q = topics.qa().valueSerde().deserializer().deserialize(r.topic(), r.value());
            if (!"train".equals(q.getSplit())) {
                return null; // held out: the evaluator's, not ours
            }
            return new Pending(TrainingExample.from(q, images.images(q)),
                    new Sourced(new TopicPartition(r.topic(), r.partition()), r.offset()));
        } catch (RuntimeException e) {
            DeadLetter dl = DeadLetters.of(STAGE, r.topic(), r.partition(), r.offset(), r.key(), r.value(), e,
                    clock.millis());
            producer.send(new ProducerRecord<>(topics.dlq().name(), r.key(),
                    topics.dlq().valueSerde().serializer().serialize(topics.dlq().name(), dl)));
            deadLetters.increment();
            LOG.warn("dead-lettered {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), dl.getError());
            return null;
        }
    }

    /** Offers a decoded example to the mixer; false when its family's buffer is full (retry later). */
    private static boolean place(StageMixer mixer, Map<TrainingExample, Sourced> buffered, Pending p) {
        if (!mixer.hasRoom(p.example().family()) || !mixer.offer(p.example())) {
            return false;
        }
        buffered.put(p.example(), p.source());
        return true;
    }

    private Checkpoint checkpoint(ModelTrainer trainer, KafkaConsumer<String, byte[]> consumer,
            List<TopicPartition> parts, Map<TrainingExample, Sourced> buffered,
            Deque<Pending> overflow, float loss, float acc) {
        // resume point per partition: oldest example not yet trained on, else the read position
        Map<TopicPartition, Long> resume = new HashMap<>();
        for (TopicPartition tp : parts) {
            resume.put(tp, consumer.position(tp));
        }
        buffered.values().forEach(s -> resume.merge(s.partition(), s.offset(), Math::min));
        overflow.forEach(p -> resume.merge(p.source().partition(), p.source().offset(), Math::min));
        Map<String, Long> offsets = new TreeMap<>();
        resume.forEach((tp, off) -> offsets.put(tp.topic() + "-" + tp.partition(), off));

        String id = settings.runId() + "-step-" + String.format("%06d", trainer.step());
        Path dir = settings.outDir().resolve("checkpoints").resolve(settings.runId())
                .resolve(String.format("step-%06d", trainer.step())).toAbsolutePath();
        trainer.saveCheckpoint(dir, Map.of("runId", settings.runId(), "checkpointId", id));
        LOG.info("checkpoint {}: loss {} accuracy {} -> {}", id, String.format("%.4f", loss),
                String.format("%.3f", acc), dir);
        return Checkpoint.newBuilder()
                .setCheckpointId(id).setRunId(settings.runId()).setStep(trainer.step())
                .setSamplesSeen(trainer.step() * settings.mixer().batchSize())
                .setPath(dir.toString()).setModelName("SpatialQaModel")
                .setModelConfig(trainer.modelConfig().toJson())
                .setTrainLoss(loss).setTrainAccuracy(acc)
                .setOffsets(offsets).setCreatedAtMs(clock.millis())
                .build();
    }

    private static Map<TopicPartition, OffsetAndMetadata> toCommit(Checkpoint cp) {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        cp.getOffsets().forEach((k, v) -> {
            int dash = k.lastIndexOf('-');
            out.put(new TopicPartition(k.substring(0, dash), Integer.parseInt(k.substring(dash + 1))),
                    new OffsetAndMetadata(v, cp.getCheckpointId()));
        });
        return out;
    }

    private void seekToResumePoint(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> parts,
            Optional<Checkpoint> previous) {
        consumer.seekToBeginning(parts);
        previous.ifPresent(cp -> toCommit(cp).forEach((tp, om) -> {
            if (parts.contains(tp)) {
                consumer.seek(tp, om.offset());
            }
        }));
    }

    private static boolean atEnd(KafkaConsumer<String, byte[]> consumer) {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    /** The newest checkpoint of this run whose folder still exists, from the checkpoints topic. */
    Optional<Checkpoint> latestCheckpoint() {
        Map<String, Object> cc = KafkaClients.consumer(settings.bootstrap(), null, "satflow-train-resume");
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(cc, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo p : c.partitionsFor(topics.checkpoints().name())) {
                parts.add(new TopicPartition(p.topic(), p.partition()));
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            Checkpoint best = null;
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (!settings.runId().equals(r.key())) {
                        continue;
                    }
                    try {
                        Checkpoint cp = topics.checkpoints().valueSerde().deserializer().deserialize(r.topic(),
                                r.value());
                        if (Files.isDirectory(Path.of(cp.getPath())) && (best == null || cp.getStep() > best.getStep())) {
                            best = cp;
                        }
                    } catch (RuntimeException e) {
                        LOG.warn("skipping unreadable checkpoint record at {}-{}@{}: {}", r.topic(), r.partition(),
                                r.offset(), e.getMessage());
                    }
                }
            }
            return Optional.ofNullable(best);
        }
    }

    @Override
    public void close() {
        stopping.set(true);
    }
}
