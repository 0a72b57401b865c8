package dev.satflow.ops.console;

import dev.satflow.contracts.Topics;
import dev.satflow.core.config.Config;
import dev.satflow.core.config.ConfigException;
import dev.satflow.core.kafka.KafkaClients;
import dev.satflow.ops.Cluster;
import dev.satflow.ops.StackOptions;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code satflow console}: the live web console over a cluster's topics, until Ctrl-C. */
@Command(name = "console", mixinStandardHelpOptions = true,
        description = {"Serve a live web page over the topics: question cards with their marked images (filtered by "
                + "type and split), the latest frames with their object boxes, throughput and consumer lag per stage, "
                + "dead letters by reason, and accuracy per question type across checkpoints (plain and circular) next "
                + "to chance and the blind baseline. Runs until Ctrl-C.",
            "Reads with its own consumers (assigned partitions, no consumer group, nothing committed), so it never "
                + "moves a pipeline's group; creates no topics and registers no schemas on a given cluster. Without "
                + "--bootstrap it starts the embedded stack on --data-dir (e.g. --data-dir demo-out/data to browse a "
                + "finished demo)."})
public final class ConsoleCommand implements Callable<Integer> {
    @Mixin
    StackOptions stack;

    @Option(names = "--port", paramLabel = "N", description = "HTTP port (setting console.port, default 7070; "
            + "0 = any free port).")
    Integer port;

    @Option(names = "--bind", paramLabel = "ADDR", description = "Address to listen on (setting console.bind, default "
            + "127.0.0.1). The console has no authentication: bind beyond loopback only on a trusted network.")
    String bind;

    @Option(names = "--qa-topic", paramLabel = "TOPIC", description = "QA topic to show (default satflow.qa.v2), "
            + "e.g. a replay's satflow.qa.v3.")
    String qaTopic;

    @Override
    public Integer call() {
        Map<String, Object> flags = new HashMap<>();
        flags.put("console.port", port);
        flags.put("console.bind", bind);
        Config config = stack.load(flags);
        int p = config.integer("console.port", 0, 65535);
        String address = config.string("console.bind");
        Map<String, Object> client = clientProperties(config); // read first: a bad file fails before any work
        int partitions = config.integer("partitions", 1, 1024);
        Cluster owned = null;
        String bootstrap;
        Topics topics;
        String label;
        if (config.optional("bootstrap").isPresent()) {
            String registry = config.optional("registry").orElseThrow(() -> new ConfigException(
                    "setting 'registry' is required with 'bootstrap' (" + config.source("bootstrap")
                            + "): pass --registry or SATFLOW_REGISTRY"));
            bootstrap = config.string("bootstrap");
            KafkaClients.use(client); // every client the console makes carries them, as in Cluster.connect
            topics = Topics.create(Cluster.registryClient(config, registry), partitions, false); // reads only
            label = bootstrap + " · registry " + registry;
        } else {
            KafkaClients.use(Map.of()); // the embedded stack is plaintext on loopback
            owned = Cluster.embedded(config.path("data-dir"), partitions);
            bootstrap = owned.bootstrap();
            topics = owned.topics();
            label = bootstrap + " (embedded, " + config.path("data-dir").toAbsolutePath() + ")";
        }
        if (qaTopic != null) {
            topics = topics.withQa(qaTopic);
        }
        Serving serving = new Serving();
        try (Cluster c = owned; Console console = Console.start(new Console.Settings(bootstrap, topics,
                Console.Groups.of(config), address, p, false, label))) {
            System.out.println("console: " + console.url() + "  (Ctrl-C to stop)");
            if (!loopback(address)) {
                System.out.println("console: listening on " + address + " without authentication");
            }
            System.out.flush();
            serving.await();
        } finally {
            serving.close();
        }
        return 0;
    }

    /**
     * The console's Kafka client properties (none when unset): the file of setting kafka.client-config (flag
     * --client-config), or of console.client-config, its older name, when that is empty.
     */
    public static Map<String, Object> clientProperties(Config config) {
        return KafkaClients.clientConfig(config, "console.client-config");
    }

    private static boolean loopback(String bind) {
        try {
            return InetAddress.getByName(bind).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
