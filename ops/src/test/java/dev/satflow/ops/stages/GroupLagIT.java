package dev.satflow.ops.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.core.kafka.KafkaClients;
import dev.satflow.embedded.LocalStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What `--until-idle` relies on: lag 0 means every committed record is consumed and no open transaction may
 * still add one. Measured against the last stable offset, an open transaction read as "idle" (a renderer
 * killed mid-transaction hid what followed it) and an aborted one as a backlog that never drains.
 */
class GroupLagIT {
    private static final String TOPIC = "lag-it";
    private static final String GROUP = "lag-it-group";

    @TempDir
    Path dir;

    /** The lag once it reads {@code expected}, or what it reads after 15 s. */
    private static long settled(GroupLag lag, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        long got = lag.lag(GROUP, List.of(TOPIC));
        while (got != expected && System.nanoTime() < deadline) {
            Thread.sleep(100);
            got = lag.lag(GROUP, List.of(TOPIC));
        }
        return got;
    }

    @Test
    void openTransactionsAreBacklogAndAbortedOnesAreNot() throws Exception {
        try (LocalStack stack = LocalStack.start(new LocalStack.Settings(dir.resolve("stack"), 0, 0, 0, 1));
                GroupLag lag = new GroupLag(stack.bootstrapServers());
                Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()));
                KafkaProducer<String, String> tx = new KafkaProducer<>(KafkaClients.transactionalProducer(
                        stack.bootstrapServers(), "lag-it-tx", "lag-it-tx"), new StringSerializer(),
                        new StringSerializer());
                KafkaConsumer<String, String> consumer = new KafkaConsumer<>(KafkaClients.consumer(
                        stack.bootstrapServers(), GROUP, "lag-it-consumer"), new StringDeserializer(),
                        new StringDeserializer())) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
            TopicPartition tp = new TopicPartition(TOPIC, 0);
            tx.initTransactions();

            tx.beginTransaction();
            for (int i = 0; i < 3; i++) {
                tx.send(new ProducerRecord<>(TOPIC, "k", "v" + i));
            }
            tx.flush();
            assertTrue(lag.lag(GROUP, List.of(TOPIC)) > 0, "an open transaction is not idle");
            tx.commitTransaction();
            // commit and abort markers reach the partition a moment after the producer's call returns; once the
            // commit marker is there it counts with the gap it closes (3 records + 1 marker)
            long toGo = lag.lag(GROUP, List.of(TOPIC));
            assertTrue(toGo == 3 || toGo == 4, "three committed records to go, and perhaps their marker: " + toGo);

            consumer.assign(List.of(tp));
            int read = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (read < 3 && System.nanoTime() < deadline) {
                read += consumer.poll(Duration.ofMillis(200)).count();
            }
            assertEquals(3, read);
            consumer.commitSync(Map.of(tp, new org.apache.kafka.clients.consumer.OffsetAndMetadata(3)));
            // offset 3 is the commit marker: nothing a consumer would process is left
            assertEquals(0, settled(lag, 0), "caught up once past the last committed record");

            tx.beginTransaction();
            tx.send(new ProducerRecord<>(TOPIC, "k", "gone-1"));
            tx.send(new ProducerRecord<>(TOPIC, "k", "gone-2"));
            tx.flush();
            tx.abortTransaction();
            assertEquals(0, settled(lag, 0), "an aborted transaction leaves nothing to process");

            tx.beginTransaction();
            tx.send(new ProducerRecord<>(TOPIC, "k", "v3"));
            tx.commitTransaction();
            assertTrue(lag.lag(GROUP, List.of(TOPIC)) > 0, "a committed record after the aborted ones");
        }
    }
}
