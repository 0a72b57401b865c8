package dev.satflow.qa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.contracts.SchemaRegistryClient;
import dev.satflow.contracts.Topics;
import dev.satflow.embedded.SchemaLog;
import dev.satflow.embedded.SchemaRegistryServer;
import dev.satflow.schema.CameraPose;
import dev.satflow.schema.DeadLetter;
import dev.satflow.schema.Frame;
import dev.satflow.schema.Intrinsics;
import dev.satflow.schema.Lineage;
import dev.satflow.schema.Material;
import dev.satflow.schema.QaRecord;
import dev.satflow.schema.RenderSettings;
import dev.satflow.schema.Rgb;
import dev.satflow.schema.Room;
import dev.satflow.schema.SceneObject;
import dev.satflow.schema.SceneSpec;
import dev.satflow.schema.SourceRef;
import dev.satflow.schema.Vec2;
import dev.satflow.schema.Vec3;
import dev.satflow.schema.View;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gathering topology under TopologyTestDriver, with the real Avro serdes talking to a real
 * (in-memory) registry server over HTTP. The deriver here emits one record per frame so the test
 * sees exactly what the gatherer handed over; question derivation has its own tests.
 */
class QaTopologyTest {
    SchemaRegistryServer registry;
    Topics topics;
    TopologyTestDriver driver;
    TestInputTopic<String, byte[]> scenesIn;
    TestInputTopic<String, byte[]> framesIn;
    TestOutputTopic<String, QaRecord> qaOut;
    TestOutputTopic<String, DeadLetter> dlqOut;

    static final QuestionDeriver ONE_PER_FRAME = (spec, frames) -> {
        List<QaRecord> out = new ArrayList<>();
        for (SourcedFrame f : frames) {
            out.add(QaRecord.newBuilder().setQaId(spec.getSceneId() + "/" + f.frame().getViewId())
                    .setSceneId(spec.getSceneId()).setQuestionType("probe")
                    .setLineage(Lineage.newBuilder().setSources(List.of(
                            new SourceRef(f.topic(), f.partition(), f.offset()))).build())
                    .build());
        }
        return out;
    };

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path stateDir;

    @BeforeEach
    void setUp() {
        registry = SchemaRegistryServer.start(SchemaLog.inMemory(), 0);
        topics = Topics.create(new SchemaRegistryClient(registry.url()), 4);
        var topology = QaTopology.build(new QaTopology.Options(topics, ONE_PER_FRAME, Duration.ofMinutes(10),
                Duration.ofSeconds(30)));
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "qa-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        QaErrorHandlers.install(p, topics); // as QaApp runs it
        driver = new TopologyTestDriver(topology, p, Instant.parse("2026-01-01T00:00:00Z"));
        scenesIn = driver.createInputTopic(Topics.SCENES, Serdes.String().serializer(), Serdes.ByteArray().serializer());
        framesIn = driver.createInputTopic(Topics.FRAMES, Serdes.String().serializer(), Serdes.ByteArray().serializer());
        qaOut = driver.createOutputTopic(Topics.QA, Serdes.String().deserializer(),
                topics.qa().valueSerde().deserializer());
        dlqOut = driver.createOutputTopic(Topics.DLQ, Serdes.String().deserializer(),
                topics.dlq().valueSerde().deserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
        registry.close();
    }

    static SceneSpec spec(String id, int views) {
        Material m = Material.newBuilder().setColor(new Rgb(1f, 0f, 0f)).build();
        List<View> vs = new ArrayList<>();
        for (int i = 0; i < views; i++) {
            vs.add(View.newBuilder().setViewId("v" + i)
                    .setCamera(CameraPose.newBuilder().setPosition(new Vec3(0f, 1.5f, 2f)).build()).build());
        }
        return SceneSpec.newBuilder().setSceneId(id)
                .setRoom(Room.newBuilder().setFloor(List.of(new Vec2(-2f, -2f), new Vec2(2f, -2f), new Vec2(2f, 2f)))
                        .build())
                .setObjects(List.of(SceneObject.newBuilder().setId(1).setCategory("crate").setDescription("red crate")
                        .setMaterial(m).setPosition(new Vec3(0f, 0.2f, 0f)).setSize(new Vec3(0.4f, 0.4f, 0.4f))
                        .build()))
                .setViews(vs).setRender(RenderSettings.newBuilder().build()).build();
    }

    static Frame frame(String sceneId, String viewId, int viewCount) {
        return Frame.newBuilder().setSceneId(sceneId).setViewId(viewId).setViewCount(viewCount)
                .setCamera(CameraPose.newBuilder().setPosition(new Vec3(0f, 1.5f, 2f)).build())
                .setIntrinsics(Intrinsics.newBuilder().build())
                // a PNG signature: the QA processor checks no more of an image
                .setImage(ByteBuffer.wrap(new byte[] {(byte) 0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10})).build();
    }

    byte[] bytes(SceneSpec s) {
        return topics.scenes().valueSerde().serializer().serialize(Topics.SCENES, s);
    }

    byte[] bytes(Frame f) {
        return topics.frames().valueSerde().serializer().serialize(Topics.FRAMES, f);
    }

    @Test
    void aSceneAnsweredOnceIsNotAnsweredAgainAndItsSpecIsPruned() {
        scenesIn.pipeInput("s9", bytes(spec("s9", 2)));
        framesIn.pipeInput("s9", bytes(frame("s9", "v0", 2)));
        framesIn.pipeInput("s9", bytes(frame("s9", "v1", 2)));
        assertEquals(2, qaOut.readValuesToList().size());
        KeyValueStore<String, byte[]> specs = driver.getKeyValueStore(QaTopology.SPECS_STORE);
        assertNull(specs.get("s9"), "spec pruned once the questions are out");
        assertTrue(driver.<String, String>getKeyValueStore(QaTopology.EMITTED_STORE).get("s9") != null,
                "only the spec's digest is kept");

        // a retried generate and a renderer that rendered it again: nothing new downstream, nothing buffered
        scenesIn.pipeInput("s9", bytes(spec("s9", 2)));
        framesIn.pipeInput("s9", bytes(frame("s9", "v0", 2)));
        framesIn.pipeInput("s9", bytes(frame("s9", "v1", 2)));
        assertTrue(qaOut.isEmpty(), "no second set of questions");
        assertTrue(dlqOut.isEmpty(), "the same content is no error");
        assertNull(specs.get("s9"));
        assertEquals(0, countEntries(driver.getKeyValueStore(QaTopology.FRAMES_STORE)));

        // the same id with other content: dead-lettered, naming the field
        scenesIn.pipeInput("s9", bytes(spec("s9", 3)));
        List<DeadLetter> dead = dlqOut.readValuesToList();
        assertEquals(1, dead.size());
        assertEquals("sceneId", dead.get(0).getField());
        assertTrue(qaOut.isEmpty());
    }

    @Test
    void theFirstSpecOfASceneWinsWhileItWaitsForFrames() {
        scenesIn.pipeInput("s8", bytes(spec("s8", 2)));
        scenesIn.pipeInput("s8", bytes(spec("s8", 2))); // the same again: fine
        scenesIn.pipeInput("s8", bytes(spec("s8", 1))); // other content: dead-lettered, the first stays
        assertEquals(1, dlqOut.readValuesToList().size());
        framesIn.pipeInput("s8", bytes(frame("s8", "v0", 2)));
        framesIn.pipeInput("s8", bytes(frame("s8", "v1", 2)));
        assertEquals(List.of("s8/v0", "s8/v1"), qaOut.readValuesToList().stream().map(QaRecord::getQaId).toList());
    }

    @Test
    void emitsOnceWhenTheLastViewArrivesThenForgetsTheFrames() {
        scenesIn.pipeInput("s1", bytes(spec("s1", 3)));
        framesIn.pipeInput("s1", bytes(frame("s1", "v0", 3)));
        framesIn.pipeInput("s1", bytes(frame("s1", "v2", 3)));
        assertTrue(qaOut.isEmpty(), "nothing before all views are in");
        framesIn.pipeInput("s1", bytes(frame("s1", "v1", 3)));
        List<QaRecord> out = qaOut.readValuesToList();
        assertEquals(List.of("s1/v0", "s1/v1", "s1/v2"), out.stream().map(QaRecord::getQaId).toList());
        // lineage carries the frames' own offsets on the frames topic
        assertEquals(List.of(0L, 2L, 1L), out.stream().map(q -> q.getLineage().getSources().get(0).getOffset()).toList());
        KeyValueStore<String, byte[]> frames = driver.getKeyValueStore(QaTopology.FRAMES_STORE);
        assertEquals(0, countEntries(frames), "frames of a complete scene are dropped from state");
        assertTrue(dlqOut.isEmpty());
    }

    @Test
    void framesBeforeTheirSpecWaitForIt() {
        framesIn.pipeInput("s2", bytes(frame("s2", "v0", 2)));
        framesIn.pipeInput("s2", bytes(frame("s2", "v1", 2)));
        assertTrue(qaOut.isEmpty());
        scenesIn.pipeInput("s2", bytes(spec("s2", 2)));
        assertEquals(2, qaOut.readValuesToList().size());
    }

    @Test
    void undecodableAndInvalidRecordsGoToTheDlqWhileValidOnesFlow() {
        byte[] garbage = "not avro at all".getBytes();
        scenesIn.pipeInput("bad1", garbage);
        byte[] unknownId = bytes(spec("bad2", 1));
        ByteBuffer.wrap(unknownId, 1, 4).putInt(4242);
        scenesIn.pipeInput("bad2", unknownId);
        SceneSpec nan = spec("bad3", 1);
        nan.getObjects().get(0).getPosition().setX(Float.NaN);
        scenesIn.pipeInput("bad3", bytes(nan));
        SceneSpec zero = spec("bad4", 1);
        zero.getObjects().get(0).getSize().setY(0f);
        scenesIn.pipeInput("bad4", bytes(zero));
        scenesIn.pipeInput("good", bytes(spec("good", 1)));
        framesIn.pipeInput("good", bytes(frame("good", "v0", 1)));

        List<DeadLetter> dead = dlqOut.readValuesToList();
        assertEquals(4, dead.size());
        assertEquals(List.of("bad1", "bad2", "bad3", "bad4"), dead.stream().map(DeadLetter::getKey).toList());
        assertTrue(dead.get(0).getError().contains("magic byte"), dead.get(0).getError());
        assertTrue(dead.get(1).getError().contains("unknown schema id 4242"), dead.get(1).getError());
        assertEquals("objects[0].position.x", dead.get(2).getField());
        assertEquals("objects[0].size.y", dead.get(3).getField());
        for (int i = 0; i < 4; i++) {
            assertEquals("qa", dead.get(i).getStage());
            assertEquals(Topics.SCENES, dead.get(i).getSourceTopic());
            assertEquals(i, dead.get(i).getOffset());
        }
        assertArrayEquals(garbage, dead.get(0).getRaw().array());
        assertEquals(List.of("good/v0"), qaOut.readValuesToList().stream().map(QaRecord::getQaId).toList());
    }

    @Test
    void aFrameOfAViewTheSpecDoesNotHaveIsDeadLettered() {
        scenesIn.pipeInput("s3", bytes(spec("s3", 1)));
        framesIn.pipeInput("s3", bytes(frame("s3", "v7", 1)));
        assertTrue(qaOut.isEmpty());
        DeadLetter dl = dlqOut.readValue();
        assertEquals("viewId", dl.getField());
        assertTrue(dl.getError().contains("v7"), dl.getError());
    }

    @Test
    void keyMismatchIsAContractViolation() {
        framesIn.pipeInput("other", bytes(frame("s4", "v0", 1)));
        DeadLetter dl = dlqOut.readValue();
        assertEquals("sceneId", dl.getField());
        assertEquals(Topics.FRAMES, dl.getSourceTopic());
    }

    @Test
    void scenesMissingFramesAreDeadLetteredAfterTheTimeoutAndForgotten() {
        scenesIn.pipeInput("s5", bytes(spec("s5", 3)));
        framesIn.pipeInput("s5", bytes(frame("s5", "v0", 3)));
        driver.advanceWallClockTime(Duration.ofMinutes(5));
        assertTrue(dlqOut.isEmpty(), "not yet");
        driver.advanceWallClockTime(Duration.ofMinutes(6));
        DeadLetter dl = dlqOut.readValue();
        assertEquals("IncompleteScene", dl.getErrorClass());
        assertTrue(dl.getError().contains("1 frame(s) buffered, spec present"), dl.getError());
        assertEquals(0, countEntries(driver.getKeyValueStore(QaTopology.FRAMES_STORE)));
        assertNull(driver.<String, Long>getKeyValueStore(QaTopology.PENDING_STORE).get("s5"));
    }

    static int countEntries(KeyValueStore<String, ?> store) {
        int n = 0;
        try (var it = store.all()) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }
}
