package dev.satflow.ops;

import dev.satflow.contracts.SchemaRegistryClient;
import dev.satflow.contracts.TopicAdmin;
import dev.satflow.contracts.Topics;
import dev.satflow.core.config.Config;
import dev.satflow.core.config.ConfigException;
import dev.satflow.core.kafka.KafkaClients;
import dev.satflow.embedded.LocalStack;
import java.nio.file.Path;
import java.util.Map;

/**
 * The cluster a command talks to: the one named by bootstrap/registry settings, or an embedded
 * stack started for the command's lifetime on the data folder (so sequential commands without
 * --bootstrap share data).
 */
public final class Cluster implements AutoCloseable {
    private final String bootstrap;
    private final String registryUrl;
    private final Topics topics;
    private final LocalStack owned;

    private Cluster(String bootstrap, String registryUrl, Topics topics, LocalStack owned) {
        this.bootstrap = bootstrap;
        this.registryUrl = registryUrl;
        this.topics = topics;
        this.owned = owned;
    }

    /**
     * Connects to the cluster the config names, or starts the embedded stack. With bootstrap, every Kafka client
     * this process creates from here on gets the properties of setting kafka.client-config (TLS, SASL: see
     * {@link KafkaClients#use}), and the registry client sends registry.user-info as basic auth.
     */
    public static Cluster connect(Config config) {
        int partitions = config.integer("partitions", 1, 1024);
        Map<String, Object> client = KafkaClients.clientConfig(config); // read first: a bad file fails before any work
        if (config.optional("bootstrap").isPresent()) {
            String registry = config.optional("registry").orElseThrow(() -> new ConfigException(
                    "setting 'registry' is required with 'bootstrap' (" + config.source("bootstrap")
                            + "): pass --registry or SATFLOW_REGISTRY"));
            KafkaClients.use(client);
            Topics topics = Topics.create(registryClient(config, registry), partitions);
            TopicAdmin.ensure(KafkaClients.admin(config.string("bootstrap"), "satflow-topic-admin"), topics.all());
            return new Cluster(config.string("bootstrap"), registry, topics, null);
        }
        // the embedded stack listens in plaintext on loopback: security settings would only make its clients fail
        KafkaClients.use(Map.of());
        if (!client.isEmpty()) {
            System.err.println("note: setting '" + KafkaClients.CLIENT_CONFIG + "' (" + config.source(
                    KafkaClients.CLIENT_CONFIG) + ") applies to a cluster given with --bootstrap; not used with the "
                    + "embedded stack");
        }
        return embedded(config.path("data-dir"), partitions);
    }

    /** A registry client for the URL, sending setting registry.user-info (user:password) as basic auth when set. */
    public static SchemaRegistryClient registryClient(Config config, String url) {
        String userInfo = config.optional("registry.user-info").orElse(null);
        try {
            return new SchemaRegistryClient(url, userInfo);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("setting 'registry.user-info' (from " + config.source("registry.user-info")
                    + "): expected user:password");
        }
    }

    public static Cluster embedded(Path dataDir, int partitions) {
        LocalStack stack = LocalStack.start(new LocalStack.Settings(dataDir, 0, 0, 0, partitions));
        return new Cluster(stack.bootstrapServers(), stack.registryUrl(), stack.topics(), stack);
    }

    public String bootstrap() {
        return bootstrap;
    }

    public String registryUrl() {
        return registryUrl;
    }

    public Topics topics() {
        return topics;
    }

    public boolean isEmbedded() {
        return owned != null;
    }

    @Override
    public void close() {
        if (owned != null) {
            owned.close();
        }
    }
}
