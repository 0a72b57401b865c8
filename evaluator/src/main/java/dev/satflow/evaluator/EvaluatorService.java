package dev.satflow.evaluator;

import dev.satflow.contracts.Topics;
import dev.satflow.core.frames.KafkaFrameSource;
import dev.satflow.core.frames.QuestionImages;
import dev.satflow.core.kafka.KafkaClients;
import dev.satflow.core.validate.DeadLetters;
import dev.satflow.schema.Checkpoint;
import dev.satflow.schema.DeadLetter;
import dev.satflow.schema.EvalReport;
import dev.satflow.schema.QaRecord;
import dev.satflow.trainer.QaPredictor;
import dev.satflow.trainer.data.TrainingExample;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
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
 * Scores every checkpoint announced on satflow.checkpoints.v1 against the held-out split of
 * satflow.qa.v2 (read from the beginning and topped up before each evaluation), writes the JSON and
 * HTML reports, and announces an EvalReport. Re-evaluating a checkpoint is harmless (same key, same
 * numbers), so checkpoint offsets are committed after the report is sent (at-least-once).
 */
public final class EvaluatorService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EvaluatorService.class);
    public static final String STAGE = "evaluate";

    /** @param maxCheckpoints stop after this many (0 = until closed) */
    public record Settings(String bootstrap, String group, String split, Path outDir, int maxCheckpoints) {}

    private final Settings settings;
    private final Topics topics;
    private final Clock clock;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final List<TrainingExample> heldOut = new ArrayList<>();
    private final Counter evaluated;
    private final Counter deadLetters;
    private final Timer evalTimer;

    public EvaluatorService(Settings settings, Topics topics, MeterRegistry meters, Clock clock) {
        this.settings = settings;
        this.topics = topics;
        this.clock = clock;
        this.evaluated = Counter.builder("satflow_checkpoints_evaluated_total").register(meters);
        this.deadLetters = Counter.builder("satflow_dead_letters_total").tag("stage", STAGE).register(meters);
        this.evalTimer = Timer.builder("satflow_evaluation_seconds").register(meters);
    }

    /** Runs until maxCheckpoints are scored or {@link #close()}; calls onReport after each. */
    public void run(Consumer<EvalReport> onReport) {
        String clientId = "satflow-eval-" + settings.group();
        try (KafkaConsumer<String, byte[]> checkpoints = new KafkaConsumer<>(
                        KafkaClients.consumer(settings.bootstrap(), settings.group(), clientId + "-checkpoints"),
                        new StringDeserializer(), new ByteArrayDeserializer());
                KafkaConsumer<String, byte[]> qa = new KafkaConsumer<>(
                        KafkaClients.consumer(settings.bootstrap(), null, clientId + "-qa"),
                        new StringDeserializer(), new ByteArrayDeserializer());
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                        KafkaClients.producer(settings.bootstrap(), clientId), new StringSerializer(),
                        new ByteArraySerializer());
                QuestionImages images = new QuestionImages(new KafkaFrameSource(settings.bootstrap(), topics.frames(),
                        clientId + "-frames", 64L * 1024 * 1024))) {
            List<TopicPartition> qaParts = new ArrayList<>();
            for (PartitionInfo p : qa.partitionsFor(topics.qa().name())) {
                qaParts.add(new TopicPartition(p.topic(), p.partition()));
            }
            qa.assign(qaParts);
            qa.seekToBeginning(qaParts);
            checkpoints.subscribe(List.of(topics.checkpoints().name()));
            int done = 0;
            while (!stopping.get() && (settings.maxCheckpoints() <= 0 || done < settings.maxCheckpoints())) {
                for (ConsumerRecord<String, byte[]> r : checkpoints.poll(Duration.ofMillis(500))) {
                    Checkpoint cp;
                    try {
                        cp = topics.checkpoints().valueSerde().deserializer().deserialize(r.topic(), r.value());
                        if (!Files.isDirectory(Path.of(cp.getPath()))) {
                            throw new IllegalArgumentException("path = " + cp.getPath()
                                    + ": checkpoint folder not found on this machine");
                        }
                    } catch (RuntimeException e) {
                        deadLetter(producer, r, e);
                        continue;
                    }
                    topUp(qa, producer, images);
                    EvalReport report = evaluate(cp);
                    producer.send(new ProducerRecord<>(topics.eval().name(), report.getCheckpointId(),
                            topics.eval().valueSerde().serializer().serialize(topics.eval().name(), report)));
                    producer.flush();
                    onReport.accept(report);
                    done++;
                }
                checkpoints.commitSync();
            }
        }
    }

    /** Reads held-out questions up to the current end of the QA topic. */
    private void topUp(KafkaConsumer<String, byte[]> qa, KafkaProducer<String, byte[]> producer,
            QuestionImages images) {
        Map<TopicPartition, Long> end = qa.endOffsets(qa.assignment());
        while (end.entrySet().stream().anyMatch(e -> qa.position(e.getKey()) < e.getValue())) {
            for (ConsumerRecord<String, byte[]> r : qa.poll(Duration.ofMillis(200))) {
                try {
                    QaRecord q = topics.qa().valueSerde().deserializer().deserialize(r.topic(), r.value());
                    if (settings.split().equals(q.getSplit())) {
                        heldOut.add(TrainingExample.from(q, images.images(q)));
                    }
                } catch (RuntimeException e) {
                    deadLetter(producer, r, e);
                }
            }
        }
    }

    private EvalReport evaluate(Checkpoint cp) {
        long t0 = System.nanoTime();
        int[] predicted;
        List<TrainingExample> examples = List.copyOf(heldOut);
        try (QaPredictor predictor = QaPredictor.load(Path.of(cp.getPath()))) {
            predicted = examples.isEmpty() ? new int[0] : predictor.predict(examples);
        }
        EvalReport report = Scoreboard.score(examples, predicted, cp.getCheckpointId(), cp.getRunId(), cp.getStep(),
                settings.split(), clock.millis());
        Path html = ReportWriter.write(settings.outDir(), report, examples, predicted);
        report.setReportPath(html.toString());
        evaluated.increment();
        evalTimer.record(Duration.ofNanos(System.nanoTime() - t0));
        LOG.info("checkpoint {} (step {}): accuracy {} on {} {} questions (chance {}) -> {}", cp.getCheckpointId(),
                cp.getStep(), String.format("%.3f", report.getAccuracy()), report.getCount(), settings.split(),
                String.format("%.3f", report.getChance()), html);
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
