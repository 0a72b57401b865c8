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
 * The whole local default in one object: Kafka, the schema registry on top of it (durable in
 * {@code _schemas}), and every satflow topic created from the declarative registry. Kafka is one
 * in-process KRaft broker by default, or, with {@code brokers > 1}, a real cluster of that many broker
 * processes ({@link BrokerCluster}) with replicated topics.
 */
public final class LocalStack implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);

    /**
     * Where and how to start; ports of 0 pick free ones.
     *
     * @param brokers 1 = one broker inside this JVM (under dataDir/kafka); more = that many broker processes
     *                (under dataDir/cluster), client ports from kafkaPort on
     * @param saslSsl a second client listener taking TLS and SCRAM only (in-process broker only); null = none
     * @param registryUserInfo {@code user:password} the registry requires as HTTP basic auth; null = open
     */
    public record Settings(Path dataDir, int kafkaPort, int controllerPort, int registryPort, int partitions,
            int brokers, SaslSslListener saslSsl, String registryUserInfo) {
        public Settings {
            if (brokers < 1) {
                throw new IllegalArgumentException("brokers = " + brokers + ": expected >= 1");
            }
            if (saslSsl != null && brokers > 1) {
                throw new IllegalArgumentException("a SASL_SSL listener is supported on the in-process broker only");
            }
        }

        public Settings(Path dataDir, int kafkaPort, int controllerPort, int registryPort, int partitions,
                int brokers) {
            this(dataDir, kafkaPort, controllerPort, registryPort, partitions, brokers, null, null);
        }

        public Settings(Path dataDir, int kafkaPort, int controllerPort, int registryPort, int partitions) {
            this(dataDir, kafkaPort, controllerPort, registryPort, partitions, 1);
        }

        /** These settings with a SASL_SSL listener and a registry that requires basic auth. */
        public Settings secured(SaslSslListener listener, String userInfo) {
            return new Settings(dataDir, kafkaPort, controllerPort, registryPort, partitions, brokers, listener,
                    userInfo);
        }

        @Override
        public String toString() { // without the registry password
            return "Settings[dataDir=" + dataDir + ", kafkaPort=" + kafkaPort + ", brokers=" + brokers + ", saslSsl="
                    + saslSsl + ", registryAuth=" + (registryUserInfo != null) + "]";
        }

        public static Settings temporary(int partitions) {
            try {
                return new Settings(Files.createTempDirectory("satflow-stack-"), 0, 0, 0, partitions);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final EmbeddedKafka kafka;
    private final BrokerCluster cluster;
    private final SchemaRegistryServer registry;
    private final Topics topics;
    private final Settings settings;

    private LocalStack(Settings settings, EmbeddedKafka kafka, BrokerCluster cluster, SchemaRegistryServer registry,
            Topics topics) {
        this.settings = settings;
        this.kafka = kafka;
        this.cluster = cluster;
        this.registry = registry;
        this.topics = topics;
    }

    public static LocalStack start(Settings s) {
        long t0 = System.nanoTime();
        EmbeddedKafka kafka = null;
        BrokerCluster cluster = null;
        if (s.brokers() == 1) {
            int controller = s.controllerPort() == 0 && s.kafkaPort() != 0 ? s.kafkaPort() + 1 : s.controllerPort();
            kafka = new EmbeddedKafka(s.dataDir().resolve("kafka"), s.kafkaPort(), controller, s.saslSsl()).start();
        } else {
            cluster = BrokerCluster.start(s.dataDir().resolve("cluster"), s.brokers(), s.kafkaPort(),
                    s.controllerPort(), null);
        }
        String bootstrap = kafka != null ? kafka.bootstrapServers() : cluster.bootstrapServers();
        SchemaRegistryServer registry = null;
        try {
            registry = SchemaRegistryServer.start(new KafkaSchemaLog(bootstrap, KafkaSchemaLog.DEFAULT_TOPIC),
                    s.registryPort(), s.registryUserInfo());
            Topics topics = Topics.create(new SchemaRegistryClient(registry.url(), s.registryUserInfo()),
                    s.partitions());
            TopicAdmin.ensure(bootstrap, topics.all());
            LOG.info("local stack up in {} ms: kafka {}{} ({} broker(s)) registry {}{} data {}",
                    (System.nanoTime() - t0) / 1_000_000, bootstrap,
                    kafka == null ? "" : kafka.saslSslBootstrapServers().map(b -> ", SASL_SSL " + b).orElse(""),
                    s.brokers(), registry.url(), s.registryUserInfo() == null ? "" : " (basic auth)", s.dataDir());
            return new LocalStack(s, kafka, cluster, registry, topics);
        } catch (RuntimeException e) {
            if (registry != null) {
                registry.close();
            }
            if (kafka != null) {
                kafka.close();
            }
            if (cluster != null) {
                cluster.close();
            }
            throw e;
        }
    }

    /** The PLAINTEXT listener(s): no authentication, loopback only. */
    public String bootstrapServers() {
        return kafka != null ? kafka.bootstrapServers() : cluster.bootstrapServers();
    }

    /** The SASL_SSL listener (TLS and SCRAM-SHA-512) of a stack started with {@link Settings#secured}. */
    public String saslSslBootstrapServers() {
        return java.util.Optional.ofNullable(kafka).flatMap(EmbeddedKafka::saslSslBootstrapServers)
                .orElseThrow(() -> new IllegalStateException("this stack has no SASL_SSL listener"));
    }

    /** The broker processes when this stack runs more than one broker (empty for the in-process broker). */
    public java.util.Optional<BrokerCluster> cluster() {
        return java.util.Optional.ofNullable(cluster);
    }

    /**
     * Stops the in-process broker (a clean shutdown) and keeps it down until {@link #startKafka()}; clients
     * see the broker gone. The registry keeps serving what it has read.
     */
    public void stopKafka() {
        requireSingle().close();
    }

    /** Starts the in-process broker again on the same data folder and ports. */
    public void startKafka() {
        requireSingle().start();
    }

    private EmbeddedKafka requireSingle() {
        if (kafka == null) {
            throw new IllegalStateException("this stack runs a " + settings.brokers() + "-broker cluster: use cluster()");
        }
        return kafka;
    }

    public String registryUrl() {
        return registry.url();
    }

    public Topics topics() {
        return topics;
    }

    public Settings settings() {
        return settings;
    }

    public Path dataDir() {
        return settings.dataDir();
    }

    @Override
    public void close() {
        registry.close();
        if (kafka != null) {
            kafka.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }
}
