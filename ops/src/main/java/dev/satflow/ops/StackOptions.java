package dev.satflow.ops;

import dev.satflow.core.config.Config;
import dev.satflow.core.config.SatflowSettings;
import dev.satflow.core.metrics.Metrics;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Options every command shares: where the cluster is, and the config file. Each command adds its
 * own flags to {@link #flags()} under setting keys, so flags layer over file and env settings.
 */
public final class StackOptions {
    /** The command this mixin belongs to: its name is the stage whose meters {@link #metrics(Config, Cluster)} binds. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file of settings (see `satflow config`).")
    Path configFile;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (env SATFLOW_BOOTSTRAP). Unset: start an embedded stack.")
    String bootstrap;

    @Option(names = "--registry", paramLabel = "URL",
            description = "Schema registry URL (env SATFLOW_REGISTRY). Needed with --bootstrap.")
    String registry;

    @Option(names = "--client-config", paramLabel = "FILE", description = "Kafka client properties every client of "
            + "this command gets: security.protocol, sasl.mechanism, sasl.jaas.config, ssl.truststore.location, ... "
            + "(setting kafka.client-config, env SATFLOW_KAFKA_CLIENT_CONFIG). Used with --bootstrap.")
    Path clientConfig;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Embedded stack's data folder (default satflow-data).")
    Path dataDir;

    @Option(names = "--partitions", paramLabel = "N", description = "Partitions of scene/frame/QA topics if created (default 12).")
    Integer partitions;

    @Option(names = "--metrics-port", paramLabel = "PORT", description = "Serve Prometheus metrics on "
            + "http://HOST:PORT/metrics while a stage runs (env SATFLOW_METRICS_PORT; default 0 = off).")
    Integer metricsPort;

    /** The process's metrics registry, served on metrics-port when that is set. */
    public Metrics metrics(Config config) {
        return served(new Metrics(), config);
    }

    /** Serves the registry on metrics-port when that is set; returns it. */
    static Metrics served(Metrics m, Config config) {
        int port = config.integer("metrics-port", 0, 65535);
        if (port > 0) {
            System.err.println("metrics on http://localhost:" + m.serve(port) + "/metrics");
        }
        return m;
    }

    /**
     * The process's metrics registry with the stage's own extra meters bound (the lag of its consumer group,
     * the QA processor's Streams counters: {@link StageMetrics#bind}), served on metrics-port when set.
     */
    public Metrics metrics(Config config, Cluster cluster) {
        Metrics m = metrics(config);
        if (command != null) {
            StageMetrics.bind(m, command.name(), config, cluster);
        }
        return m;
    }

    /** Loads the layered config with these flags plus the command's own. */
    public Config load(Map<String, ?> commandFlags) {
        Map<String, Object> flags = new HashMap<>(commandFlags);
        flags.put("bootstrap", bootstrap);
        flags.put("registry", registry);
        flags.put("kafka.client-config", clientConfig);
        flags.putIfAbsent("data-dir", dataDir);
        flags.put("partitions", partitions);
        flags.put("metrics-port", metricsPort);
        return SatflowSettings.load(configFile, flags);
    }
}
