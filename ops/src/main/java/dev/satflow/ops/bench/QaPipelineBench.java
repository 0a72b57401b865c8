package dev.satflow.ops.bench;

import dev.satflow.contracts.Topics;
import dev.satflow.core.kafka.KafkaClients;
import dev.satflow.embedded.LocalStack;
import dev.satflow.ops.stages.GroupLag;
import dev.satflow.ops.stages.TopicScan;
import dev.satflow.producers.generate.GeneratorSettings;
import dev.satflow.producers.generate.SceneGenerator;
import dev.satflow.producers.render.RenderOptions;
import dev.satflow.producers.render.RenderWorker;
import dev.satflow.qa.QaApp;
import dev.satflow.qa.QaTopology;
import dev.satflow.qa.questions.SatQuestionDeriver;
import dev.satflow.schema.Frame;
import dev.satflow.schema.SceneSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The QA processor against its floor, on the same input in one run: scenes and frames are written
 * once; then, alternately, (a) the floor, a transactional consume-produce loop that copies every
 * input record's bytes to a sink topic (what any exactly-once stage on these inputs must pay), and
 * (b) the QA topology (exactly_once_v2) deriving the questions. Rates are input records per second
 * from the moment the stage is up (group joined, partitions assigned) until its group has committed
 * every input record, so start-up is left out of both; medians of the runs.
 */
public final class QaPipelineBench {
    public record Settings(int scenes, int size, int runs) {
        public static Settings defaults() {
            return new Settings(300, 256, 3);
        }
    }

    public record Result(int scenes, int inputRecords, long inputBytes, long questions, double floorRecordsPerSecond,
            double qaRecordsPerSecond, double questionsPerSecond) {
        public double ratio() {
            return qaRecordsPerSecond / floorRecordsPerSecond;
        }
    }

    private final Settings settings;
    private final Consumer<String> log;

    public QaPipelineBench(Settings settings, Consumer<String> log) {
        this.settings = settings;
        this.log = log;
    }

    public Result run() {
        Path data;
        try {
            data = Files.createTempDirectory("satflow-bench-qa-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (LocalStack stack = LocalStack.start(new LocalStack.Settings(data, 0, 0, 0, 4))) {
            Topics topics = stack.topics();
            String bootstrap = stack.bootstrapServers();
            long[] bytes = {0};
            int inputs = publish(bootstrap, topics, settings.scenes(), settings.size(), bytes);
            log.accept(inputs + " input records (" + settings.scenes() + " scenes), " + bytes[0] / 1_000_000 + " MB");
            try (Admin admin = Admin.create(KafkaClients.admin(bootstrap, "satflow-bench-admin"))) {
                admin.createTopics(List.of(new NewTopic("satflow.bench.copy", 4, (short) 1)
                        .configs(Map.of("max.message.bytes", String.valueOf(Topics.MAX_MESSAGE_BYTES))))).all().get();
            } catch (Exception e) {
                throw new IllegalStateException("cannot create the bench's sink topic", e);
            }
            double[] floor = new double[settings.runs()];
            double[] qa = new double[settings.runs()];
            for (int run = 0; run < settings.runs(); run++) {
                floor[run] = inputs / copy(bootstrap, topics, "satflow-bench-copy-" + run, inputs);
                log.accept(String.format(java.util.Locale.ROOT, "run %d: floor %.0f records/s", run + 1, floor[run]));
                qa[run] = inputs / derive(bootstrap, topics, data.resolve("state-" + run), "satflow-bench-qa-" + run);
                log.accept(String.format(java.util.Locale.ROOT, "run %d: qa %.0f records/s", run + 1, qa[run]));
            }
            long questions = TopicScan.scan(bootstrap, topics.qa(), e -> true) / settings.runs();
            double qaRate = median(qa);
            return new Result(settings.scenes(), inputs, bytes[0], questions, median(floor), qaRate,
                    questions * qaRate / inputs);
        }
    }

    /** Renders the scenes once and writes specs and frames; returns how many records. */
    static int publish(String bootstrap, Topics topics, int scenes, int size, long[] bytes) {
        GeneratorSettings d = GeneratorSettings.defaults();
        SceneGenerator g = new SceneGenerator(new GeneratorSettings(d.minObjects(), d.maxObjects(),
                d.cameraCandidates(), d.pitchDeg(), d.fovDeg(), size, size, "png", true,
                d.valFraction(), d.testFraction()));
        int n = 0;
        try (RenderWorker worker = new RenderWorker(RenderOptions.defaults());
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaClients.producer(bootstrap,
                        "satflow-bench-qa-input"), new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < scenes; i++) {
                SceneSpec spec = g.generate(20_000 + i);
                byte[] s = topics.scenes().valueSerde().serializer().serialize(topics.scenes().name(), spec);
                producer.send(new ProducerRecord<>(topics.scenes().name(), spec.getSceneId(), s));
                bytes[0] += s.length;
                n++;
                for (Frame f : worker.renderScene(spec)) {
                    byte[] b = topics.frames().valueSerde().serializer().serialize(topics.frames().name(), f);
                    producer.send(new ProducerRecord<>(topics.frames().name(), spec.getSceneId(), b));
                    bytes[0] += b.length;
                    n++;
                }
            }
            producer.flush();
        }
        return n;
    }

    /** The floor: copy every input record's bytes, one transaction per poll, offsets in the transaction. */
    private static double copy(String bootstrap, Topics topics, String group, int inputs) {
        Map<String, Object> cc = KafkaClients.consumer(bootstrap, group, group);
        cc.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        long t0 = 0;
        int copied = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(cc, new StringDeserializer(),
                        new ByteArrayDeserializer());
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaClients.transactionalProducer(bootstrap,
                        group, group + "-tx"), new StringSerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            consumer.subscribe(List.of(topics.scenes().name(), topics.frames().name()));
            while (copied < inputs) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(100));
                if (records.isEmpty()) {
                    continue;
                }
                if (t0 == 0) {
                    t0 = System.nanoTime(); // partitions assigned and the first records in hand
                }
                producer.beginTransaction();
                Map<TopicPartition, OffsetAndMetadata> offsets = new java.util.HashMap<>();
                for (ConsumerRecord<String, byte[]> r : records) {
                    producer.send(new ProducerRecord<>("satflow.bench.copy", r.key(), r.value()));
                    offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                    copied++;
                }
                producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                producer.commitTransaction();
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** The QA topology from a fresh application id until it has committed every input record. */
    private static double derive(String bootstrap, Topics topics, Path state, String applicationId) {
        QaTopology.Options options = new QaTopology.Options(topics, SatQuestionDeriver.standard(), Duration.ofHours(1),
                Duration.ofSeconds(10));
        try (QaApp app = new QaApp(new QaApp.Settings(bootstrap, applicationId, state, 1), options)
                .start(Duration.ofMinutes(2)); GroupLag lag = new GroupLag(bootstrap)) {
            long t0 = System.nanoTime(); // RUNNING: group joined, tasks assigned and restored
            List<String> in = List.of(topics.scenes().name(), topics.frames().name());
            while (lag.lag(applicationId, in) > 0) {
                Thread.sleep(20);
            }
            return (System.nanoTime() - t0) / 1e9;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
