package dev.satflow.core.kafka;

import dev.satflow.contracts.Topics;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Client settings every satflow stage shares: idempotent lz4 producers sized for inline images, read_committed
 * consumers. Written for a replicated cluster: producers wait for acks from all in-sync replicas (topics have
 * min.insync.replicas 2 where there are 3 brokers, see TopicSettings) and are idempotent, so a retry after a
 * broker failure neither loses nor duplicates a record; consumers see only committed transactions. Clients
 * reconnect by themselves when a broker restarts: sends wait up to the delivery timeout (2 min), polls simply
 * return nothing meanwhile.
 */
public final class KafkaClients {
    private KafkaClients() {}

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
        return p;
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
        return c;
    }
}
