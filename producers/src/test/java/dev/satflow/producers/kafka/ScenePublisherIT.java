package dev.satflow.producers.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.core.kafka.KafkaClients;
import dev.satflow.embedded.LocalStack;
import dev.satflow.producers.generate.GeneratorSettings;
import dev.satflow.producers.generate.SceneGenerator;
import dev.satflow.schema.SceneSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `generate` must not report scenes as published that the broker never acknowledged. */
class ScenePublisherIT {
    @TempDir
    Path dir;

    @Test
    void sendErrorsAreReportedNotSwallowed() {
        try (LocalStack stack = LocalStack.start(new LocalStack.Settings(dir.resolve("stack"), 0, 0, 0, 1))) {
            Map<String, Object> pc = KafkaClients.producer(stack.bootstrapServers(), "publisher-it");
            // give up quickly once the broker is gone
            pc.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 1000);
            pc.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 2000);
            pc.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            pc.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000);
            SceneGenerator generator = new SceneGenerator(GeneratorSettings.defaults());
            try (KafkaProducer<String, SceneSpec> producer = new KafkaProducer<>(pc,
                    stack.topics().scenes().keySerde().serializer(), stack.topics().scenes().valueSerde().serializer())) {
                ScenePublisher publisher = new ScenePublisher(producer, stack.topics().scenes(), generator::generate,
                        new SimpleMeterRegistry());
                assertEquals(2, publisher.publish(0, 2, n -> { }), "both acknowledged while the broker is up");
                stack.stopKafka();
                IllegalStateException e = assertThrows(IllegalStateException.class,
                        () -> publisher.publish(2, 3, n -> { }));
                assertTrue(e.getMessage().contains("publishing scenes to " + stack.topics().scenes().name()
                        + " failed"), e.getMessage());
            }
        }
    }
}
