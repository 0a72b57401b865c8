package dev.satflow.evaluator;

import dev.satflow.contracts.Topics;
import dev.satflow.core.frames.KafkaFrameSource;
import dev.satflow.core.frames.QuestionImages;
import dev.satflow.core.kafka.KafkaClients;
import dev.satflow.core.validate.ContractViolation;
import dev.satflow.core.validate.DeadLetters;
import dev.satflow.evaluator.blind.DatasetReport;
import dev.satflow.schema.Checkpoint;
import dev.satflow.schema.DeadLetter;
import dev.satflow.schema.EvalReport;
import dev.satflow.schema.QaRecord;
import dev.satflow.trainer.data.TrainingExample;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores every checkpoint announced on satflow.checkpoints.v1 against the held-out split of
 * satflow.qa.v2 (read from the beginning and topped up before each evaluation), writes the JSON and
 * HTML reports, and announces an EvalReport.
 *
 * <p><b>Each checkpoint is evaluated once.</b> The EvalReport, the dead letters sent meanwhile and the
 * checkpoint's consumed offset commit in one Kafka transaction (transactional id
 * {@code satflow-eval-<group>}, one evaluator per group), so an evaluator killed at any point and
 * restarted announces exactly one report per checkpoint: a checkpoint whose transaction had not committed
 * is evaluated again (its report files are rewritten in place, same folder), one whose transaction had
 * committed is not read again. A restart with the same id also aborts the dead one's open transaction.
 *
 * <p>Memory stays bounded however many checkpoints arrive: only the held-out QA records are kept (about
 * a kilobyte each, references to frames, no pixels); each evaluation resolves their images and predicts
 * a chunk at a time ({@link CircularScorer}) through a frame source with a byte-bounded cache. Every
 * question is asked in every cyclic order of its options (circular evaluation). The blind baselines
 * ({@link DatasetReport} over every record of the QA topic) are computed again only when the topic has
 * grown by {@code blindRefreshGrowth} since they were last computed, not per checkpoint.
 */
public final class EvaluatorService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EvaluatorService.class);
    public static final String STAGE = "evaluate";
    /** Bytes of frames the evaluator's frame source caches. */
    public static final long FRAME_CACHE_BYTES = 64L * 1024 * 1024;
    /** Recompute the blind baselines once the QA topic has this many more records (relative). */
    public static final double DEFAULT_BLIND_REFRESH = 0.05;

    /**
     * @param maxCheckpoints     stop after this many (0 = until closed)
     * @param chunk              questions resolved and predicted together
     * @param blindRefreshGrowth relative growth of the QA topic that makes the blind baselines stale (0 = any)
     * @param blindSeed          seed of the blind baselines' hashing and shuffles
     */
    public record Settings(String bootstrap, String group, String split, Path outDir, int maxCheckpoints, int chunk,
            double blindRefreshGrowth, long blindSeed) {
        public Settings {
            if (chunk < 1) {
                throw new IllegalArgumentException("chunk = " + chunk + ": expected >= 1");
            }
            if (!(blindRefreshGrowth >= 0)) {
                throw new IllegalArgumentException("blindRefreshGrowth = " + blindRefreshGrowth + ": expected >= 0");
            }
        }

        public Settings(String bootstrap, String group, String split, Path outDir, int maxCheckpoints) {
            this(bootstrap, group, split, outDir, maxCheckpoints, CircularScorer.DEFAULT_CHUNK, DEFAULT_BLIND_REFRESH,
                    1);
        }

        public Settings withChunk(int chunk) {
            return new Settings(bootstrap, group, split, outDir, maxCheckpoints, chunk, blindRefreshGrowth, blindSeed);
        }
    }

    private final Settings settings;
    private final Topics topics;
    private final Clock clock;
    private final Function<Path, ChoicePredictor.Loaded> loader;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final List<QaRecord> heldOut = new ArrayList<>();
    private final AtomicLong heldOutCount = new AtomicLong();
    private final AtomicLong heldOutBytes = new AtomicLong();
    private long qaRecords;
    private volatile BlindReference blind = BlindReference.NONE;
    private volatile CircularScorer.Held lastHeld;
    private final Counter evaluated;
    private final Counter deadLetters;
    private final Timer evalTimer;

    public EvaluatorService(Settings settings, Topics topics, MeterRegistry meters, Clock clock) {
        this(settings, topics, meters, clock, ChoicePredictor::load);
    }

    /** @param loader opens a checkpoint folder as a predictor (tests hand in their own) */
    public EvaluatorService(Settings settings, Topics topics, MeterRegistry meters, Clock clock,
            Function<Path, ChoicePredictor.Loaded> loader) {
        this.settings = settings;
        this.topics = topics;
        this.clock = clock;
        this.loader = loader;
        this.evaluated = Counter.builder("satflow_checkpoints_evaluated_total").register(meters);
        this.deadLetters = Counter.builder("satflow_dead_letters_total").tag("stage", STAGE).register(meters);
        this.evalTimer = Timer.builder("satflow_evaluation_seconds").register(meters);
        Gauge.builder("satflow_eval_held_questions", heldOutCount, AtomicLong::get)
                .description("held-out QA records the evaluator keeps (no pixels)").register(meters);
        Gauge.builder("satflow_eval_held_question_bytes", heldOutBytes, AtomicLong::get)
                .description("serialized bytes of the held-out QA records kept").register(meters);
    }

    /**
     * Uses a report already computed over the QA topic (the demo prints one before training) for the
     * topic state with as many records, instead of computing it again.
     */
    public void adoptBlindReport(DatasetReport report) {
        blind = BlindReference.of(report, report.stats().all().count());
    }

    /** Held-out questions kept now. */
    public long heldQuestions() {
        return heldOutCount.get();
    }

    /** Their serialized size in bytes. */
    public long heldQuestionBytes() {
        return heldOutBytes.get();
    }

    /** What the last evaluation held at most at once (null before the first). */
    public CircularScorer.Held lastHeld() {
        return lastHeld;
    }

    /** The blind baselines in use. */
    public BlindReference blind() {
        return blind;
    }

    /** Runs until maxCheckpoints are scored or {@link #close()}; calls onReport after each. */
    public void run(Consumer<EvalReport> onReport) {
        String clientId = "satflow-eval-" + settings.group();
        Map<String, Object> cc = KafkaClients.consumer(settings.bootstrap(), settings.group(), clientId + "-checkpoints");
        cc.put(org.apache.kafka.clients.consumer.ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1); // one transaction each
        try (KafkaConsumer<String, byte[]> checkpoints = new KafkaConsumer<>(cc, new StringDeserializer(),
                        new ByteArrayDeserializer());
                KafkaConsumer<String, byte[]> qa = new KafkaConsumer<>(
                        KafkaClients.consumer(settings.bootstrap(), null, clientId + "-qa"),
                        new StringDeserializer(), new ByteArrayDeserializer());
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                        KafkaClients.transactionalProducer(settings.bootstrap(), clientId, clientId),
                        new StringSerializer(), new ByteArraySerializer());
                QuestionImages images = new QuestionImages(new KafkaFrameSource(settings.bootstrap(), topics.frames(),
                        clientId + "-frames", FRAME_CACHE_BYTES))) {
            producer.initTransactions(); // fences an earlier evaluator of this group, aborting its open transaction
            List<TopicPartition> qaParts = partitions(qa, topics.qa().name());
            qa.assign(qaParts);
            qa.seekToBeginning(qaParts);
            checkpoints.subscribe(List.of(topics.checkpoints().name()));
            int done = 0;
            while (!stopping.get() && (settings.maxCheckpoints() <= 0 || done < settings.maxCheckpoints())) {
                for (ConsumerRecord<String, byte[]> r : checkpoints.poll(Duration.ofMillis(500))) {
                    producer.beginTransaction();
                    EvalReport report = null;
                    try {
                        Checkpoint cp = null;
                        try {
                            cp = ContractViolation.requireValue(topics.checkpoints().valueSerde().deserializer()
                                    .deserialize(r.topic(), r.value()), "a checkpoint");
                            if (!Files.isDirectory(Path.of(cp.getPath()))) {
                                throw new IllegalArgumentException("path = " + cp.getPath()
                                        + ": checkpoint folder not found on this machine");
                            }
                        } catch (RuntimeException e) {
                            deadLetter(producer, r, e);
                            cp = null;
                        }
                        if (cp != null) {
                            topUp(qa, producer, images);
                            refreshBlind(clientId);
                            report = evaluate(cp, images);
                            producer.send(new ProducerRecord<>(topics.eval().name(), report.getCheckpointId(),
                                    topics.eval().valueSerde().serializer().serialize(topics.eval().name(), report)));
                        }
                        producer.sendOffsetsToTransaction(Map.of(new TopicPartition(r.topic(), r.partition()),
                                new OffsetAndMetadata(r.offset() + 1)), checkpoints.groupMetadata());
                        producer.commitTransaction();
                    } catch (ProducerFencedException e) {
                        throw e;
                    } catch (KafkaException e) {
                        // not committed: nothing announced; read the checkpoint again and evaluate it again
                        LOG.warn("evaluation of {}-{}@{} not committed ({}); it will be evaluated again", r.topic(),
                                r.partition(), r.offset(), e.toString());
                        producer.abortTransaction();
                        checkpoints.seek(new TopicPartition(r.topic(), r.partition()), r.offset());
                        continue;
                    }
                    if (report != null) {
                        onReport.accept(report);
                        done++;
                    }
                }
            }
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer, String topic) {
        List<TopicPartition> parts = new ArrayList<>();
        for (PartitionInfo p : consumer.partitionsFor(topic)) {
            parts.add(new TopicPartition(p.topic(), p.partition()));
        }
        return parts;
    }

    /**
     * Reads QA records up to the current end of the topic, keeping the held-out ones whose images resolve
     * (checked once, here, so a broken record is dead-lettered once; the images are not kept).
     */
    private void topUp(KafkaConsumer<String, byte[]> qa, KafkaProducer<String, byte[]> producer,
            QuestionImages images) {
        Map<TopicPartition, Long> end = qa.endOffsets(qa.assignment());
        while (end.entrySet().stream().anyMatch(e -> qa.position(e.getKey()) < e.getValue())) {
            List<ConsumerRecord<String, byte[]>> raw = new ArrayList<>();
            List<QaRecord> candidates = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> r : qa.poll(Duration.ofMillis(200))) {
                try {
                    QaRecord q = ContractViolation.requireValue(
                            topics.qa().valueSerde().deserializer().deserialize(r.topic(), r.value()), "a question");
                    qaRecords++;
                    if (settings.split().equals(q.getSplit())) {
                        raw.add(r);
                        candidates.add(q);
                    }
                } catch (RuntimeException e) {
                    deadLetter(producer, r, e);
                }
            }
            for (int from = 0; from < candidates.size(); from += settings.chunk()) {
                int to = Math.min(candidates.size(), from + settings.chunk());
                images.prefetch(candidates.subList(from, to));
                for (int i = from; i < to; i++) {
                    QaRecord q = candidates.get(i);
                    try {
                        TrainingExample.from(q, images.images(q)); // validates; images dropped right away
                        heldOut.add(q);
                        heldOutCount.incrementAndGet();
                        heldOutBytes.addAndGet(raw.get(i).value().length);
                    } catch (RuntimeException e) {
                        deadLetter(producer, raw.get(i), e);
                    }
                }
            }
        }
    }

    /** Computes the blind baselines over the whole QA topic when it has grown enough since the last time. */
    private void refreshBlind(String clientId) {
        long had = blind.records();
        boolean stale = had == 0 ? qaRecords > 0
                : qaRecords > had && qaRecords - had >= settings.blindRefreshGrowth() * had;
        if (!stale) {
            return;
        }
        long t0 = System.nanoTime();
        List<QaRecord> all = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> scan = new KafkaConsumer<>(
                KafkaClients.consumer(settings.bootstrap(), null, clientId + "-blind"), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = partitions(scan, topics.qa().name());
            scan.assign(parts);
            scan.seekToBeginning(parts);
            Map<TopicPartition, Long> end = scan.endOffsets(parts);
            while (end.entrySet().stream().anyMatch(e -> scan.position(e.getKey()) < e.getValue())) {
                for (ConsumerRecord<String, byte[]> r : scan.poll(Duration.ofMillis(200))) {
                    try {
                        QaRecord q = topics.qa().valueSerde().deserializer().deserialize(r.topic(), r.value());
                        if (q != null) { // a tombstone: dead-lettered by topUp, and no question
                            all.add(q);
                        }
                    } catch (RuntimeException e) {
                        // dead-lettered by topUp already
                    }
                }
            }
        }
        try {
            blind = BlindReference.of(DatasetReport.of(all, settings.blindSeed()), all.size());
            LOG.info("blind baselines over {} QA records in {} s (were over {})", all.size(),
                    String.format("%.1f", (System.nanoTime() - t0) / 1e9), had);
        } catch (RuntimeException e) {
            LOG.warn("blind baselines over {} QA records failed, keeping those over {}: {}", all.size(), had,
                    e.toString());
        }
    }

    private EvalReport evaluate(Checkpoint cp, QuestionImages images) {
        Set<String> unresolved = new HashSet<>();
        Evaluation.Result result;
        try (ChoicePredictor.Loaded predictor = loader.apply(Path.of(cp.getPath()))) {
            result = Evaluation.run(new Evaluation.Target(cp.getCheckpointId(), cp.getRunId(), cp.getStep()),
                    settings.split(), Collections.unmodifiableList(heldOut), images, predictor, blind,
                    settings.outDir(), new Evaluation.Options(settings.chunk(), MistakeGallery.Limits.DEFAULT),
                    (q, e) -> {
                        unresolved.add(q.getQaId());
                        LOG.warn("question {} left out: {}", q.getQaId(), e.getMessage());
                    }, clock.millis());
        }
        if (!unresolved.isEmpty()) {
            int before = heldOut.size();
            heldOut.removeIf(q -> unresolved.contains(q.getQaId()));
            heldOutCount.set(heldOut.size());
            heldOutBytes.set(before == 0 ? 0 : heldOutBytes.get() * heldOut.size() / before); // about
        }
        EvalReport report = result.report();
        lastHeld = result.held();
        evaluated.increment();
        evalTimer.record(Duration.ofNanos((long) (report.getEvalSeconds() * 1e9)));
        LOG.info("checkpoint {} (step {}): accuracy {}, circular {} on {} {} questions (chance {}) in {} s; {}; "
                        + "keeping {} questions ({} kB) -> {}", cp.getCheckpointId(), cp.getStep(),
                String.format("%.3f", report.getAccuracy()), report.getCircularAccuracy() == null ? "-"
                        : String.format("%.3f", report.getCircularAccuracy()), report.getCount(), settings.split(),
                String.format("%.3f", report.getChance()), String.format("%.1f", report.getEvalSeconds()),
                result.held(), heldOut.size(), heldOutBytes.get() / 1000, report.getReportPath());
        return report;
    }

    private void deadLetter(KafkaProducer<String, byte[]> producer, ConsumerRecord<String, byte[]> r,
            RuntimeException e) {
        DeadLetter dl = DeadLetters.of(STAGE, r.topic(), r.partition(), r.offset(), r.key(), r.value(), e,
                clock.millis());
        producer.send(new ProducerRecord<>(topics.dlq().name(), r.key(),
                topics.dlq().valueSerde().serializer().serialize(topics.dlq().name(), dl)));
        deadLetters.increment();
        LOG.warn("dead-lettered {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), dl.getError());
    }

    @Override
    public void close() {
        stopping.set(true);
    }
}
