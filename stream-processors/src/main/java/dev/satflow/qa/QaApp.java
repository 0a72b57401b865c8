package dev.satflow.qa;

import dev.satflow.core.kafka.KafkaClients;
import dev.satflow.contracts.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the QA topology: exactly-once v2, classic group protocol, one state folder per instance. Internal
 * topics (changelogs) are replicated like the data topics: replication factor min(3, brokers) and
 * min.insync.replicas 2 where there is a second copy. {@link #close()} is a clean close within a bound:
 * the state checkpoint is written (a restart does not wipe and restore the stores) and the member leaves
 * its group (a restart does not wait for the session to time out).
 */
public final class QaApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QaApp.class);

    public record Settings(String bootstrap, String applicationId, Path stateDir, int threads) {}

    private final KafkaStreams streams;

    /** How long {@link #close()} waits for the stream threads to finish their work and commit. */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    public QaApp(Settings s, QaTopology.Options options) {
        Properties p = properties(s, dev.satflow.contracts.TopicAdmin.replicationFactor(
                KafkaClients.admin(s.bootstrap(), "satflow-topic-admin")));
        QaErrorHandlers.install(p, options.topics());
        this.streams = new KafkaStreams(QaTopology.build(options), p);
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("QA stream thread failed; replacing it", e);
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                    .REPLACE_THREAD;
        });
    }

    /** Properties for a single broker (replication factor 1). */
    public static Properties properties(Settings s) {
        return properties(s, 1);
    }

    /** @param replicationFactor of the internal topics (min(3, brokers)) */
    public static Properties properties(Settings s, int replicationFactor) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, s.applicationId());
        p.put(StreamsConfig.CLIENT_ID_CONFIG, s.applicationId() + "-client");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrap());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, s.stateDir().toString());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, s.threads());
        // frames wait in the stores (without pixels) only until their scene is complete, usually within one
        // commit interval: the cache lets a put and its delete cancel out instead of both going to the changelog
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 16L * 1024 * 1024);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), Topics.MAX_MESSAGE_BYTES);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        // a send racing the previous transaction's commit is answered CONCURRENT_TRANSACTIONS and retried:
        // retry soon rather than after the default 100 ms, which stalls the stage at every such race
        p.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), 10);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), Topics.MAX_MESSAGE_BYTES);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // the changelogs hold whole frames until a scene is complete
        p.put(StreamsConfig.topicPrefix("max.message.bytes"), Integer.toString(Topics.MAX_MESSAGE_BYTES));
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, replicationFactor);
        p.put(StreamsConfig.topicPrefix("min.insync.replicas"),
                Integer.toString(dev.satflow.contracts.TopicSettings.minInsyncReplicas(replicationFactor)));
        // a member killed without leaving holds its partitions until its session expires: 10 s, not 45
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 2_000);
        // security settings reach every client Streams makes (consumers, producers, admin)
        return KafkaClients.withExtra(p);
    }

    /** Starts and waits until the app is RUNNING (or fails). */
    public QaApp start(Duration timeout) {
        CountDownLatch running = new CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
        streams.start();
        try {
            if (!running.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("QA processor not RUNNING after " + timeout + ", state "
                        + streams.state());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return this;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    public KafkaStreams streams() {
        return streams;
    }

    /** Closes cleanly within {@link #CLOSE_TIMEOUT}, leaving the group; false when it did not finish in time. */
    @Override
    public void close() {
        closeWithin(CLOSE_TIMEOUT);
    }

    public boolean closeWithin(Duration timeout) {
        boolean closed = streams.close(org.apache.kafka.streams.CloseOptions.timeout(timeout)
                .withGroupMembershipOperation(org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        if (!closed) {
            LOG.warn("QA processor did not close within {} (state {})", timeout, streams.state());
        }
        return closed;
    }
}
