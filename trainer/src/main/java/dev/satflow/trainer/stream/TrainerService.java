package dev.satflow.trainer.stream;

import dev.satflow.contracts.Topics;
import dev.satflow.core.frames.KafkaFrameSource;
import dev.satflow.core.frames.QuestionImages;
import dev.satflow.core.kafka.KafkaClients;
import dev.satflow.core.validate.ContractViolation;
import dev.satflow.core.validate.DeadLetters;
import dev.satflow.schema.Checkpoint;
import dev.satflow.schema.DeadLetter;
import dev.satflow.schema.QaRecord;
import dev.satflow.trainer.CheckpointInfo;
import dev.satflow.trainer.Checkpoints;
import dev.satflow.trainer.ModelTrainer;
import dev.satflow.trainer.StepResult;
import dev.satflow.trainer.TrainerConfig;
import dev.satflow.trainer.data.BatchAssembler;
import dev.satflow.trainer.data.DrawnBatch;
import dev.satflow.trainer.data.Family;
import dev.satflow.trainer.data.TrainingExample;
import dev.satflow.trainer.data.TypeMixer;
import dev.satflow.trainer.model.ModelConfig;
import dev.satflow.trainer.plan.MixingPlan;
import dev.satflow.trainer.plan.PlanCursor;
import dev.satflow.trainer.plan.Stage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
 * The streaming trainer: reads the train split of satflow.qa.v2 into bounded per-type buffers, draws batches
 * from them as its {@link MixingPlan} says (type weights, rehearsal, learning rate, stage by stage), steps the
 * model, and every N steps writes a checkpoint folder and announces it on satflow.checkpoints.v1.
 *
 * <p><b>Continuous mode</b> ({@code steps = 0}): runs until closed. When caught up it waits for new records
 * (polling), never stops for lack of data; a remainder short of a batch is trained as a smaller batch once the
 * topic has been quiet for {@code linger}.
 *
 * <p><b>Resume contract.</b> A checkpoint folder is written atomically (temp folder, fsync, rename) with a
 * {@link ResumePoint}: per partition the read position and the offsets below it still pending (buffered, not
 * trained). A run with the same run id starts from the newest complete checkpoint of that run (the newest
 * {@code OUT/checkpoints/RUN/step-N} folder, or the newest announced one whose folder exists), seeks to the lowest
 * pending offset and skips what the checkpoint's model had already trained. Hence, after a crash (even kill -9):
 * <ul>
 *   <li>no example trained at or before the checkpoint's step is trained again (fresh; rehearsal re-draws are by
 *       design and marked as such), and none read but not trained by then is skipped;</li>
 *   <li>the at-least-once window is exactly the examples trained in the steps after that checkpoint up to the
 *       crash (at most {@code checkpointEvery - 1} steps' worth, {@code (checkpointEvery - 1) × batch} examples,
 *       or {@code checkpointEvery × batch} when the crash hits while the next checkpoint is written): their updates
 *       died with the process, and they are trained again.</li>
 * </ul>
 * The plan resumes at the same stage and step within it; the rehearsal reservoir and Adam's moments start empty.
 * Stopped by {@link #close()} (SIGTERM), it finishes the step in hand and writes a final checkpoint of the steps
 * since the last one, so a clean stop loses nothing.
 * Every trained example is logged by {@link ExampleLog} (when enabled), which is how the contract is tested.
 */
public final class TrainerService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrainerService.class);
    public static final String STAGE = "train";
    /**
     * Frames kept in memory for resolving questions' images (a scene's questions share its frames). Each pass
     * reads the topic in the same order, and a least-recently-used cache even slightly smaller than the frames
     * evicts each one just before it is wanted again: at 128 MB the default demo's 127 MB of frames were read
     * back from Kafka on every pass, and steps ran at a third of their speed meanwhile.
     */
    static final long FRAME_CACHE_BYTES = 256L * 1024 * 1024;
    private static final Pattern STEP_DIR = Pattern.compile("step-(\\d+)");

    /**
     * How batches are composed.
     *
     * @param batchSize     examples per step
     * @param plan          the mixing plan
     * @param bufferPerType examples buffered per question type before reading pauses; at least one batch
     * @param reservoir     capacity of the rehearsal reservoir (0 = no rehearsal)
     * @param seed          seeds the draws
     */
    public record Mix(int batchSize, MixingPlan plan, int bufferPerType, int reservoir, long seed) {
        public Mix {
            if (batchSize <= 0) {
                throw new IllegalArgumentException("batchSize must be positive");
            }
            if (bufferPerType < batchSize) {
                throw new IllegalArgumentException("bufferPerType must hold at least one batch");
            }
            if (reservoir < 0) {
                throw new IllegalArgumentException("reservoir must be >= 0");
            }
        }
    }

    /**
     * @param steps      stop after this many steps in all, counting a resumed run's earlier ones (0 = until closed)
     * @param passes     how many times to read the topic from the start when caught up and short of a batch
     *                   (1 = one pass, then wait for new data; 0 = no limit)
     * @param linger     continuous mode: how long the topic must be quiet before a remainder short of a batch is
     *                   trained as a smaller batch
     * @param exampleLog write the {@link ExampleLog} of trained examples
     */
    public record Settings(String bootstrap, String group, String runId, Path outDir, long steps, int checkpointEvery,
            int passes, Mix mix, ModelConfig model, TrainerConfig trainer, Duration linger, boolean exampleLog) {

        public Settings withPasses(int newPasses) {
            return new Settings(bootstrap, group, runId, outDir, steps, checkpointEvery, newPasses, mix, model, trainer,
                    linger, exampleLog);
        }

        public Settings withSteps(long newSteps) {
            return new Settings(bootstrap, group, runId, outDir, newSteps, checkpointEvery, passes, mix, model,
                    trainer, linger, exampleLog);
        }
    }

    /** What a finished or stopped run did (examples counts are of this process, fresh and rehearsal). */
    public record Summary(long steps, long examples, long staticExamples, long dynamicExamples, float lastLoss,
            float lastAccuracy, List<Checkpoint> checkpoints, boolean resumed, double samplesPerSecond,
            long rehearsedExamples, int stageIndex, String stageName) {}

    private final Settings settings;
    private final Topics topics;
    private final Clock clock;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicLong freshTrained = new AtomicLong();
    private final Counter examplesSeen;
    private final Counter rehearsed;
    private final Counter passedOver;
    private final Counter stepsDone;
    private final Counter deadLetters;
    private final java.util.concurrent.atomic.AtomicReference<Exception> sendFailure =
            new java.util.concurrent.atomic.AtomicReference<>();
    private final Timer stepTimer;

    public TrainerService(Settings settings, Topics topics, MeterRegistry meters, Clock clock) {
        this.settings = settings;
        this.topics = topics;
        this.clock = clock;
        this.examplesSeen = Counter.builder("satflow_train_examples_total").register(meters);
        this.rehearsed = Counter.builder("satflow_train_rehearsed_total").register(meters);
        this.passedOver = Counter.builder("satflow_train_passed_over_total")
                .description("train examples read while the plan's stage gave their type no weight").register(meters);
        this.stepsDone = Counter.builder("satflow_train_steps_total").register(meters);
        this.deadLetters = Counter.builder("satflow_dead_letters_total").tag("stage", STAGE).register(meters);
        this.stepTimer = Timer.builder("satflow_train_step_seconds").register(meters);
    }

    /** Fresh examples trained by this process so far (readable from another thread). */
    public long freshExamplesTrained() {
        return freshTrained.get();
    }

    /**
     * Where a buffered example was read from, and its record's key; {@code firstRead}: not read in an earlier
     * pass, so a failure on it is news (dead-lettered), not a repeat of one dead-lettered before.
     */
    private record Sourced(TopicPartition partition, long offset, String key, boolean firstRead) {
        String describe() {
            return partition.topic() + "-" + partition.partition() + "@" + offset;
        }
    }

    /** A decoded training example waiting for room in its type's buffer (decoded once, not per retry). */
    private record Pending(TrainingExample example, Sourced source) {}

    /** A checkpoint to resume from, its folder and what it recorded. */
    record Found(Checkpoint record, Path dir, ResumePoint resume, boolean announced) {}

    public Summary run(Consumer<StepResult> onStep) {
        String clientId = "satflow-train-" + settings.runId();
        Map<String, Object> cc = KafkaClients.consumer(settings.bootstrap(), settings.group(), clientId);
        cc.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 64);
        Optional<Found> previous = latestCheckpoint();
        MixingPlan plan = settings.mix().plan();
        ResumePoint rp = previous.map(Found::resume).orElse(null);
        PlanCursor cursor = rp != null && rp.plan() != null ? PlanCursor.restore(plan, rp.plan()) : new PlanCursor(plan);
        if (rp != null && rp.planJson() != null && !rp.planJson().equals(plan.toJson())) {
            LOG.warn("the plan differs from the one checkpoint {} was trained with; continuing at stage {} step {} "
                    + "of the new plan", previous.get().record().getCheckpointId(), cursor.stageIndex(),
                    cursor.stepsInStage());
        }
        long startStep = previous.map(f -> f.record().getStep()).orElse(0L);
        TypeMixer mixer = new TypeMixer(settings.mix().batchSize(), settings.mix().bufferPerType(),
                settings.mix().reservoir(), settings.mix().seed() * 1_000_003L + startStep);
        if (rp != null) {
            mixer.restoreCredits(rp.credits(), rp.rehearsalCredit());
        }
        Map<TrainingExample, Sourced> buffered = new IdentityHashMap<>();
        Deque<Pending> overflow = new ArrayDeque<>();
        List<Checkpoint> written = new ArrayList<>();
        long examples = 0;
        long staticExamples = 0;
        long dynamicExamples = 0;
        long rehearsedHere = 0;
        StepResult last = null;
        long t0 = System.nanoTime();
        try (ModelTrainer trainer = previous.isPresent()
                        ? ModelTrainer.resume(previous.get().dir(), settings.trainer())
                        : ModelTrainer.create(settings.model(), settings.trainer());
                KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(cc, new StringDeserializer(),
                        new ByteArrayDeserializer());
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                        KafkaClients.producer(settings.bootstrap(), clientId), new StringSerializer(),
                        new ByteArraySerializer());
                QuestionImages images = new QuestionImages(new KafkaFrameSource(settings.bootstrap(), topics.frames(),
                        clientId + "-frames", FRAME_CACHE_BYTES));
                ExampleLog log = settings.exampleLog() ? ExampleLog.open(settings.outDir(), settings.runId()) : null) {
            if (previous.isPresent() && !previous.get().announced()) {
                announce(producer, previous.get().record());
            }
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(topics.qa().name())) {
                parts.add(new TopicPartition(p.topic(), p.partition()));
            }
            consumer.assign(parts);
            ResumeFilter filter = seekToResumePoint(consumer, parts, rp);
            previous.ifPresent(f -> LOG.info("resuming run {} from checkpoint {} (step {}, plan stage {} '{}' step {})",
                    settings.runId(), f.record().getCheckpointId(), f.record().getStep(), cursor.stageIndex(),
                    cursor.stage().name(), cursor.stepsInStage()));
            if (previous.isEmpty()) {
                LOG.info("training run {} with the {}", settings.runId(), plan.origin());
                plan.describe().forEach(line -> LOG.info("  {}", line));
            }
            if (log != null) {
                LOG.info("trained examples are logged to {}", log.file());
            }
            int pass = rp != null ? Math.max(1, rp.pass()) : 1;
            // where earlier passes stopped reading: a bad record is dead-lettered on its first read only (after a
            // restart its first read here counts as first: at least once, like the data)
            Map<TopicPartition, Long> readBefore = new HashMap<>();
            long examplesAtPassStart = -1;
            boolean waiting = false; // continuous mode: no more re-reads, wait for new records
            long quietSince = -1;
            double lossSum = 0;
            double accSum = 0;
            int sinceCheckpoint = 0;
            while (!stopping.get() && (settings.steps() <= 0 || trainer.step() < settings.steps())) {
                Stage stage = cursor.stage();
                // refill: offer the overflow first, then poll while nothing waits for room
                while (!overflow.isEmpty() && place(mixer, buffered, overflow.peekFirst())) {
                    overflow.pollFirst();
                }
                boolean caughtUp = false;
                if (overflow.isEmpty()) {
                    ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(100));
                    for (ConsumerRecord<String, byte[]> r : records) {
                        if (filter.alreadyDone(r)) {
                            continue;
                        }
                        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                        boolean firstRead = r.offset() >= readBefore.getOrDefault(tp, 0L);
                        Pending p = decode(r, producer, images, firstRead);
                        if (p == null) {
                            continue;
                        }
                        if (stage.weight(p.example().questionType()) <= 0) {
                            passedOver.increment(); // this stage does not train its type
                        } else if (!place(mixer, buffered, p)) {
                            overflow.addLast(p);
                        }
                    }
                    filter.forget(consumer);
                    caughtUp = records.isEmpty() && atEnd(consumer);
                    if (!records.isEmpty()) {
                        waiting = false;
                    }
                }
                quietSince = caughtUp ? (quietSince < 0 ? System.nanoTime() : quietSince) : -1;
                Optional<DrawnBatch> batch = mixer.poll(stage);
                if (batch.isEmpty() && !overflow.isEmpty()) {
                    // a full buffer blocks reading and another weighted type cannot fill its share: train on
                    // what is there rather than wait (nothing new would come while the overflow waits)
                    batch = mixer.pollRelaxed(stage);
                }
                if (batch.isEmpty() && caughtUp) {
                    batch = mixer.pollRelaxed(stage);
                    if (batch.isEmpty() && !waiting && (settings.passes() <= 0 || pass < settings.passes())) {
                        boolean nothingBuffered = mixer.bufferedTotal() == 0;
                        if (examples == examplesAtPassStart && nothingBuffered) {
                            if (settings.steps() > 0) {
                                LOG.warn("a whole pass over {} gave no training example; stopping after {} steps",
                                        topics.qa().name(), trainer.step());
                                break;
                            }
                            LOG.info("a whole pass over {} gave no training example; waiting for new records",
                                    topics.qa().name());
                            waiting = true;
                            continue;
                        }
                        examplesAtPassStart = examples;
                        for (TopicPartition tp : parts) {
                            readBefore.put(tp, consumer.position(tp)); // what lies below was read this pass
                        }
                        pass++;
                        LOG.info("caught up with {}: starting pass {}", topics.qa().name(), pass);
                        consumer.seekToBeginning(parts);
                        filter = ResumeFilter.NONE;
                        continue;
                    }
                    if (batch.isEmpty() && settings.steps() > 0) {
                        batch = mixer.drain(stage);
                        if (batch.isEmpty()) {
                            LOG.warn("no more training data after {} steps (wanted {})", trainer.step(),
                                    settings.steps());
                            break;
                        }
                    }
                    if (batch.isEmpty() && settings.steps() <= 0 && quietSince >= 0
                            && System.nanoTime() - quietSince >= settings.linger().toNanos()) {
                        batch = mixer.drain(stage); // continuous: train the remainder rather than hold it
                    }
                }
                if (batch.isEmpty()) {
                    continue;
                }
                DrawnBatch b = batch.get();
                int stageIndex = cursor.stageIndex();
                trainer.setLearningRate(cursor.learningRate(settings.trainer().learningRate()));
                long s0 = System.nanoTime();
                StepResult result = null;
                while (b != null && result == null) {
                    try {
                        result = trainer.trainStep(b.examples());
                    } catch (BatchAssembler.UnreadableImage u) {
                        b = without(b, u, buffered, mixer, producer); // assembly failed: nothing was trained
                    }
                }
                if (b == null) {
                    continue; // every example of the batch had an image that does not decode
                }
                last = result;
                stepTimer.record(Duration.ofNanos(System.nanoTime() - s0));
                List<String> types = new ArrayList<>(b.size());
                for (DrawnBatch.Item item : b.items()) {
                    TrainingExample e = item.example();
                    types.add(e.questionType());
                    Sourced src = item.rehearsal() ? null : buffered.remove(e);
                    if (log != null) {
                        log.line(last.step(), item.rehearsal(), e.qaId(), stageIndex,
                                src == null ? "-" : src.describe());
                    }
                    if (e.family() == Family.DYNAMIC) {
                        dynamicExamples++;
                    } else {
                        staticExamples++;
                    }
                }
                if (log != null) {
                    log.flush();
                }
                stepsDone.increment();
                examples += b.size();
                rehearsedHere += b.rehearsalCount();
                freshTrained.addAndGet(b.size() - b.rehearsalCount());
                examplesSeen.increment(b.size());
                rehearsed.increment(b.rehearsalCount());
                lossSum += last.loss();
                accSum += last.accuracy();
                sinceCheckpoint++;
                if (cursor.afterStep(types, last.exampleLosses(), last.exampleRight())) {
                    Stage next = cursor.stage();
                    LOG.info("plan: stage {} '{}' ended after step {}; stage {} '{}' begins", stageIndex,
                            stage.name(), trainer.step(), cursor.stageIndex(), next.name());
                    mixer.resetCredits();
                    int dropped = 0;
                    for (TrainingExample e : mixer.evictUnweighted(next)) {
                        buffered.remove(e);
                        dropped++;
                    }
                    for (Iterator<Pending> it = overflow.iterator(); it.hasNext(); ) {
                        if (next.weight(it.next().example().questionType()) <= 0) {
                            it.remove();
                            dropped++;
                        }
                    }
                    if (dropped > 0) {
                        passedOver.increment(dropped);
                        LOG.info("plan: {} buffered examples of types stage '{}' does not weight passed over", dropped,
                                next.name());
                    }
                }
                onStep.accept(last);
                boolean finalStep = settings.steps() > 0 && trainer.step() >= settings.steps();
                if (trainer.step() % settings.checkpointEvery() == 0 || finalStep) {
                    ResumePoint point = resumePoint(consumer, parts, buffered, overflow, pass, cursor, mixer, plan);
                    Checkpoint cp = checkpoint(trainer, point, (float) (lossSum / sinceCheckpoint),
                            (float) (accSum / sinceCheckpoint), examples);
                    announce(producer, cp);
                    consumer.commitSync(toCommit(cp));
                    written.add(cp);
                    lossSum = 0;
                    accSum = 0;
                    sinceCheckpoint = 0;
                }
            }
            if (stopping.get() && sinceCheckpoint > 0) {
                // stopped (SIGTERM): keep the steps since the last checkpoint, so a restart resumes from here
                ResumePoint point = resumePoint(consumer, parts, buffered, overflow, pass, cursor, mixer, plan);
                Checkpoint cp = checkpoint(trainer, point, (float) (lossSum / sinceCheckpoint),
                        (float) (accSum / sinceCheckpoint), examples);
                announce(producer, cp);
                consumer.commitSync(toCommit(cp));
                written.add(cp);
                LOG.info("stopped: final checkpoint {} at step {}", cp.getCheckpointId(), cp.getStep());
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            return new Summary(trainer.step(), examples, staticExamples, dynamicExamples,
                    last == null ? Float.NaN : last.loss(), last == null ? Float.NaN : last.accuracy(), written,
                    previous.isPresent(), examples / Math.max(secs, 1e-9), rehearsedHere, cursor.stageIndex(),
                    cursor.stage().name());
        }
    }

    /** A record's training example; null when it is held out (val/test) or was dead-lettered. */
    private Pending decode(ConsumerRecord<String, byte[]> r, KafkaProducer<String, byte[]> producer,
            QuestionImages images, boolean firstRead) {
        try {
            QaRecord q = ContractViolation.requireValue(
                    topics.qa().valueSerde().deserializer().deserialize(r.topic(), r.value()), "a question");
            if (!"train".equals(q.getSplit())) {
                return null; // held out: the evaluator's, not ours
            }
            return new Pending(TrainingExample.from(q, images.images(q)),
                    new Sourced(new TopicPartition(r.topic(), r.partition()), r.offset(), r.key(), firstRead));
        } catch (RuntimeException e) {
            if (!firstRead) {
                return null; // dead-lettered when an earlier pass read it
            }
            DeadLetter dl = DeadLetters.of(STAGE, r.topic(), r.partition(), r.offset(), r.key(), r.value(), e,
                    clock.millis());
            sendDeadLetter(producer, r.key(), dl);
            LOG.warn("dead-lettered {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), dl.getError());
            return null;
        }
    }

    private void sendDeadLetter(KafkaProducer<String, byte[]> producer, String key, DeadLetter dl) {
        producer.send(new ProducerRecord<>(topics.dlq().name(), key,
                topics.dlq().valueSerde().serializer().serialize(topics.dlq().name(), dl)), (md, err) -> {
                    if (err != null) {
                        sendFailure.compareAndSet(null, err); // thrown at the next checkpoint, never swallowed
                    }
                });
        deadLetters.increment();
    }

    /**
     * The batch without the example whose image does not decode (the intake checks only an image's signature;
     * a corrupt body shows when the batch is assembled). The example is dead-lettered with its record's
     * coordinates and forgotten by the rehearsal reservoir, so it neither stops training nor comes back; null
     * when no example is left.
     */
    private DrawnBatch without(DrawnBatch b, BatchAssembler.UnreadableImage u, Map<TrainingExample, Sourced> buffered,
            TypeMixer mixer, KafkaProducer<String, byte[]> producer) {
        TrainingExample bad = u.example();
        Sourced src = buffered.remove(bad);
        if (src != null && src.firstRead()) {
            DeadLetter dl = DeadLetters.of(STAGE, src.partition().topic(), src.partition().partition(), src.offset(),
                    src.key(), null, u, clock.millis());
            sendDeadLetter(producer, src.key(), dl);
            LOG.warn("dead-lettered {}: {}", src.describe(), dl.getError());
        }
        mixer.reservoir().remove(bad);
        List<DrawnBatch.Item> items = new ArrayList<>(b.items());
        items.removeIf(i -> i.example() == bad);
        return items.isEmpty() ? null : new DrawnBatch(b.index(), items, b.onPlan());
    }

    /** Offers a decoded example to the mixer; false when its type's buffer is full (retry later). */
    private static boolean place(TypeMixer mixer, Map<TrainingExample, Sourced> buffered, Pending p) {
        if (!mixer.offer(p.example())) {
            return false;
        }
        buffered.put(p.example(), p.source());
        return true;
    }

    private static String key(TopicPartition tp) {
        return tp.topic() + "-" + tp.partition();
    }

    private static ResumePoint resumePoint(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> parts,
            Map<TrainingExample, Sourced> buffered, Deque<Pending> overflow, int pass, PlanCursor cursor,
            TypeMixer mixer, MixingPlan plan) {
        Map<String, Long> positions = new TreeMap<>();
        for (TopicPartition tp : parts) {
            positions.put(key(tp), consumer.position(tp));
        }
        Map<String, Set<Long>> pending = new TreeMap<>();
        buffered.values().forEach(s -> pending.computeIfAbsent(key(s.partition()), k -> new HashSet<>()).add(s.offset()));
        overflow.forEach(p -> pending.computeIfAbsent(key(p.source().partition()), k -> new HashSet<>())
                .add(p.source().offset()));
        Map<String, List<Long>> sorted = new TreeMap<>();
        pending.forEach((k, v) -> sorted.put(k, v.stream().sorted().toList()));
        return new ResumePoint(pass, positions, sorted, cursor.state(), mixer.credits(), mixer.rehearsalCredit(),
                plan.toJson());
    }

    private Checkpoint checkpoint(ModelTrainer trainer, ResumePoint point, float loss, float acc, long examples) {
        String id = settings.runId() + "-step-" + String.format("%06d", trainer.step());
        Path dir = runDir().resolve(String.format("step-%06d", trainer.step())).toAbsolutePath();
        long created = clock.millis();
        Map<String, String> meta = new HashMap<>();
        meta.put("runId", settings.runId());
        meta.put("checkpointId", id);
        meta.put("trainLoss", Float.toString(loss));
        meta.put("trainAccuracy", Float.toString(acc));
        meta.put("createdAtMs", Long.toString(created));
        meta.put(ResumePoint.KEY, point.toJson());
        trainer.saveCheckpoint(dir, meta);
        long hits = trainer.assembler().cacheHits();
        long looked = hits + trainer.assembler().cacheMisses();
        LOG.info("checkpoint {}: loss {} accuracy {} lr {} (images from the decode cache so far: {}) -> {}", id,
                String.format("%.4f", loss), String.format("%.3f", acc), trainer.learningRate(),
                looked == 0 ? "-" : String.format("%.0f %%", 100.0 * hits / looked), dir);
        return Checkpoint.newBuilder()
                .setCheckpointId(id).setRunId(settings.runId()).setStep(trainer.step())
                .setSamplesSeen(trainer.step() * settings.mix().batchSize())
                .setPath(dir.toString()).setModelName("SpatialQaModel")
                .setModelConfig(trainer.modelConfig().toJson())
                .setTrainLoss(loss).setTrainAccuracy(acc)
                .setOffsets(point.lowestUntrained()).setCreatedAtMs(created)
                .build();
    }

    /**
     * Announces the checkpoint and waits for the broker's acknowledgement; fails (before the offsets are
     * committed) when it, or a dead letter sent since the last checkpoint, was not written.
     */
    private void announce(KafkaProducer<String, byte[]> producer, Checkpoint cp) {
        try {
            producer.send(new ProducerRecord<>(topics.checkpoints().name(), settings.runId(),
                    topics.checkpoints().valueSerde().serializer().serialize(topics.checkpoints().name(), cp))).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted announcing checkpoint " + cp.getCheckpointId(), e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("announcing checkpoint " + cp.getCheckpointId() + " on "
                    + topics.checkpoints().name() + " failed: " + e.getCause(), e.getCause());
        }
        producer.flush();
        Exception failed = sendFailure.get();
        if (failed != null) {
            throw new IllegalStateException("a dead letter could not be written to " + topics.dlq().name() + ": "
                    + failed, failed);
        }
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

    /** Skips, after a resume, the records below a partition's checkpointed position that were already trained. */
    private static final class ResumeFilter {
        static final ResumeFilter NONE = new ResumeFilter(Map.of(), Map.of());

        private final Map<TopicPartition, Long> below;
        private final Map<TopicPartition, Set<Long>> pending;

        ResumeFilter(Map<TopicPartition, Long> below, Map<TopicPartition, Set<Long>> pending) {
            this.below = below.isEmpty() ? below : new HashMap<>(below);
            this.pending = pending;
        }

        boolean alreadyDone(ConsumerRecord<?, ?> r) {
            if (below.isEmpty()) {
                return false;
            }
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            Long limit = below.get(tp);
            if (limit == null || r.offset() >= limit) {
                return false;
            }
            Set<Long> p = pending.get(tp);
            return p == null || !p.contains(r.offset());
        }

        /** Drops the partitions read past their limit. */
        void forget(KafkaConsumer<?, ?> consumer) {
            if (!below.isEmpty()) {
                below.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
            }
        }
    }

    private ResumeFilter seekToResumePoint(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> parts,
            ResumePoint rp) {
        consumer.seekToBeginning(parts);
        if (rp == null) {
            return ResumeFilter.NONE;
        }
        Map<TopicPartition, Long> below = new HashMap<>();
        Map<TopicPartition, Set<Long>> pending = new HashMap<>();
        for (TopicPartition tp : parts) {
            String k = key(tp);
            Long start = rp.startOf(k);
            if (start == null) {
                continue; // a partition added since: from the beginning
            }
            consumer.seek(tp, start);
            Long position = rp.positions().get(k);
            if (position != null && position > start) {
                below.put(tp, position);
                pending.put(tp, new HashSet<>(rp.pending().getOrDefault(k, List.of())));
            }
        }
        return new ResumeFilter(below, pending);
    }

    /**
     * Whether every assigned partition has been read to its end. Asked after every empty poll, which is every
     * step while the buffers are full, so it answers from the lag the last fetches reported (no request) and asks
     * the broker only for partitions whose lag is not known yet: a ListOffsets round trip per step took half the
     * trainer's time in the default demo.
     */
    static boolean atEnd(org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer) {
        List<TopicPartition> unknown = new ArrayList<>();
        for (TopicPartition tp : consumer.assignment()) {
            OptionalLong lag = consumer.currentLag(tp);
            if (lag.isEmpty()) {
                unknown.add(tp);
            } else if (lag.getAsLong() > 0) {
                return false;
            }
        }
        if (unknown.isEmpty()) {
            return true;
        }
        Map<TopicPartition, Long> end = consumer.endOffsets(unknown);
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private Path runDir() {
        return settings.outDir().resolve("checkpoints").resolve(settings.runId());
    }

    /**
     * The newest complete checkpoint of this run: the newest {@code step-N} folder under the run's checkpoint
     * folder (a folder that exists is complete: they are renamed into place), or the newest announced on the
     * checkpoints topic whose folder exists, whichever is further along.
     */
    Optional<Found> latestCheckpoint() {
        Optional<Found> onDisk = newestOnDisk();
        Optional<Found> announced = newestAnnounced();
        if (onDisk.isPresent() && (announced.isEmpty()
                || onDisk.get().record().getStep() > announced.get().record().getStep())) {
            return onDisk;
        }
        return announced;
    }

    private Optional<Found> newestOnDisk() {
        Path dir = runDir();
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        List<Path> candidates;
        try (Stream<Path> list = Files.list(dir)) {
            candidates = list.filter(p -> STEP_DIR.matcher(p.getFileName().toString()).matches())
                    .filter(Files::isDirectory)
                    .sorted((a, b) -> Long.compare(stepOf(b), stepOf(a)))
                    .toList();
        } catch (IOException e) {
            LOG.warn("cannot list {}: {}", dir, e.getMessage());
            return Optional.empty();
        }
        for (Path p : candidates) {
            try {
                CheckpointInfo info = Checkpoints.readInfo(p);
                Map<String, String> meta = info.metadata();
                if (!settings.runId().equals(meta.get("runId"))) {
                    continue;
                }
                if (!meta.containsKey(ResumePoint.KEY)) {
                    continue; // written before resume points: only its announcement carries offsets
                }
                ResumePoint rp = ResumePoint.fromJson(meta.get(ResumePoint.KEY));
                Checkpoint cp = Checkpoint.newBuilder()
                        .setCheckpointId(meta.getOrDefault("checkpointId", settings.runId() + "-" + p.getFileName()))
                        .setRunId(settings.runId()).setStep(info.step())
                        .setSamplesSeen(info.step() * settings.mix().batchSize())
                        .setPath(p.toAbsolutePath().toString()).setModelName("SpatialQaModel")
                        .setModelConfig(Checkpoints.readConfig(p).toJson())
                        .setTrainLoss(parseFloat(meta.get("trainLoss"))).setTrainAccuracy(parseFloat(meta.get("trainAccuracy")))
                        .setOffsets(rp.lowestUntrained())
                        .setCreatedAtMs(meta.containsKey("createdAtMs") ? Long.parseLong(meta.get("createdAtMs")) : 0)
                        .build();
                return Optional.of(new Found(cp, p.toAbsolutePath(), rp, false));
            } catch (RuntimeException e) {
                LOG.warn("skipping unreadable checkpoint folder {}: {}", p, e.getMessage());
            }
        }
        return Optional.empty();
    }

    private static long stepOf(Path p) {
        Matcher m = STEP_DIR.matcher(p.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    private static float parseFloat(String s) {
        try {
            return s == null ? 0f : Float.parseFloat(s);
        } catch (NumberFormatException e) {
            return 0f;
        }
    }

    private Optional<Found> newestAnnounced() {
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
            if (best == null) {
                return Optional.empty();
            }
            Path dir = Path.of(best.getPath());
            ResumePoint rp = null;
            try {
                String json = Checkpoints.readInfo(dir).metadata().get(ResumePoint.KEY);
                rp = json == null ? null : ResumePoint.fromJson(json);
            } catch (RuntimeException e) {
                LOG.warn("checkpoint {} has no readable resume point ({}); resuming from its offsets",
                        best.getCheckpointId(), e.getMessage());
            }
            if (rp == null) {
                // a checkpoint from before resume points: its offsets are the lowest untrained ones
                rp = new ResumePoint(1, best.getOffsets(), Map.of(), null, Map.of(), 0, null);
            }
            return Optional.of(new Found(best, dir, rp, true));
        }
    }

    @Override
    public void close() {
        stopping.set(true);
    }
}
