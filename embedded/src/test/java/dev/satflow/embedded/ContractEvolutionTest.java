package dev.satflow.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.contracts.SchemaRegistryClient;
import dev.satflow.schema.Frame;
import dev.satflow.schema.QaRecord;
import dev.satflow.schema.SceneSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contracts evolve compatibly: the registry, at BACKWARD_TRANSITIVE (what replayed topics use),
 * accepts today's QaRecord (frame references, marks, subjects) after the satflow-qa/1 one that
 * carried images inline, and today's Frame (label points) after the satflow-gl/1 one; and each new
 * schema reads records written with the old one (and the old one the new: FULL in practice).
 */
class ContractEvolutionTest {
    static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = new EmbeddedKafka(Files.createTempDirectory("evolution-kafka"), 0, 0).start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ContractEvolutionTest.class.getResourceAsStream("/compat/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void qaRecordAndFrameEvolveCompatibly() throws IOException {
        Schema qaV1 = new Schema.Parser().parse(resource("QaRecord.v1.avsc"));
        Schema.Parser withScene = new Schema.Parser();
        withScene.parse(SceneSpec.getClassSchema().toString());
        Schema frameV1 = withScene.parse(resource("Frame.v1.avsc"));
        try (SchemaRegistryServer server = SchemaRegistryServer.start(
                new KafkaSchemaLog(kafka.bootstrapServers(), "_schemas_evolution"), 0)) {
            SchemaRegistryClient c = new SchemaRegistryClient(server.url());
            for (String subject : new String[] {"satflow.qa.v1-value", "satflow.frames.v1-value"}) {
                c.setCompatibility(subject, "BACKWARD_TRANSITIVE");
            }
            c.register("satflow.qa.v1-value", qaV1);
            assertTrue(c.isCompatible("satflow.qa.v1-value", QaRecord.getClassSchema()));
            int qaV2 = c.register("satflow.qa.v1-value", QaRecord.getClassSchema());
            assertEquals(2, c.latest("satflow.qa.v1-value").version());
            assertEquals(qaV2, c.latest("satflow.qa.v1-value").id());
            c.register("satflow.frames.v1-value", frameV1);
            assertTrue(c.isCompatible("satflow.frames.v1-value", Frame.getClassSchema()));
            c.register("satflow.frames.v1-value", Frame.getClassSchema());
            assertEquals(2, c.latest("satflow.frames.v1-value").version());
        }
        assertEquals(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE, SchemaCompatibility
                .checkReaderWriterCompatibility(QaRecord.getClassSchema(), qaV1).getType(), "v2 reads v1 records");
        assertEquals(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE, SchemaCompatibility
                .checkReaderWriterCompatibility(qaV1, QaRecord.getClassSchema()).getType(), "v1 readers read v2 records");
        assertEquals(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE, SchemaCompatibility
                .checkReaderWriterCompatibility(Frame.getClassSchema(), frameV1).getType());
    }
}
