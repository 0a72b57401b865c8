package dev.satflow.core.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.core.config.ConfigException;
import dev.satflow.core.config.SatflowSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The process's client properties: read from kafka.client-config, carried by every config KafkaClients builds. */
class KafkaClientsTest {
    @TempDir
    Path dir;

    @AfterEach
    void reset() {
        KafkaClients.use(Map.of()); // process-wide: leave none behind for other tests in this JVM
    }

    @Test
    void clientConfigFileReachesProducersConsumersAdminAndStreams() throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\nlinger.ms = 20\n");
        Map<String, Object> props = KafkaClients.clientConfig(
                SatflowSettings.load(null, Map.of("kafka.client-config", file)));
        assertEquals(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512", "linger.ms", "20"),
                props);

        assertFalse(KafkaClients.producer("b:1", "p").containsKey("security.protocol"), "none before use()");
        KafkaClients.use(props);
        assertEquals("SASL_SSL", KafkaClients.producer("b:1", "p").get("security.protocol"));
        assertEquals("20", KafkaClients.producer("b:1", "p").get("linger.ms"), "the file wins over the defaults");
        assertEquals("SASL_SSL", KafkaClients.transactionalProducer("b:1", "p", "t").get("security.protocol"));
        Map<String, Object> consumer = KafkaClients.consumer("b:1", "g", "c");
        assertEquals("SCRAM-SHA-512", consumer.get("sasl.mechanism"));
        assertEquals("g", consumer.get("group.id"));
        Map<String, Object> admin = KafkaClients.admin("b:1", "a");
        assertEquals(Map.of("bootstrap.servers", "b:1", "client.id", "a", "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512", "linger.ms", "20"), admin);
        Properties streams = KafkaClients.withExtra(new Properties());
        assertEquals("SASL_SSL", streams.get("security.protocol"));
    }

    @Test
    void unsetMeansNoneAndTheFallbackKeyIsRead() throws Exception {
        assertEquals(Map.of(), KafkaClients.clientConfig(SatflowSettings.load(null, Map.of())));
        Path file = dir.resolve("console.properties");
        Files.writeString(file, "security.protocol=SSL\n");
        assertEquals(Map.of("security.protocol", "SSL"), KafkaClients.clientConfig(
                SatflowSettings.load(null, Map.of("console.client-config", file)), "console.client-config"));
    }

    @Test
    void anUnreadableFileOrAReservedKeyFailsNamingTheSetting() throws Exception {
        Path absent = dir.resolve("absent.properties");
        ConfigException missing = assertThrows(ConfigException.class, () -> KafkaClients.clientConfig(
                SatflowSettings.load(null, Map.of("kafka.client-config", absent))));
        assertTrue(missing.getMessage().contains("kafka.client-config") && missing.getMessage().contains("absent"),
                missing.getMessage());
        assertTrue(missing.getMessage().contains("flag --client-config"), "names where it came from: "
                + missing.getMessage());

        Path withBootstrap = dir.resolve("bootstrap.properties");
        Files.writeString(withBootstrap, "bootstrap.servers=elsewhere:9092\n");
        ConfigException reserved = assertThrows(ConfigException.class, () -> KafkaClients.clientConfig(
                SatflowSettings.load(null, Map.of("kafka.client-config", withBootstrap))));
        assertTrue(reserved.getMessage().contains("bootstrap.servers"), reserved.getMessage());
    }
}
