package dev.satflow.producers.kafka;

import dev.satflow.contracts.Topic;
import dev.satflow.core.validate.SceneSpecValidator;
import dev.satflow.schema.SceneSpec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ExecutionException;
import java.util.function.IntConsumer;
import java.util.function.LongFunction;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes generated scene specs to satflow.scenes.v1, keyed by sceneId. Every spec is validated
 * against the contract before it is sent; the generator is a plain function of the seed.
 */
public final class ScenePublisher {
    private final Producer<String, SceneSpec> producer;
    private final Topic<String, SceneSpec> topic;
    private final LongFunction<SceneSpec> generator;
    private final Counter published;

    public ScenePublisher(Producer<String, SceneSpec> producer, Topic<String, SceneSpec> topic,
            LongFunction<SceneSpec> generator, MeterRegistry meters) {
        this.producer = producer;
        this.topic = topic;
        this.generator = generator;
        this.published = Counter.builder("satflow_scenes_published_total")
                .description("Scene specs published to the scenes topic").register(meters);
    }

    /** Generates and sends scenes for seeds firstSeed .. firstSeed+count-1; returns once all are acknowledged. */
    public int publish(long firstSeed, int count, IntConsumer progress) {
        return publish(firstSeed, count, progress, () -> false);
    }

    /**
     * As {@link #publish(long, int, IntConsumer)}, stopping early when {@code stop} says so; returns how many
     * were sent, all acknowledged (flushed) before it returns. Send errors are not swallowed: the first one
     * is thrown after the flush.
     */
    public int publish(long firstSeed, int count, IntConsumer progress, java.util.function.BooleanSupplier stop) {
        java.util.concurrent.atomic.AtomicReference<Exception> failed = new java.util.concurrent.atomic.AtomicReference<>();
        int i = 0;
        for (; i < count && failed.get() == null && !stop.getAsBoolean(); i++) {
            SceneSpec spec = SceneSpecValidator.validate(generator.apply(firstSeed + i));
            producer.send(new ProducerRecord<>(topic.name(), spec.getSceneId(), spec), (md, e) -> {
                if (e == null) {
                    published.increment();
                } else {
                    failed.compareAndSet(null, e);
                }
            });
            progress.accept(i + 1);
        }
        producer.flush();
        if (failed.get() != null) {
            throw new IllegalStateException("publishing scenes to " + topic.name() + " failed: " + failed.get(),
                    failed.get());
        }
        return i;
    }

    /** Sends one spec synchronously (tests, tools). */
    public void send(SceneSpec spec) {
        try {
            producer.send(new ProducerRecord<>(topic.name(), spec.getSceneId(), SceneSpecValidator.validate(spec)))
                    .get();
            published.increment();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot publish scene " + spec.getSceneId() + ": " + e.getCause(), e);
        }
    }
}
