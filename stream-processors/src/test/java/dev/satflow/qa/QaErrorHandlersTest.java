package dev.satflow.qa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.contracts.SchemaRegistryClient;
import dev.satflow.contracts.Topics;
import dev.satflow.embedded.SchemaLog;
import dev.satflow.embedded.SchemaRegistryServer;
import dev.satflow.schema.DeadLetter;
import dev.satflow.schema.QaRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The QA processor's safety nets under TopologyTestDriver, with the real Avro serdes and registry: an
 * exception nobody caught, and a question the sink cannot serialize, each dead-letter their input record
 * with its coordinates while the records around them flow on.
 */
class QaErrorHandlersTest {
    SchemaRegistryServer registry;
    Topics topics;
    TopologyTestDriver driver;

    @TempDir
    Path stateDir;

    @BeforeEach
    void setUp() {
        registry = SchemaRegistryServer.start(SchemaLog.inMemory(), 0);
        topics = Topics.create(new SchemaRegistryClient(registry.url()), 4);
    }

    @AfterEach
    void tearDown() {
        if (driver != null) {
            driver.close();
        }
        registry.close();
    }

    private TopologyTestDriver drive(Topology topology) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "qa-handlers-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        QaErrorHandlers.install(p, topics);
        driver = new TopologyTestDriver(topology, p, Instant.parse("2026-01-01T00:00:00Z"));
        return driver;
    }

    private TestOutputTopic<String, DeadLetter> dlq() {
        return driver.createOutputTopic(Topics.DLQ, Serdes.String().deserializer(),
                topics.dlq().valueSerde().deserializer());
    }

    /** Passes values on, and throws, outside any try of its own, on the value "boom". */
    static final class Fragile implements Processor<String, String, String, String> {
        private ProcessorContext<String, String> context;

        @Override
        public void init(ProcessorContext<String, String> context) {
            this.context = context;
        }

        @Override
        public void process(Record<String, String> record) {
            if (record.value().equals("boom")) {
                throw new IllegalStateException("nobody saw this coming");
            }
            context.forward(record);
        }
    }

    @Test
    void anUnforeseenProcessorExceptionDeadLettersItsRecordAndTheStageGoesOn() {
        Topology t = new Topology();
        t.addSource("in", Serdes.String().deserializer(), Serdes.String().deserializer(), "in");
        t.addProcessor("fragile", Fragile::new, "in");
        t.addSink("out", "out", Serdes.String().serializer(), Serdes.String().serializer(), "fragile");
        drive(t);
        TestInputTopic<String, String> in = driver.createInputTopic("in", Serdes.String().serializer(),
                Serdes.String().serializer());
        TestOutputTopic<String, String> out = driver.createOutputTopic("out", Serdes.String().deserializer(),
                Serdes.String().deserializer());
        in.pipeInput("k1", "fine");
        in.pipeInput("k2", "boom");
        in.pipeInput("k3", "fine too");

        assertEquals(List.of("fine", "fine too"), out.readValuesToList(), "the records around it flow on");
        List<DeadLetter> dead = dlq().readValuesToList();
        assertEquals(1, dead.size());
        DeadLetter d = dead.get(0);
        assertEquals("qa", d.getStage());
        assertEquals("in", d.getSourceTopic());
        assertEquals(1L, d.getOffset(), "the coordinates of the record that failed");
        assertEquals("k2", d.getKey());
        assertTrue(d.getError().contains("unforeseen failure in fragile") && d.getError().contains("nobody saw this"),
                d.getError());
        assertEquals("boom", new String(d.getRaw().array(), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void aQuestionThatDoesNotSerializeIsDeadLetteredAndTheSceneOtherQuestionsGoOut() {
        QuestionDeriver oneBroken = (spec, frames) -> {
            List<QaRecord> out = new ArrayList<>(QaTopologyTest.ONE_PER_FRAME.derive(spec, frames));
            if (spec.getSceneId().equals("s-bad")) {
                QaRecord broken = new QaRecord(); // required fields left null: the Avro writer refuses it
                broken.setQaId("s-bad/broken");
                out.add(1, broken);
            }
            return out;
        };
        drive(QaTopology.build(new QaTopology.Options(topics, oneBroken, Duration.ofMinutes(10),
                Duration.ofSeconds(30))));
        TestInputTopic<String, byte[]> scenes = driver.createInputTopic(Topics.SCENES, Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
        TestInputTopic<String, byte[]> frames = driver.createInputTopic(Topics.FRAMES, Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
        TestOutputTopic<String, QaRecord> qa = driver.createOutputTopic(Topics.QA, Serdes.String().deserializer(),
                topics.qa().valueSerde().deserializer());
        for (String id : List.of("s-bad", "s-next")) {
            scenes.pipeInput(id, topics.scenes().valueSerde().serializer().serialize(Topics.SCENES,
                    QaTopologyTest.spec(id, 2)));
            for (String v : List.of("v0", "v1")) {
                frames.pipeInput(id, topics.frames().valueSerde().serializer().serialize(Topics.FRAMES,
                        QaTopologyTest.frame(id, v, 2)));
            }
        }

        assertEquals(List.of("s-bad/v0", "s-bad/v1", "s-next/v0", "s-next/v1"),
                qa.readValuesToList().stream().map(QaRecord::getQaId).toList(),
                "the broken question alone is held back; the next scene is answered");
        List<DeadLetter> dead = dlq().readValuesToList();
        assertEquals(1, dead.size(), "one dead letter: " + dead);
        DeadLetter d = dead.get(0);
        assertEquals(Topics.FRAMES, d.getSourceTopic(), "the trigger: the scene's last frame");
        assertEquals(1L, d.getOffset());
        assertEquals("s-bad", d.getKey());
        assertTrue(d.getError().contains("question s-bad/broken does not serialize"), d.getError());
    }
}
