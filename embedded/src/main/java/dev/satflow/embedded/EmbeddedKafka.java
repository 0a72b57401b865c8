package dev.satflow.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node KRaft Kafka (broker and controller in one) inside this JVM: the same classes
 * kafka-server-start.sh runs. The log directory is formatted on first start and reused afterwards,
 * so a data folder survives restarts; {@link #close()} and {@link #start()} again restart it on the
 * same ports and data. The same class runs each node of the multi-process cluster ({@link BrokerMain}).
 */
public final class EmbeddedKafka implements AutoCloseable {
    private final Path logDir;
    private final BrokerProperties.Node self;
    private final List<BrokerProperties.Node> quorum;
    private final String clusterId;
    private final SaslSslListener saslSsl;
    private KafkaRaftServer server;

    /** A single node; ports of 0 pick free ones. */
    public EmbeddedKafka(Path logDir, int port, int controllerPort) {
        this(logDir, port, controllerPort, null);
    }

    /**
     * A single node with, when saslSsl is not null, a second client listener that takes TLS and SCRAM only; ports
     * of 0 pick free ones.
     */
    public EmbeddedKafka(Path logDir, int port, int controllerPort, SaslSslListener saslSsl) {
        this.logDir = logDir;
        this.self = new BrokerProperties.Node(1, port == 0 ? freePort() : port,
                controllerPort == 0 ? freePort() : controllerPort);
        this.quorum = List.of(self);
        this.clusterId = null;
        this.saslSsl = saslSsl == null || saslSsl.port() != 0 ? saslSsl : saslSsl.withPort(freePort());
    }

    /**
     * One node of a multi-node quorum (every node broker and controller).
     *
     * @param clusterId shared by every node; used when this node's folder is formatted
     */
    public EmbeddedKafka(Path logDir, BrokerProperties.Node self, List<BrokerProperties.Node> quorum,
            String clusterId) {
        this.logDir = logDir;
        this.self = self;
        this.quorum = List.copyOf(quorum);
        this.clusterId = clusterId;
        this.saslSsl = null;
    }

    Properties brokerProperties() {
        return BrokerProperties.of(self, quorum, logDir, saslSsl);
    }

    public synchronized EmbeddedKafka start() {
        try {
            Files.createDirectories(logDir);
            KafkaConfig config = KafkaConfig.fromProps(brokerProperties(), false);
            // an existing data folder keeps its cluster id: format only a fresh one (the formatter
            // refuses a folder formatted under another id even when told to ignore formatted ones)
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                format(config);
            }
            server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            awaitReady();
            if (saslSsl != null) {
                createScramUsers();
            }
            return this;
        } catch (Exception e) {
            close();
            throw new IllegalStateException("embedded Kafka failed to start in " + logDir + ": " + e.getMessage(), e);
        }
    }

    private void format(KafkaConfig config) throws Exception {
        new Formatter()
                .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                .setClusterId(clusterId != null ? clusterId : Uuid.randomUuid().toString())
                .setNodeId(self.id())
                .setControllerListenerName("CONTROLLER")
                .setMetadataLogDirectory(config.metadataLogDir())
                .setDirectories(List.of(logDir.toString()))
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setIgnoreFormatted(true)
                .run();
    }

    /** Until this node serves requests and the cluster lists it as a live broker. */
    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(quorum.size() > 1 ? 180 : 60);
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG, "satflow-embedded-probe"))) {
            while (true) {
                try {
                    if (admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).stream()
                            .anyMatch(n -> n.id() == self.id())) {
                        return;
                    }
                } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("node " + self.id() + " not listed as a live broker");
                }
                Thread.sleep(100);
            }
        }
    }

    /**
     * Upserts the SASL_SSL listener's SCRAM users through the PLAINTEXT listener (no authentication there), then
     * waits until this broker's metadata lists them: a client that authenticates before that is refused.
     * KRaft could also write them at format time (kafka-storage format --add-scram), but only into a fresh folder;
     * this way a password changed between starts of the same data folder takes effect too.
     */
    private void createScramUsers() throws Exception {
        List<UserScramCredentialAlteration> upserts = new ArrayList<>();
        saslSsl.users().forEach((user, password) -> upserts.add(new UserScramCredentialUpsertion(user,
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password)));
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG, "satflow-embedded-scram"))) {
            admin.alterUserScramCredentials(upserts).all().get(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                try {
                    // a user this broker does not know yet fails the whole call (ResourceNotFoundException)
                    admin.describeUserScramCredentials(List.copyOf(saslSsl.users().keySet())).all()
                            .get(10, TimeUnit.SECONDS);
                    return;
                } catch (java.util.concurrent.ExecutionException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("SCRAM users " + saslSsl.users().keySet()
                                + " not listed after 30 s: " + e.getCause(), e);
                    }
                }
                Thread.sleep(50);
            }
        }
    }

    /** The PLAINTEXT listener: unauthenticated, for loopback clients the broker trusts (registry log, tests). */
    public String bootstrapServers() {
        return "127.0.0.1:" + self.port();
    }

    /** The SASL_SSL listener (TLS and SCRAM-SHA-512), when this node was started with one. */
    public java.util.Optional<String> saslSslBootstrapServers() {
        return java.util.Optional.ofNullable(saslSsl).map(l -> "127.0.0.1:" + l.port());
    }

    public Path logDir() {
        return logDir;
    }

    /** Whether the broker runs (between {@link #start()} and {@link #close()}). */
    public synchronized boolean running() {
        return server != null;
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
