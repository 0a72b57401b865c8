package dev.satflow.embedded;

import dev.satflow.contracts.SchemaRegistryClient;
import dev.satflow.contracts.TopicAdmin;
import dev.satflow.contracts.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole local default in one object: a KRaft broker, the schema registry on top of it (durable
 * in {@code _schemas}), and every satflow topic created from the declarative registry.
 */
public final class LocalStack implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);

    /** Where and how to start; ports of 0 pick free ones. */
    public record Settings(Path dataDir, int kafkaPort, int controllerPort, int registryPort, int partitions) {
        public static Settings temporary(int partitions) {
            try {
                return new Settings(Files.createTempDirectory("satflow-stack-"), 0, 0, 0, partitions);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final EmbeddedKafka kafka;
    private final SchemaRegistryServer registry;
    private final Topics topics;
    private final Settings settings;

    private LocalStack(Settings settings, EmbeddedKafka kafka, SchemaRegistryServer registry, Topics topics) {
        this.settings = settings;
        this.kafka = kafka;
        this.registry = registry;
        this.topics = topics;
    }

    public static LocalStack start(Settings s) {
        long t0 = System.nanoTime();
        EmbeddedKafka kafka = new EmbeddedKafka(s.dataDir().resolve("kafka"), s.kafkaPort(), s.controllerPort()).start();
        SchemaRegistryServer registry = null;
        try {
            registry = SchemaRegistryServer.start(
                    new KafkaSchemaLog(kafka.bootstrapServers(), KafkaSchemaLog.DEFAULT_TOPIC), s.registryPort());
            Topics topics = Topics.create(new SchemaRegistryClient(registry.url()), s.partitions());
            TopicAdmin.ensure(kafka.bootstrapServers(), topics.all());
            LOG.info("local stack up in {} ms: kafka {} registry {} data {}", (System.nanoTime() - t0) / 1_000_000,
                    kafka.bootstrapServers(), registry.url(), s.dataDir());
            return new LocalStack(s, kafka, registry, topics);
        } catch (RuntimeException e) {
            if (registry != null) {
                registry.close();
            }
            kafka.close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String registryUrl() {
        return registry.url();
    }

    public Topics topics() {
        return topics;
    }

    public Path dataDir() {
        return settings.dataDir();
    }

    @Override
    public void close() {
        registry.close();
        kafka.close();
    }
}
