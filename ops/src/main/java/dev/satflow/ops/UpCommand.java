package dev.satflow.ops;

import dev.satflow.core.config.Config;
import dev.satflow.core.config.ConfigException;
import dev.satflow.embedded.BrokerCluster;
import dev.satflow.embedded.BrokerProperties;
import dev.satflow.embedded.LocalStack;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Runs the local stack in the foreground: Kafka (one in-process KRaft broker, or with {@code --brokers N}
 * a cluster of N broker processes), the schema registry and every topic.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Run the local stack in the foreground until Ctrl-C: Kafka (KRaft) + schema registry + topics.",
                "--brokers 1 (default): one broker inside this process. --brokers N: N broker processes (separate "
                        + "JVMs, each broker and controller: a quorum of N) on loopback; topics get replication "
                        + "factor min(3, N) and min.insync.replicas 2."})
final class UpCommand implements Callable<Integer> {
    @Mixin
    StackOptions stack;

    @Option(names = "--brokers", paramLabel = "N", defaultValue = "1",
            description = "Kafka brokers (default ${DEFAULT-VALUE}); more than one starts a cluster of broker processes.")
    int brokers;

    @Option(names = "--port", description = "Kafka port; with --brokers N the first of N (default ${DEFAULT-VALUE}).",
            defaultValue = "9092")
    int port;

    @Option(names = "--controller-port", description = "KRaft controller port; with --brokers N the first of N "
            + "(default: right after the Kafka ports).", defaultValue = "0")
    int controllerPort;

    @Option(names = "--registry-port", description = "Schema registry port (default ${DEFAULT-VALUE}).",
            defaultValue = "8081")
    int registryPort;

    @Override
    public Integer call() throws Exception {
        if (brokers < 1 || brokers > 9) {
            throw new ConfigException("option '--brokers' = '" + brokers + "': expected 1 to 9");
        }
        if (stack.bootstrap != null) {
            throw new ConfigException("option '--bootstrap' does not apply to `up`: it starts its own Kafka");
        }
        Config config = stack.load(Map.of());
        // a folder keeps its cluster: asking for another size is a usage error, caught before anything starts
        java.nio.file.Path clusterDir = config.path("data-dir").toAbsolutePath().resolve("cluster");
        java.util.OptionalInt had = BrokerCluster.sizeAt(clusterDir);
        if (brokers > 1 && had.isPresent() && had.getAsInt() != brokers) {
            throw new ConfigException("option '--brokers' = '" + brokers + "': " + clusterDir + " holds a cluster of "
                    + had.getAsInt() + " brokers; use --brokers " + had.getAsInt() + " or another --data-dir");
        }
        LocalStack s = LocalStack.start(new LocalStack.Settings(config.path("data-dir").toAbsolutePath(), port,
                controllerPort, registryPort, config.integer("partitions", 1, 1024), brokers));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            s.close();
            stopped.countDown();
        }, "satflow-up-shutdown"));
        print(s, System.out);
        stopped.await();
        return 0;
    }

    static void print(LocalStack s, PrintStream out) {
        int rf = BrokerProperties.replicationFactor(s.settings().brokers());
        out.println("satflow stack is up (Ctrl-C to stop)");
        if (s.cluster().isPresent()) {
            BrokerCluster c = s.cluster().get();
            out.printf("  kafka:      %d KRaft broker processes (each also a controller: a quorum of %d); topics "
                    + "replicated %d times, min.insync.replicas %d%n", c.size(), c.size(), rf,
                    BrokerProperties.minInsyncReplicas(rf));
            c.layout().nodes().forEach(n -> out.printf("  broker %d:   127.0.0.1:%d (controller %d) pid %d, log %s%n",
                    n.id(), n.port(), n.controllerPort(), c.pid(n.id()), c.dir().resolve("broker-" + n.id() + ".log")));
        } else {
            out.println("  kafka:      one KRaft broker in this process");
        }
        out.println("  bootstrap:  " + s.bootstrapServers());
        out.println("  registry:   " + s.registryUrl());
        out.println("  data:       " + s.dataDir());
        out.println("use it in another shell:");
        out.println("export SATFLOW_BOOTSTRAP=" + s.bootstrapServers());
        out.println("export SATFLOW_REGISTRY=" + s.registryUrl());
        out.flush();
    }
}
