package dev.satflow.ops;

import dev.satflow.core.kafka.KafkaClients;
import dev.satflow.contracts.Topics;
import dev.satflow.core.config.Config;
import dev.satflow.core.metrics.KafkaJmx;
import dev.satflow.core.metrics.Metrics;
import dev.satflow.ops.console.LagProbe;
import dev.satflow.schema.EvalReport;
import dev.satflow.schema.TypeScore;
import dev.satflow.trainer.StepResult;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The meters a stage's process exports beyond those its service registers itself: the consumer lag of
 * the stage's group, the QA processor's counters (read from Kafka Streams' own metrics), the trainer's
 * loss and samples/s, and the evaluator's accuracy per question type. Names follow
 * {@code satflow_<thing>_total} for counters and {@code _seconds} for times; labels are bounded
 * (stage, topic, question type).
 */
public final class StageMetrics {
    /** How often the lag of a stage's group is read from the cluster. */
    static final Duration LAG_EVERY = Duration.ofSeconds(5);
    /** Span over which samples/s is averaged. */
    static final Duration RATE_WINDOW = Duration.ofSeconds(30);

    private static final String STREAMS_TOPICS = "kafka.streams:type=stream-topic-metrics,*";
    private static final String STREAMS_NODES = "kafka.streams:type=stream-processor-node-metrics,*";

    private static final Map<MeterRegistry, TrainGauges> TRAIN = new WeakHashMap<>();
    private static final Map<MeterRegistry, EvalGauges> EVAL = new WeakHashMap<>();
    /** What function counters read: Micrometer holds it weakly, so it lives as long as its registry here. */
    private static final Map<MeterRegistry, List<Object>> HELD = new WeakHashMap<>();

    private StageMetrics() {}

    /** A consuming stage: the group it commits under and the topics it reads. */
    record Consuming(String stage, String group, List<String> inputs) {}

    /** The group and inputs of a stage by its command name; empty for stages that consume nothing. */
    static Optional<Consuming> consuming(String stage, Config config, Topics topics) {
        return switch (stage) {
            case "render" -> Optional.of(new Consuming(stage, config.string("render.group"),
                    List.of(topics.scenes().name())));
            case "qa" -> Optional.of(new Consuming(stage, config.string("qa.application-id"),
                    List.of(topics.scenes().name(), topics.frames().name())));
            case "train" -> Optional.of(new Consuming(stage, config.string("train.group"),
                    List.of(topics.qa().name())));
            case "evaluate" -> Optional.of(new Consuming(stage, config.string("eval.group"),
                    List.of(topics.checkpoints().name())));
            default -> Optional.empty();
        };
    }

    /** Binds what a stage's process exports besides its service's own meters: its group's lag, and for qa
     *  the Streams counters. */
    public static void bind(Metrics metrics, String stage, Config config, Cluster cluster) {
        if (stage.equals("qa")) {
            qa(metrics.registry(), cluster.topics());
        }
        consuming(stage, config, cluster.topics()).ifPresent(c -> lag(metrics, c, cluster.bootstrap()));
    }

    /**
     * The consumer lag of a stage's group (committed offsets behind the inputs' last stable offsets, as
     * the console shows it), read every {@link #LAG_EVERY}; NaN until the first reading. Stops when the
     * metrics close.
     */
    static void lag(Metrics metrics, Consuming c, String bootstrap) {
        AtomicReference<Double> lag = new AtomicReference<>(Double.NaN);
        AtomicReference<Double> members = new AtomicReference<>(Double.NaN);
        Gauge.builder("satflow_consumer_lag_records", lag, AtomicReference::get)
                .description("Records on the stage's input topics its consumer group has not committed yet")
                .tag("stage", c.stage()).strongReference(true).register(metrics.registry());
        Gauge.builder("satflow_consumer_group_members", members, AtomicReference::get)
                .description("Members of the stage's consumer group (all processes of the stage)")
                .tag("stage", c.stage()).strongReference(true).register(metrics.registry());
        Map<String, Object> admin = KafkaClients.admin(bootstrap, "satflow-" + c.stage() + "-lag");
        metrics.closeWith(new LagProbe(admin, List.of(new LagProbe.Stage(c.stage(), c.group(), c.inputs())),
                c.inputs(), snapshot -> snapshot.groups().stream().filter(g -> g.stage().equals(c.stage()))
                        .findFirst().ifPresent(g -> {
                            lag.set((double) g.lag());
                            members.set((double) g.members());
                        }), LAG_EVERY).start());
    }

    /**
     * The QA processor's counters, from the metrics Kafka Streams keeps per topic (records sent to the QA
     * topic are questions, one record each; to the DLQ, dead letters) and per processor node (end-to-end
     * latency at the QA sink). Cover every Streams app of the process.
     */
    static void qa(MeterRegistry registry, Topics topics) {
        KafkaJmx.Total questions = held(registry, KafkaJmx.total(STREAMS_TOPICS, Map.of("topic", topics.qa().name()),
                "records-produced-total"));
        FunctionCounter.builder("satflow_questions_emitted_total", questions, KafkaJmx.Total::value)
                .description("Questions the QA processor sent to the QA topic (aborted transactions included)")
                .register(registry);
        KafkaJmx.Total dead = held(registry, KafkaJmx.total(STREAMS_TOPICS, Map.of("topic", topics.dlq().name()),
                "records-produced-total"));
        FunctionCounter.builder("satflow_dead_letters_total", dead, KafkaJmx.Total::value)
                .tag("stage", "qa").register(registry);
        for (String input : List.of(topics.scenes().name(), topics.frames().name())) {
            KafkaJmx.Total consumed = held(registry, KafkaJmx.total(STREAMS_TOPICS, Map.of("topic", input),
                    "records-consumed-total"));
            FunctionCounter.builder("satflow_qa_records_consumed_total", consumed, KafkaJmx.Total::value)
                    .description("Records the QA processor read from its input topics")
                    .tag("topic", input).register(registry);
        }
        Gauge.builder("satflow_qa_e2e_latency_max_seconds", () -> KafkaJmx.max(STREAMS_NODES,
                        Map.of("processor-node-id", "qa-sink"), "record-e2e-latency-max") / 1000.0)
                .description("Longest time from a record's timestamp to its question being sent, over the last "
                        + "metrics window; NaN while no question was sent in it")
                .register(registry);
    }

    private static <T> T held(MeterRegistry registry, T source) {
        synchronized (HELD) {
            HELD.computeIfAbsent(registry, r -> new ArrayList<>()).add(source);
        }
        return source;
    }

    /** Records a training step on the trainer's gauges (loss, batch accuracy, learning rate, samples/s). */
    public static void trained(MeterRegistry registry, StepResult step) {
        TrainGauges g;
        synchronized (TRAIN) {
            g = TRAIN.computeIfAbsent(registry, r -> new TrainGauges(r, System::nanoTime));
        }
        g.step(step);
    }

    /** Sets the evaluator's per-type gauges from a checkpoint's report (the latest one wins). */
    public static void evaluated(MeterRegistry registry, EvalReport report) {
        EvalGauges g;
        synchronized (EVAL) {
            g = EVAL.computeIfAbsent(registry, EvalGauges::new);
        }
        g.report(report);
    }

    /** The trainer's last loss, batch accuracy, learning rate, and examples per second over a sliding window. */
    static final class TrainGauges {
        private final LongSupplier nanos;
        private final Deque<long[]> recent = new ArrayDeque<>(); // {nanoTime, examples}
        private long firstNanos = -1;
        private volatile double loss = Double.NaN;
        private volatile double accuracy = Double.NaN;
        private volatile double learningRate = Double.NaN;

        TrainGauges(MeterRegistry r, LongSupplier nanos) {
            this.nanos = nanos;
            Gauge.builder("satflow_train_loss", this, g -> g.loss)
                    .description("Mean cross-entropy of the last training step").register(r);
            Gauge.builder("satflow_train_batch_accuracy", this, g -> g.accuracy)
                    .description("Share of the last step's batch answered right (before the update)").register(r);
            Gauge.builder("satflow_train_learning_rate", this, g -> g.learningRate)
                    .description("Learning rate of the last step").register(r);
            Gauge.builder("satflow_train_samples_per_second", this, TrainGauges::samplesPerSecond)
                    .description("Examples trained per second over the last " + RATE_WINDOW.toSeconds() + " s")
                    .register(r);
        }

        synchronized void step(StepResult s) {
            long now = nanos.getAsLong();
            if (firstNanos < 0) {
                firstNanos = now;
            }
            recent.addLast(new long[] {now, s.size()});
            drop(now);
            loss = s.loss();
            accuracy = s.accuracy();
            learningRate = s.learningRate();
        }

        /** Examples in the window over the window's span (or the time since the first step, when shorter). */
        synchronized double samplesPerSecond() {
            if (firstNanos < 0) {
                return Double.NaN;
            }
            long now = nanos.getAsLong();
            drop(now);
            long examples = 0;
            for (long[] e : recent) {
                examples += e[1];
            }
            long span = Math.min(RATE_WINDOW.toNanos(), now - firstNanos);
            return span <= 0 ? Double.NaN : examples * 1e9 / span;
        }

        private void drop(long now) {
            while (!recent.isEmpty() && recent.peekFirst()[0] <= now - RATE_WINDOW.toNanos()) {
                recent.removeFirst();
            }
        }
    }

    /** Accuracy, circular accuracy and chance per question type of the last report ({@code type="all"}: overall). */
    static final class EvalGauges {
        private final MultiGauge accuracy;
        private final MultiGauge circular;
        private final MultiGauge chance;
        private final AtomicLong step = new AtomicLong(-1);

        EvalGauges(MeterRegistry r) {
            accuracy = MultiGauge.builder("satflow_eval_accuracy")
                    .description("Accuracy of the last evaluated checkpoint per question type (type=all: overall)")
                    .register(r);
            circular = MultiGauge.builder("satflow_eval_circular_accuracy")
                    .description("Share of questions answered right in every cyclic order of their options")
                    .register(r);
            chance = MultiGauge.builder("satflow_eval_chance")
                    .description("Chance accuracy (mean of 1/options) per question type").register(r);
            Gauge.builder("satflow_eval_checkpoint_step", step, AtomicLong::get)
                    .description("Training step of the last evaluated checkpoint").register(r);
        }

        synchronized void report(EvalReport report) {
            List<MultiGauge.Row<?>> acc = new ArrayList<>();
            List<MultiGauge.Row<?>> circ = new ArrayList<>();
            List<MultiGauge.Row<?>> ch = new ArrayList<>();
            acc.add(MultiGauge.Row.of(Tags.of("type", "all"), report.getAccuracy()));
            ch.add(MultiGauge.Row.of(Tags.of("type", "all"), report.getChance()));
            if (report.getCircularAccuracy() != null) {
                circ.add(MultiGauge.Row.of(Tags.of("type", "all"), report.getCircularAccuracy()));
            }
            for (TypeScore t : report.getScores()) {
                Tags type = Tags.of("type", t.getQuestionType());
                acc.add(MultiGauge.Row.of(type, t.getAccuracy()));
                ch.add(MultiGauge.Row.of(type, t.getChance()));
                if (t.getCircularAccuracy() != null) {
                    circ.add(MultiGauge.Row.of(type, t.getCircularAccuracy()));
                }
            }
            accuracy.register(acc, true);
            circular.register(circ, true);
            chance.register(ch, true);
            step.set(report.getStep());
        }
    }
}
