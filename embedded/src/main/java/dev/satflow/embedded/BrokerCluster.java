package dev.satflow.embedded;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka cluster on loopback without Docker: N KRaft nodes, each a separate JVM ({@link BrokerMain})
 * started from this JVM's class path, every node broker and controller (a combined quorum of N voters,
 * so it survives the loss of a minority). Topics created on it get replication factor min(3, N) and
 * min.insync.replicas 2 ({@link BrokerProperties}).
 *
 * <p>Layout on disk: {@code DIR/cluster.properties} (cluster id, node ids, ports; reused on restart),
 * {@code DIR/broker-N/} (each node's log), {@code DIR/broker-N.log} (each node's output). Nodes can be
 * stopped (SIGTERM), killed (SIGKILL, by pid) and started again one at a time, on the same ports and data.
 */
public final class BrokerCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerCluster.class);
    /** JVM options of a node unless SATFLOW_BROKER_JAVA_OPTS (or the satflow.broker.java-opts property) says otherwise. */
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xmx768m", "-XX:+UseSerialGC");

    /** The cluster's identity and its nodes' ports, persisted so that restarts find the same cluster. */
    public record Layout(String clusterId, List<BrokerProperties.Node> nodes) {
        static final String FILE = "cluster.properties";

        public BrokerProperties.Node node(int id) {
            return nodes.stream().filter(n -> n.id() == id).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no node " + id + " in " + nodes));
        }

        public static Layout read(Path dir) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(dir.resolve(FILE))) {
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the cluster layout in " + dir, e);
            }
            List<BrokerProperties.Node> nodes = new ArrayList<>();
            for (String id : p.getProperty("nodes").split(",")) {
                nodes.add(new BrokerProperties.Node(Integer.parseInt(id),
                        Integer.parseInt(p.getProperty("node." + id + ".port")),
                        Integer.parseInt(p.getProperty("node." + id + ".controller-port"))));
            }
            return new Layout(p.getProperty("cluster.id"), nodes);
        }

        void write(Path dir) {
            Properties p = new Properties();
            p.setProperty("cluster.id", clusterId);
            p.setProperty("nodes", nodes.stream().map(n -> Integer.toString(n.id())).collect(Collectors.joining(",")));
            for (BrokerProperties.Node n : nodes) {
                p.setProperty("node." + n.id() + ".port", Integer.toString(n.port()));
                p.setProperty("node." + n.id() + ".controller-port", Integer.toString(n.controllerPort()));
            }
            try (OutputStream out = Files.newOutputStream(dir.resolve(FILE))) {
                p.store(out, "satflow local cluster: KRaft nodes (broker + controller each)");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final Path dir;
    private final Layout layout;
    private final List<String> jvmOptions;
    private final String classPath;
    private final Map<Integer, Process> processes = new TreeMap<>();

    private BrokerCluster(Path dir, Layout layout, List<String> jvmOptions, String classPath) {
        this.dir = dir;
        this.layout = layout;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.classPath = classPath;
    }

    /**
     * Starts (or restarts, when DIR already holds this cluster) N nodes and waits until all are live brokers.
     *
     * @param port           first node's client port, the others follow (0 = free ports, or the ones in DIR)
     * @param controllerPort first node's controller port (0 = right after the client ports, or free ones)
     * @param jvmOptions     options of each node's JVM (null = SATFLOW_BROKER_JAVA_OPTS or {@link #DEFAULT_JVM_OPTIONS})
     */
    public static BrokerCluster start(Path dir, int brokers, int port, int controllerPort, List<String> jvmOptions) {
        if (brokers < 1) {
            throw new IllegalArgumentException("brokers = " + brokers + ": expected >= 1");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Layout layout = layout(dir, brokers, port, controllerPort);
        BrokerCluster cluster = new BrokerCluster(dir, layout, jvmOptions != null ? jvmOptions : defaultJvmOptions(),
                classPath());
        long t0 = System.nanoTime();
        try {
            for (BrokerProperties.Node n : layout.nodes()) {
                cluster.spawn(n.id());
            }
            cluster.awaitLive(layout.nodes().stream().map(BrokerProperties.Node::id).collect(Collectors.toSet()));
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        LOG.info("{} KRaft nodes up in {} ms: {} (data {})", brokers, (System.nanoTime() - t0) / 1_000_000,
                cluster.bootstrapServers(), dir);
        return cluster;
    }

    private static Layout layout(Path dir, int brokers, int port, int controllerPort) {
        Layout old = Files.exists(dir.resolve(Layout.FILE)) ? Layout.read(dir) : null;
        if (old != null && old.nodes().size() != brokers) {
            throw new IllegalArgumentException(dir + " holds a cluster of " + old.nodes().size() + " node(s), not "
                    + brokers + ": use that number, or another data folder");
        }
        List<BrokerProperties.Node> nodes = new ArrayList<>();
        int firstController = controllerPort != 0 ? controllerPort : port != 0 ? port + brokers : 0;
        for (int i = 0; i < brokers; i++) {
            int id = i + 1;
            BrokerProperties.Node was = old == null ? null : old.node(id);
            int p = port != 0 ? port + i : was != null ? was.port() : EmbeddedKafka.freePort();
            int c = firstController != 0 ? firstController + i : was != null ? was.controllerPort()
                    : EmbeddedKafka.freePort();
            nodes.add(new BrokerProperties.Node(id, p, c));
        }
        Layout layout = new Layout(old != null ? old.clusterId() : Uuid.randomUuid().toString(), nodes);
        layout.write(dir);
        return layout;
    }

    /** How many nodes the cluster kept in this folder has, if the folder holds one. */
    public static java.util.OptionalInt sizeAt(Path dir) {
        return Files.exists(dir.resolve(Layout.FILE)) ? java.util.OptionalInt.of(Layout.read(dir).nodes().size())
                : java.util.OptionalInt.empty();
    }

    static Path nodeDir(Path dir, int id) {
        return dir.resolve("broker-" + id);
    }

    private static List<String> defaultJvmOptions() {
        String env = System.getProperty("satflow.broker.java-opts", System.getenv("SATFLOW_BROKER_JAVA_OPTS"));
        return env == null || env.isBlank() ? DEFAULT_JVM_OPTIONS : Arrays.asList(env.trim().split("\\s+"));
    }

    /** The class path this JVM was started with (under surefire: the test class path). */
    static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    private synchronized void spawn(int id) {
        Process running = processes.get(id);
        if (running != null && running.isAlive()) {
            throw new IllegalStateException("node " + id + " runs already (pid " + running.pid() + ")");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        cmd.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(BrokerMain.class.getName());
        cmd.add(dir.toAbsolutePath().toString());
        cmd.add(Integer.toString(id));
        try {
            File log = dir.resolve("broker-" + id + ".log").toFile();
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
            processes.put(id, p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start broker " + id, e);
        }
    }

    private void awaitLive(Set<Integer> ids) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        awaitPorts(ids, deadline); // first the sockets, so the probe below does not log refused connections
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG, "satflow-cluster-probe",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000))) {
            while (true) {
                for (int id : ids) {
                    Process p = processes.get(id);
                    if (p == null || !p.isAlive()) {
                        throw new IllegalStateException("broker " + id + " exited" + (p == null ? "" : " with "
                                + p.exitValue()) + "; see " + dir.resolve("broker-" + id + ".log"));
                    }
                }
                try {
                    Set<Integer> live = admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).stream()
                            .map(Node::id).collect(Collectors.toSet());
                    if (live.containsAll(ids)) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    // not up yet
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("brokers " + ids + " not live after 3 minutes; see "
                            + dir + "/broker-*.log");
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for brokers " + ids, e);
        }
    }

    private void awaitPorts(Set<Integer> ids, long deadline) {
        for (int id : ids) {
            while (true) {
                Process p = processes.get(id);
                if (p == null || !p.isAlive()) {
                    throw new IllegalStateException("broker " + id + " exited" + (p == null ? "" : " with "
                            + p.exitValue()) + "; see " + dir.resolve("broker-" + id + ".log"));
                }
                try (java.net.Socket s = new java.net.Socket()) {
                    s.connect(new java.net.InetSocketAddress("127.0.0.1", layout.node(id).port()), 1000);
                    break;
                } catch (IOException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("broker " + id + " does not listen on port "
                                + layout.node(id).port() + "; see " + dir.resolve("broker-" + id + ".log"));
                    }
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted waiting for broker " + id, ie);
                    }
                }
            }
        }
    }

    /** Every node's client address, comma-separated. */
    public String bootstrapServers() {
        return layout.nodes().stream().map(n -> "127.0.0.1:" + n.port()).collect(Collectors.joining(","));
    }

    public Layout layout() {
        return layout;
    }

    public Path dir() {
        return dir;
    }

    public int size() {
        return layout.nodes().size();
    }

    /** The node's OS process id (-1 when it is not running). */
    public synchronized long pid(int id) {
        Process p = processes.get(id);
        return p != null && p.isAlive() ? p.pid() : -1;
    }

    public synchronized boolean isRunning(int id) {
        Process p = processes.get(id);
        return p != null && p.isAlive();
    }

    /** SIGKILL to the node's pid: no controlled shutdown, no flush. */
    public void kill(int id) {
        Process p;
        synchronized (this) {
            p = processes.get(id);
        }
        if (p == null || !p.isAlive()) {
            throw new IllegalStateException("node " + id + " is not running");
        }
        LOG.info("killing broker {} (pid {}) with SIGKILL", id, p.pid());
        p.destroyForcibly();
        waitFor(p, 30);
    }

    /** SIGTERM: a controlled shutdown (leadership handed over first). */
    public void stop(int id) {
        Process p;
        synchronized (this) {
            p = processes.get(id);
        }
        if (p != null && p.isAlive()) {
            p.destroy();
            if (!waitFor(p, 60)) {
                p.destroyForcibly();
                waitFor(p, 30);
            }
        }
    }

    /** Starts a stopped or killed node again on its data and ports; returns once it is a live broker. */
    public void start(int id) {
        layout.node(id);
        spawn(id);
        awaitLive(Set.of(id));
        LOG.info("broker {} (pid {}) is live again", id, pid(id));
    }

    private static boolean waitFor(Process p, int seconds) {
        try {
            return p.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Stops every node: SIGTERM to all at once, SIGKILL to any still running after 20 s. Stopping the whole
     * quorum, the last nodes cannot finish a controlled shutdown (no controller majority is left to hand
     * leadership to) and would wait for it; their logs are recovered on the next start.
     */
    @Override
    public void close() {
        List<Process> all;
        synchronized (this) {
            all = new ArrayList<>(processes.values());
        }
        all.stream().filter(Process::isAlive).forEach(Process::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (Process p : all) {
            long left = Math.max(0, TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime()));
            if (!waitFor(p, (int) left)) {
                LOG.warn("broker pid {} still running 20 s after SIGTERM; killing it", p.pid());
                p.destroyForcibly();
                waitFor(p, 10);
            }
        }
    }
}
