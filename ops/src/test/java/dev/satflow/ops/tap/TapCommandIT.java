package dev.satflow.ops.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.satflow.contracts.Topic;
import dev.satflow.contracts.Topics;
import dev.satflow.core.config.SatflowSettings;
import dev.satflow.core.kafka.KafkaClients;
import dev.satflow.ops.Cluster;
import dev.satflow.ops.Satflow;
import dev.satflow.ops.stages.Stages;
import dev.satflow.producers.generate.SceneGenerator;
import dev.satflow.schema.Checkpoint;
import dev.satflow.schema.DeadLetter;
import dev.satflow.schema.EvalReport;
import dev.satflow.schema.Lineage;
import dev.satflow.schema.QaRecord;
import dev.satflow.schema.SceneSpec;
import dev.satflow.schema.TypeScore;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code satflow tap} through the CLI against the real embedded broker and registry: every topic,
 * bytes described (a 5 MB frame included), starts by offset and time, filters, a repeatable sample,
 * --max, --follow (in a thread, and in a process stopped by SIGTERM), usage errors, and no consumer
 * group left behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TapCommandIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PARTITIONS = 3;
    /** 2024-05-01T12:00:00Z; question i is stamped BASE + i minutes. */
    private static final long BASE = Instant.parse("2024-05-01T12:00:00Z").toEpochMilli();
    private static final List<String> TYPES = List.of("counting", "left_right", "perspective");
    private static final int QUESTIONS = 12;

    @TempDir
    static Path dir;

    private Cluster cluster;
    private Topics topics;
    private byte[] bigPng;
    /** Records per topic written so far. */
    private final Map<String, Integer> written = new LinkedHashMap<>();

    private record Run(int code, List<JsonNode> lines, String out, String err) {}

    @BeforeAll
    void startClusterAndWriteEveryTopic() throws Exception {
        cluster = Cluster.embedded(dir.resolve("data"), PARTITIONS);
        topics = cluster.topics();
        SceneGenerator generator = new SceneGenerator(Stages.generator(SatflowSettings.load(null, Map.of())));
        bigPng = noisePng(1300, 1300);
        assertTrue(bigPng.length > 5_000_000 && bigPng.length < 6_000_000, "a ~5 MB frame: " + bigPng.length);
        try (KafkaProducer<String, byte[]> p = producer()) {
            for (int i = 1; i <= 3; i++) {
                SceneSpec spec = generator.generate(i);
                send(p, topics.scenes(), (i - 1) % PARTITIONS, null, spec.getSceneId(), spec);
            }
            send(p, topics.frames(), 0, null, "scene-1", TapJsonTest.frame("scene-1", bigPng));
            send(p, topics.frames(), 1, null, "scene-2", TapJsonTest.frame("scene-2", noisePng(64, 48)));
            for (int i = 0; i < QUESTIONS; i++) {
                send(p, topics.qa(), i % PARTITIONS, BASE + i * 60_000L, scene(i), question(i));
            }
            // not Avro at all: partition 0, offset 4, after every question
            p.send(new ProducerRecord<>(topics.qa().name(), 0, BASE + QUESTIONS * 60_000L, "scene-9",
                    "this is not avro".getBytes(StandardCharsets.US_ASCII))).get();
            written.merge(topics.qa().name(), 1, Integer::sum);
            send(p, topics.checkpoints(), 0, null, "run-1", checkpoint(10));
            send(p, topics.eval(), 0, null, "run-1/step-10", EvalReport.newBuilder().setCheckpointId("run-1/step-10")
                    .setRunId("run-1").setStep(10).setAccuracy(0.5f).setCount(12)
                    .setScores(List.of(TypeScore.newBuilder().setQuestionType("counting").setCount(4).build()))
                    .build());
            byte[] raw = new byte[1000];
            new Random(1).nextBytes(raw);
            send(p, topics.dlq(), 0, null, "scene-7", DeadLetter.newBuilder().setStage("render")
                    .setSourceTopic(topics.scenes().name()).setPartition(2).setOffset(9).setKey("scene-7")
                    .setError("objects[0].position.x = NaN").setField("objects[0].position.x")
                    .setRaw(ByteBuffer.wrap(raw)).build());
        }
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String scene(int i) {
        return "scene-" + (i % 3 + 1);
    }

    private static String type(int i) {
        return TYPES.get((i / 3) % TYPES.size());
    }

    private static String split(int i) {
        return i % 2 == 0 ? "train" : "test";
    }

    private static QaRecord question(int i) {
        return QaRecord.newBuilder().setQaId(scene(i) + "/" + type(i) + "/" + i).setSceneId(scene(i))
                .setSplit(split(i)).setQuestionType(type(i)).setQuestion("question " + i)
                .setChoices(List.of("yes", "no")).setCorrectAnswer("yes")
                .setLineage(Lineage.newBuilder().setSceneSeed(i % 3 + 1).build())
                .setFacts(Map.of("i", Integer.toString(i))).build();
    }

    private static Checkpoint checkpoint(long step) {
        return Checkpoint.newBuilder().setCheckpointId("run-1/step-" + step).setRunId("run-1").setStep(step)
                .setOffsets(Map.of("satflow.qa.v2-0", step)).build();
    }

    private static byte[] noisePng(int w, int h) throws Exception {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Random rnd = new Random(w);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rnd.nextInt());
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    private KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(KafkaClients.producer(cluster.bootstrap(), "tap-test"), new StringSerializer(),
                new ByteArraySerializer());
    }

    private <V> void send(KafkaProducer<String, byte[]> p, Topic<String, V> topic, int partition, Long timestamp,
            String key, V value) throws Exception {
        p.send(new ProducerRecord<>(topic.name(), partition, timestamp, key,
                topic.valueSerde().serializer().serialize(topic.name(), value))).get();
        written.merge(topic.name(), 1, Integer::sum);
    }

    private Run tap(String... args) throws Exception {
        return tap(new StringWriter(), args);
    }

    /** Runs {@code satflow tap ARGS} against the test cluster, capturing stdout and stderr. */
    private Run tap(StringWriter err, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("tap"));
        all.addAll(List.of(args));
        all.addAll(List.of("--bootstrap", cluster.bootstrap(), "--registry", cluster.registryUrl()));
        var cl = Satflow.commandLine();
        cl.setErr(new PrintWriter(err, true));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = cl.execute(all.toArray(String[]::new));
        } finally {
            System.setOut(saved);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        List<JsonNode> lines = new ArrayList<>();
        if (code == 0 && !all.contains("--html")) {
            for (String l : text.lines().toList()) {
                lines.add(JSON.readTree(l));
            }
        }
        return new Run(code, lines, text, err.toString());
    }

    private static Set<String> coordinates(Run r) {
        return r.lines().stream().map(n -> n.get("partition").asInt() + "@" + n.get("offset").asLong())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<Integer> questionNumbers(Run r) {
        return r.lines().stream().filter(n -> !n.get("value").has("undecodable"))
                .map(n -> Integer.parseInt(n.get("value").get("facts").get("i").asText())).sorted().toList();
    }

    private static long undecodable(Run r) {
        return r.lines().stream().filter(n -> n.get("value").has("undecodable")).count();
    }

    @Test
    @Order(1)
    void everyTopicTapsAsOneJsonLinePerRecord() throws Exception {
        for (Topic<String, ?> t : topics.all()) {
            Run r = tap(t.name());
            assertEquals(0, r.code(), t.name() + ": " + r.err());
            assertEquals(written.get(t.name()), r.lines().size(), t.name() + ": " + r.out());
            for (JsonNode n : r.lines()) {
                assertEquals(t.name(), n.get("topic").asText());
                assertTrue(n.get("partition").isInt() && n.get("offset").isIntegralNumber(), n.toString());
                assertTrue(n.get("timestamp").asLong() > 0, n.toString());
                assertTrue(n.get("key").isTextual(), n.toString());
                assertTrue(n.get("value").isObject(), n.toString());
            }
            assertTrue(r.err().contains(r.lines().size() + " record"), "a summary on stderr: " + r.err());
        }
    }

    @Test
    @Order(2)
    void bytesAreDescribedAndAFiveMegabyteFramePrints() throws Exception {
        Run frames = tap(topics.frames().name());
        assertEquals(0, frames.code(), frames.err());
        JsonNode big = frames.lines().stream().filter(n -> n.get("key").asText().equals("scene-1")).findFirst()
                .orElseThrow();
        assertEquals("<png 1300x1300, " + bigPng.length + " bytes>", big.get("value").get("image").asText());
        assertEquals("scene-1/v0", big.get("value").get("viewId").asText());
        assertTrue(frames.out().length() < 4_000, "no pixels printed: " + frames.out().length() + " chars");
        JsonNode small = frames.lines().stream().filter(n -> n.get("key").asText().equals("scene-2")).findFirst()
                .orElseThrow();
        assertTrue(small.get("value").get("image").asText().startsWith("<png 64x48, "), small.toString());

        Run dlq = tap(topics.dlq().name());
        JsonNode dl = dlq.lines().get(0).get("value");
        assertEquals("<1000 bytes>", dl.get("raw").asText());
        assertEquals("objects[0].position.x", dl.get("field").asText());

        Run scenes = tap(topics.scenes().name(), "--scene", "scene-2");
        assertEquals(1, scenes.lines().size(), scenes.out());
        JsonNode spec = scenes.lines().get(0).get("value");
        assertEquals("scene-2", spec.get("sceneId").asText());
        assertTrue(spec.get("objects").size() >= 5, "the whole spec, structurally: " + spec);
    }

    @Test
    @Order(3)
    void undecodableRecordsPrintTheirReasonAndTheTapGoesOn() throws Exception {
        Run qa = tap(topics.qa().name());
        assertEquals(0, qa.code(), qa.err());
        assertEquals(QUESTIONS + 1, qa.lines().size());
        JsonNode bad = qa.lines().stream().filter(n -> n.get("value").has("undecodable")).findFirst().orElseThrow();
        assertEquals(0, bad.get("partition").asInt());
        assertEquals(4, bad.get("offset").asLong());
        assertEquals("scene-9", bad.get("key").asText());
        assertTrue(bad.get("value").get("undecodable").asText().contains("not Confluent-framed"), bad.toString());
        assertEquals(16, bad.get("value").get("bytes").asInt());
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), questionNumbers(qa), "every good record printed");
        assertTrue(qa.err().contains("1 undecodable"), qa.err());
        JsonNode q0 = qa.lines().stream().filter(n -> n.get("offset").asLong() == 0 && n.get("partition").asInt() == 0)
                .findFirst().orElseThrow();
        assertEquals(BASE, q0.get("timestamp").asLong());
        assertEquals("counting", q0.get("value").get("questionType").asText());
        assertEquals("yes", q0.get("value").get("choices").get(0).asText());
        assertTrue(q0.get("value").get("lineage").get("episodeId").isNull());
    }

    @Test
    @Order(4)
    void fromOffsetIsPerPartitionAndClamped() throws Exception {
        String qa = topics.qa().name();
        assertEquals(Set.of("0@3", "0@4", "1@3", "2@3"), coordinates(tap(qa, "--from-offset", "3")));
        assertEquals(Set.of("0@4", "1@3", "2@3"), coordinates(tap(qa, "--from-offset", "-1")), "last of each");
        assertEquals(13, tap(qa, "--from-offset", "-100").lines().size(), "clamped to the beginning");
        Run past = tap(qa, "--from-offset", "100");
        assertEquals(0, past.code(), past.err());
        assertEquals(List.of(), past.lines(), "clamped to the end");
        assertEquals(Set.of("1@2", "1@3"), coordinates(tap(qa, "--from-offset", "2", "--partition", "1")));
    }

    @Test
    @Order(5)
    void fromTimeUsesRecordTimestamps() throws Exception {
        String qa = topics.qa().name();
        List<Integer> late = List.of(6, 7, 8, 9, 10, 11);
        for (String t : List.of("2024-05-01T12:05:30Z", "2024-05-01T14:05:30+02:00",
                Long.toString(BASE + 5 * 60_000L + 30_000L))) {
            Run r = tap(qa, "--from-time", t);
            assertEquals(0, r.code(), r.err());
            assertEquals(late, questionNumbers(r), t);
            assertEquals(1, undecodable(r), "the last record is later still");
        }
        assertEquals(QUESTIONS + 1, tap(qa, "--from-time", "2024-05-01").lines().size(), "before everything");
        assertEquals(0, tap(qa, "--from-time", "2030-01-01T00:00:00Z").lines().size(), "after everything");
        Run end = tap(qa, "--from-end");
        assertEquals(0, end.code(), end.err());
        assertEquals(0, end.lines().size());
    }

    @Test
    @Order(6)
    void filtersSelectByTypeSplitAndScene() throws Exception {
        String qa = topics.qa().name();
        Run counting = tap(qa, "--type", "counting");
        assertEquals(List.of(0, 1, 2, 9, 10, 11), questionNumbers(counting));
        assertEquals(1, undecodable(counting), "an undecodable record is never hidden by a field it may not have");
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 9, 10, 11), questionNumbers(tap(qa, "--type", "counting,left_right")));
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 9, 10, 11),
                questionNumbers(tap(qa, "--type", "counting", "--type", "left_right")));
        assertEquals(List.of(1, 3, 5, 7, 9, 11), questionNumbers(tap(qa, "--split", "test")));
        assertEquals(List.of(1, 9, 11), questionNumbers(tap(qa, "--type", "counting", "--split", "test")));
        Run scene2 = tap(qa, "--scene", "scene-2");
        assertEquals(List.of(1, 4, 7, 10), questionNumbers(scene2));
        assertEquals(0, undecodable(scene2), "its key (scene-9) rules the undecodable record out");
        Run scene9 = tap(qa, "--scene", "scene-9");
        assertEquals(1, scene9.lines().size());
        assertEquals(1, undecodable(scene9));

        Run frames = tap(topics.frames().name(), "--scene", "scene-2");
        assertEquals(1, frames.lines().size());
        assertEquals("scene-2", frames.lines().get(0).get("value").get("sceneId").asText());
        Run p1 = tap(qa, "--partition", "1");
        assertEquals(List.of(1, 4, 7, 10), questionNumbers(p1));
        assertTrue(p1.lines().stream().allMatch(n -> n.get("partition").asInt() == 1));
        assertEquals(8, tap(qa, "--partition", "1,2").lines().size());
    }

    @Test
    @Order(7)
    void sampleIsRepeatableAndMaxCaps() throws Exception {
        String qa = topics.qa().name();
        Run a = tap(qa, "--sample", "3");
        Run b = tap(qa, "--sample", "3");
        assertEquals(0, a.code(), a.err());
        assertEquals(a.out(), b.out(), "the same sample every time");
        Set<String> expected = new TreeSet<>();
        for (JsonNode n : tap(qa).lines()) {
            if (TapSelection.sampled(n.get("partition").asInt(), n.get("offset").asLong(), 3)) {
                expected.add(n.get("partition").asInt() + "@" + n.get("offset").asLong());
            }
        }
        assertEquals(expected, coordinates(a));
        assertTrue(a.lines().size() < QUESTIONS + 1, "a sample, not everything");
        assertEquals(QUESTIONS + 1, tap(qa, "--sample", "1").lines().size());
        Set<String> both = coordinates(tap(qa, "--sample", "3", "--split", "train"));
        assertTrue(expected.containsAll(both), "filters narrow the same sample");

        Run two = tap(qa, "--max", "2");
        assertEquals(2, two.lines().size());
        assertEquals(1, tap(qa, "--max", "1", "--type", "perspective").lines().size());
    }

    @Test
    @Order(8)
    void followPrintsRecordsProducedAfterItStarted() throws Exception {
        StringWriter err = new StringWriter();
        CompletableFuture<Run> follower = CompletableFuture.supplyAsync(() -> {
            try {
                return tap(err, topics.checkpoints().name(), "--follow", "--from-end", "--max", "1");
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!err.toString().contains("caught up") && System.nanoTime() < deadline && !follower.isDone()) {
            Thread.sleep(50);
        }
        assertTrue(err.toString().contains("caught up"), "the follower reached the end: " + err);
        try (KafkaProducer<String, byte[]> p = producer()) {
            send(p, topics.checkpoints(), 0, null, "run-1", checkpoint(20));
        }
        Run r = follower.get(60, TimeUnit.SECONDS);
        assertEquals(0, r.code(), r.err());
        assertEquals(1, r.lines().size(), r.out());
        assertEquals("run-1/step-20", r.lines().get(0).get("value").get("checkpointId").asText());
        assertEquals(1, r.lines().get(0).get("offset").asLong(), "after the record that was there");
    }

    @Test
    @Order(9)
    void followInAProcessStopsCleanlyOnSigterm() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path out = dir.resolve("follow.out");
        Path err = dir.resolve("follow.err");
        // the JVM flags the satflow launcher passes that matter here; files, not pipes, so that nothing
        // the process writes while it stops is lost
        Process proc = new ProcessBuilder(java.toString(), "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.satflow.schema",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "dev.satflow.ops.Satflow", "tap", topics.eval().name(),
                "--follow", "--bootstrap", cluster.bootstrap(), "--registry", cluster.registryUrl())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (proc.isAlive() && System.nanoTime() < deadline && !Files.readString(err).contains("caught up")) {
                Thread.sleep(50);
            }
            assertTrue(Files.readString(err).contains("caught up"), "the process reached the end: "
                    + Files.readString(err));
            proc.toHandle().destroy(); // SIGTERM, which runs the shutdown hooks as Ctrl-C (SIGINT) does
            assertTrue(proc.waitFor(30, TimeUnit.SECONDS), "stopped within 30 s");
            List<String> printed = Files.readAllLines(out);
            assertEquals(1, printed.size(), printed.toString());
            assertEquals("run-1/step-10", JSON.readTree(printed.get(0)).get("value").get("checkpointId").asText());
            assertTrue(Files.readString(err).contains("tap " + topics.eval().name()
                    + ": 1 record printed, 1 read (stopped)"), "the loop ended and closed its consumer: "
                    + Files.readString(err));
        } finally {
            proc.destroyForcibly();
        }
    }

    @Test
    @Order(10)
    void htmlPageStillWorks() throws Exception {
        Path page = dir.resolve("gallery");
        Run r = tap(topics.frames().name(), "--html", page.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("wrote "), r.out());
        assertTrue(Files.readString(page.resolve("index.html")).contains("scene-1"));
        Path questions = dir.resolve("questions");
        Run qa = tap(topics.qa().name(), "--html", questions.toString(), "--max", "5");
        assertEquals(0, qa.code(), qa.err());
        assertTrue(Files.readString(questions.resolve("index.html")).contains("5 questions"));
    }

    @Test
    @Order(11)
    void usageErrorsExitWith2AndNameTheOption() throws Exception {
        Map<List<String>, List<String>> cases = new LinkedHashMap<>();
        cases.put(List.of(topics.frames().name(), "--type", "counting"), List.of("--type", topics.frames().name(),
                topics.qa().name()));
        cases.put(List.of(topics.frames().name(), "--split", "test"), List.of("--split", topics.frames().name()));
        cases.put(List.of(topics.dlq().name(), "--scene", "scene-1"), List.of("--scene", topics.dlq().name()));
        cases.put(List.of(topics.checkpoints().name(), "--type", "counting"), List.of("--type"));
        cases.put(List.of(topics.qa().name(), "--type", "countin"), List.of("countin", "counting"));
        cases.put(List.of("satflow.nope.v1"), List.of("unknown topic", topics.qa().name()));
        cases.put(List.of(topics.qa().name(), "--from-offset", "1", "--from-end"), List.of("--from-offset",
                "--from-end"));
        cases.put(List.of(topics.qa().name(), "--from-time", "yesterday"), List.of("--from-time", "yesterday"));
        cases.put(List.of(topics.qa().name(), "--sample", "0"), List.of("--sample"));
        cases.put(List.of(topics.qa().name(), "--max", "0"), List.of("--max"));
        cases.put(List.of(topics.qa().name(), "--partition", "3"), List.of("--partition 3", "0-2"));
        cases.put(List.of(topics.qa().name(), "--html", dir.resolve("x").toString(), "--follow"),
                List.of("--html", "--follow"));
        cases.put(List.of(topics.qa().name(), "--no-such-flag"), List.of("--no-such-flag"));
        for (Map.Entry<List<String>, List<String>> c : cases.entrySet()) {
            Run r = tap(c.getKey().toArray(String[]::new));
            assertEquals(2, r.code(), c.getKey() + ": " + r.err());
            for (String word : c.getValue()) {
                assertTrue(r.err().contains(word), c.getKey() + " should name " + word + ": " + r.err());
            }
            assertEquals("", r.out(), "nothing on stdout for " + c.getKey());
        }
    }

    @Test
    @Order(12)
    void noTapLeftAConsumerGroup() throws Exception {
        Map<String, Object> ac = new HashMap<>();
        ac.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        try (Admin admin = Admin.create(ac)) {
            List<String> groups = admin.listGroups().all().get(30, TimeUnit.SECONDS).stream()
                    .map(GroupListing::groupId).toList();
            assertEquals(List.of(), groups, "no tap joined or created a group");
            @SuppressWarnings("deprecation")
            var consumerGroups = admin.listConsumerGroups().all().get(30, TimeUnit.SECONDS);
            assertTrue(consumerGroups.isEmpty(), consumerGroups.toString());
        }
    }
}
