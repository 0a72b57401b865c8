package dev.satflow.embedded;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One node of the local multi-process cluster ({@link BrokerCluster}): {@code BrokerMain CLUSTER_DIR NODE_ID}
 * reads the cluster's layout (id, nodes, ports) from {@code CLUSTER_DIR/cluster.properties}, formats
 * {@code CLUSTER_DIR/broker-N} on first start, runs the KRaft node (broker and controller) and prints
 * {@code READY N HOST:PORT}. SIGTERM shuts it down cleanly (controlled shutdown); it also stops when
 * the process that started it is gone, so a killed launcher leaves no broker behind.
 */
public final class BrokerMain {
    private BrokerMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: BrokerMain CLUSTER_DIR NODE_ID");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int id = Integer.parseInt(args[1]);
        BrokerCluster.Layout layout = BrokerCluster.Layout.read(dir);
        EmbeddedKafka kafka = new EmbeddedKafka(BrokerCluster.nodeDir(dir, id), layout.node(id), layout.nodes(),
                layout.clusterId());
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "satflow-broker-shutdown"));
        watchParent();
        kafka.start();
        System.out.println("READY " + id + " " + kafka.bootstrapServers());
        System.out.flush();
        Thread.currentThread().join();
    }

    private static void watchParent() {
        Optional<ProcessHandle> parent = ProcessHandle.current().parent();
        if (parent.isEmpty() || Boolean.getBoolean("satflow.broker.orphan-ok")) {
            return;
        }
        Thread t = new Thread(() -> {
            while (parent.get().isAlive()) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
            System.err.println("the process that started this broker is gone; stopping");
            System.exit(0);
        }, "satflow-broker-parent-watch");
        t.setDaemon(true);
        t.start();
    }
}
