package dev.satflow.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.contracts.AvroSerde;
import dev.satflow.contracts.RegistryException;
import dev.satflow.contracts.SchemaRegistryClient;
import dev.satflow.schema.DeadLetter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The registry over HTTP, durable in a real embedded broker's _schemas topic. */
class SchemaRegistryServerTest {
    static EmbeddedKafka kafka;

    static final Schema V1 = parse("""
            {"type":"record","name":"Probe","namespace":"t","fields":[{"name":"a","type":"long"}]}""");
    static final Schema V2_ADDS_DEFAULTED = parse("""
            {"type":"record","name":"Probe","namespace":"t","fields":[{"name":"a","type":"long"},
             {"name":"b","type":"string","default":"x"}]}""");
    static final Schema V2_ADDS_REQUIRED = parse("""
            {"type":"record","name":"Probe","namespace":"t","fields":[{"name":"a","type":"long"},
             {"name":"c","type":"int"}]}""");
    static final Schema V_TYPE_CHANGE = parse("""
            {"type":"record","name":"Probe","namespace":"t","fields":[{"name":"a","type":"string"}]}""");

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = new EmbeddedKafka(Files.createTempDirectory("reg-kafka"), 0, 0).start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    static Schema parse(String s) {
        return new Schema.Parser().parse(s);
    }

    SchemaRegistryServer startRegistry(String topic) {
        return SchemaRegistryServer.start(new KafkaSchemaLog(kafka.bootstrapServers(), topic), 0);
    }

    @Test
    void registerFetchByIdLatestAndIdempotence() {
        try (SchemaRegistryServer server = startRegistry("_schemas_a")) {
            SchemaRegistryClient c = new SchemaRegistryClient(server.url());
            int id1 = c.register("probe-value", V1);
            assertEquals(id1, c.register("probe-value", V1), "re-registering returns the same id");
            int id2 = c.register("probe-value", V2_ADDS_DEFAULTED);
            assertTrue(id2 != id1);
            assertEquals(V1, new SchemaRegistryClient(server.url()).schemaById(id1), "fetch by id, fresh client");
            SchemaRegistryClient.Registered latest = c.latest("probe-value");
            assertEquals(2, latest.version());
            assertEquals(id2, latest.id());
            assertEquals(List.of(1, 2), c.versions("probe-value"));
            assertEquals(List.of("probe-value"), c.subjects());
            assertEquals(1, c.lookup("probe-value", V1).orElseThrow().version());
            assertTrue(c.lookup("probe-value", V_TYPE_CHANGE).isEmpty());
            // ids are global: the same schema under another subject keeps its id
            assertEquals(id1, c.register("other-value", V1));
            RegistryException missing = assertThrows(RegistryException.class, () -> c.schemaById(999));
            assertEquals(40403, missing.errorCode());
        }
    }

    @Test
    void withUserInfoEveryRequestNeedsBasicAuth() throws Exception {
        try (SchemaRegistryServer server = SchemaRegistryServer.start(
                new KafkaSchemaLog(kafka.bootstrapServers(), "_schemas_auth"), 0, "reg:s3cret")) {
            SchemaRegistryClient good = new SchemaRegistryClient(server.url(), "reg:s3cret");
            int id = good.register("probe-value", V1);
            assertEquals(V1, good.schemaById(id));

            RegistryException anonymous = assertThrows(RegistryException.class,
                    () -> new SchemaRegistryClient(server.url()).subjects());
            assertEquals(401, anonymous.status());
            assertTrue(anonymous.getMessage().contains("requires HTTP basic auth"), anonymous.getMessage());
            RegistryException wrong = assertThrows(RegistryException.class,
                    () -> new SchemaRegistryClient(server.url(), "reg:guess").schemaById(id));
            assertEquals(401, wrong.status());
            assertTrue(wrong.getMessage().contains("wrong user or password"), wrong.getMessage());
            // the challenge a browser or curl answers with credentials
            java.net.http.HttpResponse<String> raw = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url() + "/subjects")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(401, raw.statusCode());
            assertEquals("Basic realm=\"satflow-registry\"", raw.headers().firstValue("WWW-Authenticate").orElse(""));
        }
    }

    @Test
    void incompatibleRegistrationIsRefusedWith409PerLevel() {
        try (SchemaRegistryServer server = startRegistry("_schemas_b")) {
            SchemaRegistryClient c = new SchemaRegistryClient(server.url());
            c.register("s-value", V1);
            assertEquals("BACKWARD", c.compatibility(null));
            assertFalse(c.isCompatible("s-value", V_TYPE_CHANGE));
            RegistryException e = assertThrows(RegistryException.class, () -> c.register("s-value", V_TYPE_CHANGE));
            assertEquals(409, e.status());
            // BACKWARD: a new required field cannot read old data
            assertEquals(409, assertThrows(RegistryException.class,
                    () -> c.register("s-value", V2_ADDS_REQUIRED)).status());
            // FORWARD: old readers ignore the new field, so it passes
            c.setCompatibility("s-value", "FORWARD");
            assertTrue(c.isCompatible("s-value", V2_ADDS_REQUIRED));
            c.register("s-value", V2_ADDS_REQUIRED);
            // FULL needs both directions: adding a defaulted field to the latest is fine
            c.setCompatibility("s-value", "FULL");
            assertEquals("FULL", c.compatibility("s-value"));
            assertTrue(c.isCompatible("s-value", parse("""
                    {"type":"record","name":"Probe","namespace":"t","fields":[{"name":"a","type":"long"},
                     {"name":"c","type":"int"},{"name":"d","type":"int","default":1}]}""")));
            c.setCompatibility("s-value", "NONE");
            c.register("s-value", V_TYPE_CHANGE);
            assertEquals(422, assertThrows(RegistryException.class,
                    () -> c.setCompatibility("s-value", "SIDEWAYS")).status());
        }
    }

    @Test
    void transitiveLevelChecksEveryVersion() {
        try (SchemaRegistryServer server = startRegistry("_schemas_c")) {
            SchemaRegistryClient c = new SchemaRegistryClient(server.url());
            c.setCompatibility("t-value", "NONE");
            c.register("t-value", V1);
            c.register("t-value", V_TYPE_CHANGE);
            Schema stringWithDefault = parse("""
                    {"type":"record","name":"Probe","namespace":"t","fields":[{"name":"a","type":"string"},
                     {"name":"b","type":"string","default":"x"}]}""");
            c.setCompatibility("t-value", "BACKWARD");
            assertTrue(c.isCompatible("t-value", stringWithDefault), "compatible with the latest only");
            c.setCompatibility("t-value", "BACKWARD_TRANSITIVE");
            assertFalse(c.isCompatible("t-value", stringWithDefault), "not with version 1 (long a)");
        }
    }

    @Test
    void restartKeepsSchemasIdsAndConfig() {
        int id;
        try (SchemaRegistryServer server = startRegistry("_schemas_d")) {
            SchemaRegistryClient c = new SchemaRegistryClient(server.url());
            id = c.register("r-value", V1);
            c.register("r-value", V2_ADDS_DEFAULTED);
            c.setCompatibility("r-value", "FULL_TRANSITIVE");
        }
        try (SchemaRegistryServer again = startRegistry("_schemas_d")) {
            SchemaRegistryClient c = new SchemaRegistryClient(again.url());
            assertEquals(V1, c.schemaById(id));
            assertEquals(2, c.latest("r-value").version());
            assertEquals("FULL_TRANSITIVE", c.compatibility("r-value"));
            int next = c.register("other-value", V_TYPE_CHANGE);
            assertTrue(next > id + 1, "new ids continue after the replayed ones, got " + next);
        }
    }

    @Test
    void serdeRoundTripInConfluentWireFormatAndClearErrors() {
        try (SchemaRegistryServer server = startRegistry("_schemas_e")) {
            SchemaRegistryClient c = new SchemaRegistryClient(server.url());
            AvroSerde<DeadLetter> serde = new AvroSerde<>(DeadLetter.class, c, true);
            DeadLetter dl = DeadLetter.newBuilder().setStage("render").setSourceTopic("t").setPartition(3)
                    .setOffset(42).setError("objects[2].size.y = 0.0").setRaw(ByteBuffer.wrap(new byte[] {1, 2}))
                    .build();
            byte[] wire = serde.serialize("satflow.dlq.v1", dl);
            assertEquals(0, wire[0], "magic byte");
            int id = ByteBuffer.wrap(wire, 1, 4).getInt();
            assertEquals(c.latest("satflow.dlq.v1-value").id(), id, "schema id follows the magic byte");
            assertEquals(dl, serde.deserialize("satflow.dlq.v1", wire));

            SerializationException notAvro = assertThrows(SerializationException.class,
                    () -> serde.deserialize("x", "hello world".getBytes()));
            assertTrue(notAvro.getMessage().contains("magic byte 0x68"), notAvro.getMessage());
            byte[] unknownId = wire.clone();
            ByteBuffer.wrap(unknownId, 1, 4).putInt(777);
            SerializationException unknown = assertThrows(SerializationException.class,
                    () -> serde.deserialize("x", unknownId));
            assertTrue(unknown.getMessage().contains("unknown schema id 777"), unknown.getMessage());
        }
    }
}
