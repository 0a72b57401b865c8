package dev.satflow.ops;

import dev.satflow.contracts.SchemaRegistryClient;
import dev.satflow.contracts.TopicAdmin;
import dev.satflow.contracts.Topics;
import dev.satflow.core.config.Config;
import dev.satflow.core.config.ConfigException;
import dev.satflow.embedded.LocalStack;
import java.nio.file.Path;

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

    public static Cluster connect(Config config) {
        int partitions = config.integer("partitions", 1, 1024);
        if (config.optional("bootstrap").isPresent()) {
            String registry = config.optional("registry").orElseThrow(() -> new ConfigException(
                    "setting 'registry' is required with 'bootstrap' (" + config.source("bootstrap")
                            + "): pass --registry or SATFLOW_REGISTRY"));
            Topics topics = Topics.create(new SchemaRegistryClient(registry), partitions);
            TopicAdmin.ensure(config.string("bootstrap"), topics.all());
            return new Cluster(config.string("bootstrap"), registry, topics, null);
        }
        return embedded(config.path("data-dir"), partitions);
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
