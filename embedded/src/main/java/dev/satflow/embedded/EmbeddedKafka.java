package dev.satflow.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
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
    private KafkaRaftServer server;

    /** A single node; ports of 0 pick free ones. */
    public EmbeddedKafka(Path logDir, int port, int controllerPort) {
        this.logDir = logDir;
        this.self = new BrokerProperties.Node(1, port == 0 ? freePort() : port,
                controllerPort == 0 ? freePort() : controllerPort);
        this.quorum = List.of(self);
        this.clusterId = null;
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
    }

    Properties brokerProperties() {
        return BrokerProperties.of(self, quorum, logDir);
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

    public String bootstrapServers() {
        return "127.0.0.1:" + self.port();
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
