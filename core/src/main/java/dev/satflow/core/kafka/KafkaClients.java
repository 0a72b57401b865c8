package dev.satflow.core.kafka;

import dev.satflow.contracts.Topics;
import dev.satflow.core.config.Config;
import dev.satflow.core.config.ConfigException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Client settings every satflow stage shares: idempotent lz4 producers sized for inline images, read_committed
 * consumers. Written for a replicated cluster: producers wait for acks from all in-sync replicas (topics have
 * min.insync.replicas 2 where there are 3 brokers, see TopicSettings) and are idempotent, so a retry after a
 * broker failure neither loses nor duplicates a record; consumers see only committed transactions. Clients
 * reconnect by themselves when a broker restarts: sends wait up to the delivery timeout (2 min), polls simply
 * return nothing meanwhile.
 *
 * <p>Every config built here also carries the process's client properties ({@link #use}): how to reach a
 * secured cluster (security.protocol, sasl.*, ssl.*), read from the file of setting {@code kafka.client-config}.
 * They are process-wide because a satflow process talks to one cluster, and so every producer, consumer, admin
 * client and Streams instance gets them without each call site passing them on.
 */
public final class KafkaClients {
    /** The setting naming the client properties file. */
    public static final String CLIENT_CONFIG = "kafka.client-config";
    /** Keys a client-config file may not set: each call site decides them (bootstrap from setting bootstrap). */
    private static final List<String> RESERVED = List.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            AdminClientConfig.CLIENT_ID_CONFIG, ConsumerConfig.GROUP_ID_CONFIG, ProducerConfig.TRANSACTIONAL_ID_CONFIG);

    private static volatile Map<String, Object> extra = Map.of();

    private KafkaClients() {}

    /**
     * Sets the client properties every config built from now on carries (replacing earlier ones; empty = none).
     * They win over satflow's defaults, so a file may also tune, say, request.timeout.ms.
     */
    public static void use(Map<String, ?> properties) {
        extra = Map.copyOf(properties);
    }

    /** The process's client properties ({@link #use}); empty when none were set. */
    public static Map<String, Object> extra() {
        return extra;
    }

    /**
     * The properties of the file named by setting {@code kafka.client-config}, or, when that is empty, by the first
     * fallback setting that is set (the console's older console.client-config); empty when none is set. An unreadable
     * file, or one that sets a reserved key, fails naming the setting and where it came from.
     */
    public static Map<String, Object> clientConfig(Config config, String... fallbackKeys) {
        String key = CLIENT_CONFIG;
        Optional<String> file = config.optional(key);
        for (int i = 0; file.isEmpty() && i < fallbackKeys.length; i++) {
            key = fallbackKeys[i];
            file = config.optional(key);
        }
        if (file.isEmpty()) {
            return Map.of();
        }
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(file.get()))) {
            props.load(in);
        } catch (IOException | RuntimeException e) {
            throw new ConfigException("setting '" + key + "' = '" + file.get() + "' (from " + config.source(key)
                    + "): cannot read it: " + e);
        }
        Map<String, Object> out = new TreeMap<>();
        props.stringPropertyNames().forEach(k -> out.put(k, props.getProperty(k).trim()));
        for (String k : RESERVED) {
            if (out.containsKey(k)) {
                throw new ConfigException("setting '" + key + "' = '" + file.get() + "' (from " + config.source(key)
                        + "): sets '" + k + "', which satflow sets per client; remove it (bootstrap.servers comes "
                        + "from setting 'bootstrap')");
            }
        }
        return out;
    }

    /** An admin client's config: bootstrap, client id and the process's client properties. */
    public static Map<String, Object> admin(String bootstrap, String clientId) {
        Map<String, Object> a = new HashMap<>();
        a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        a.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        return withExtra(a);
    }

    /** Adds the process's client properties to a config built elsewhere (Kafka Streams' properties); returns it. */
    public static Properties withExtra(Properties config) {
        config.putAll(extra);
        return config;
    }

    private static Map<String, Object> withExtra(Map<String, Object> config) {
        config.putAll(extra);
        return config;
    }

    public static Map<String, Object> producer(String bootstrap, String clientId) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // lz4: images are already deflated, so a cheap codec is the right trade (kafka-feasibility §1)
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
        return withExtra(p);
    }

    /** A producer whose sends and consumed offsets commit atomically (consume-process-produce). */
    public static Map<String, Object> transactionalProducer(String bootstrap, String clientId, String transactionalId) {
        Map<String, Object> p = producer(bootstrap, clientId);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000);
        return p;
    }

    public static Map<String, Object> consumer(String bootstrap, String groupId, String clientId) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        if (groupId != null) {
            c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_MESSAGE_BYTES);
        // a member killed without leaving its group holds its partitions until its session expires: 10 s, not 45
        c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        c.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 2_000);
        return withExtra(c);
    }
}
