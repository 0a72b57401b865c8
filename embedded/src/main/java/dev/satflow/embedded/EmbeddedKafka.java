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
 * so a data folder survives restarts.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private final Path logDir;
    private final int port;
    private final int controllerPort;
    private KafkaRaftServer server;

    /** Ports of 0 pick free ones. */
    public EmbeddedKafka(Path logDir, int port, int controllerPort) {
        this.logDir = logDir;
        this.port = port == 0 ? freePort() : port;
        this.controllerPort = controllerPort == 0 ? freePort() : controllerPort;
    }

    Properties brokerProperties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        // one node: every internal topic needs replication factor 1, or transactions never start
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "3");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "3");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("default.replication.factor", "1");
        p.put("auto.create.topics.enable", "false");
        // images travel inline: let the broker accept what the topics allow
        p.put("message.max.bytes", Integer.toString(32 * 1024 * 1024));
        p.put("replica.fetch.max.bytes", Integer.toString(32 * 1024 * 1024));
        p.put("log.segment.bytes", Integer.toString(256 * 1024 * 1024));
        return p;
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
                .setClusterId(Uuid.randomUuid().toString())
                .setNodeId(1)
                .setControllerListenerName("CONTROLLER")
                .setMetadataLogDirectory(config.metadataLogDir())
                .setDirectories(List.of(logDir.toString()))
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setIgnoreFormatted(true)
                .run();
    }

    private void awaitReady() throws Exception {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG, "satflow-embedded-probe"))) {
            admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public Path logDir() {
        return logDir;
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
