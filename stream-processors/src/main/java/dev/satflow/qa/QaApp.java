package dev.satflow.qa;

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

/** Runs the QA topology: exactly-once v2, classic group protocol, one state folder per instance. */
public final class QaApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QaApp.class);

    public record Settings(String bootstrap, String applicationId, Path stateDir, int threads) {}

    private final KafkaStreams streams;

    public QaApp(Settings s, QaTopology.Options options) {
        this.streams = new KafkaStreams(QaTopology.build(options), properties(s));
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("QA stream thread failed; replacing it", e);
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                    .REPLACE_THREAD;
        });
    }

    public static Properties properties(Settings s) {
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
        p.put("processing.exception.handler.global.enabled", true);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), Topics.MAX_MESSAGE_BYTES);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        // a send racing the previous transaction's commit is answered CONCURRENT_TRANSACTIONS and retried:
        // retry soon rather than after the default 100 ms, which stalls the stage at every such race
        p.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), 10);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), Topics.MAX_MESSAGE_BYTES);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // the changelogs hold whole frames until a scene is complete
        p.put(StreamsConfig.topicPrefix("max.message.bytes"), Integer.toString(Topics.MAX_MESSAGE_BYTES));
        return p;
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

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
    }
}
