package dev.satflow.embedded;

import dev.satflow.contracts.TopicSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The configuration of one KRaft node that is broker and controller at once (combined mode), on
 * loopback, for a quorum of one or more such nodes. One place for the settings the embedded single
 * broker and the multi-process local cluster share; the replication settings follow the cluster
 * size: internal topics get replication factor min(3, nodes) and min.insync.replicas min(2, RF).
 */
public final class BrokerProperties {
    /** A node's id and its two loopback ports. */
    public record Node(int id, int port, int controllerPort) {}

    private BrokerProperties() {}

    /** Replication factor of every topic on a cluster of this many brokers. */
    public static int replicationFactor(int brokers) {
        return TopicSettings.replicationFactor(brokers);
    }

    /** min.insync.replicas that goes with a replication factor: 2 where there is a second copy. */
    public static int minInsyncReplicas(int replicationFactor) {
        return TopicSettings.minInsyncReplicas(replicationFactor);
    }

    public static Properties of(Node self, List<Node> quorum, Path logDir) {
        return of(self, quorum, logDir, null);
    }

    /** @param saslSsl an extra client listener with TLS and SCRAM (its port already chosen); null = none */
    public static Properties of(Node self, List<Node> quorum, Path logDir, SaslSslListener saslSsl) {
        int rf = replicationFactor(quorum.size());
        String isr = Integer.toString(minInsyncReplicas(rf));
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(self.id()));
        p.put("controller.quorum.voters", quorum.stream().map(n -> n.id() + "@127.0.0.1:" + n.controllerPort())
                .collect(Collectors.joining(",")));
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + self.port() + ",CONTROLLER://127.0.0.1:" + self.controllerPort());
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + self.port());
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        if (saslSsl != null) {
            String secure = SaslSslListener.NAME + "://127.0.0.1:" + saslSsl.port();
            p.put("listeners", p.get("listeners") + "," + secure);
            p.put("advertised.listeners", p.get("advertised.listeners") + "," + secure);
            p.put("listener.security.protocol.map", p.get("listener.security.protocol.map") + ","
                    + SaslSslListener.NAME + ":SASL_SSL");
            saslSsl.addTo(p);
        }
        p.put("log.dirs", logDir.toString());
        // internal topics replicated like the data topics (one node: RF 1, or transactions never start)
        p.put("offsets.topic.replication.factor", Integer.toString(rf));
        p.put("offsets.topic.num.partitions", "3");
        p.put("transaction.state.log.replication.factor", Integer.toString(rf));
        p.put("transaction.state.log.min.isr", isr);
        p.put("transaction.state.log.num.partitions", "3");
        p.put("share.coordinator.state.topic.replication.factor", Integer.toString(rf));
        p.put("share.coordinator.state.topic.min.isr", isr);
        p.put("default.replication.factor", Integer.toString(rf));
        p.put("min.insync.replicas", isr);
        p.put("unclean.leader.election.enable", "false");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        // images travel inline: let the broker accept what the topics allow
        p.put("message.max.bytes", Integer.toString(32 * 1024 * 1024));
        p.put("replica.fetch.max.bytes", Integer.toString(32 * 1024 * 1024));
        p.put("log.segment.bytes", Integer.toString(256 * 1024 * 1024));
        return p;
    }
}
