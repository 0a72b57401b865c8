package dev.satflow.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.contracts.Topics;
import dev.satflow.core.config.Config;
import dev.satflow.core.config.SatflowSettings;
import dev.satflow.core.kafka.KafkaClients;
import dev.satflow.ops.stages.Stages;
import dev.satflow.ops.stages.TopicScan;
import dev.satflow.producers.generate.SceneGenerator;
import dev.satflow.producers.kafka.RenderService;
import dev.satflow.qa.QaApp;
import dev.satflow.schema.QaRecord;
import dev.satflow.schema.SceneSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replay rebuilds the dataset from the stored scenes and frames, without rendering, into a new
 * topic: every question comes out byte-identical to the one the live QA processor wrote, in the
 * same partition, and nothing is rendered again.
 */
class ReplayIT {
    @TempDir
    Path dir;

    @Test
    void replayGivesByteIdenticalQuestionsWithoutRendering() throws Exception {
        Map<String, Object> flags = new HashMap<>();
        flags.put("data-dir", dir.resolve("data").toString());
        flags.put("partitions", 3);
        flags.put("render.width", 128);
        flags.put("render.height", 128);
        Config config = SatflowSettings.load(null, flags);
        try (Cluster cluster = Cluster.connect(config)) {
            Topics topics = cluster.topics();
            SceneGenerator generator = new SceneGenerator(Stages.generator(config));
            int scenes = 8;
            try (KafkaProducer<String, SceneSpec> producer = new KafkaProducer<>(
                    KafkaClients.producer(cluster.bootstrap(), "replay-test"), topics.scenes().keySerde().serializer(),
                    topics.scenes().valueSerde().serializer())) {
                for (int i = 0; i < scenes; i++) {
                    SceneSpec s = generator.generate(300 + i);
                    producer.send(new ProducerRecord<>(topics.scenes().name(), s.getSceneId(), s)).get();
                }
            }
            QaApp.Settings qaSettings = Stages.qa(config, cluster.bootstrap());
            RenderService.Settings rs = Stages.render(config, cluster.bootstrap());
            rs = new RenderService.Settings(rs.bootstrap(), rs.group(), "replay-test", 1, scenes);
            try (QaApp qa = new QaApp(qaSettings, Stages.qaTopology(config, topics)).start(Duration.ofMinutes(2));
                    RenderService render = new RenderService(rs, topics, Stages.glRenderers(),
                            new SimpleMeterRegistry(), Clock.systemUTC()).start()) {
                render.await();
                QaCommand.awaitCaughtUp(qa, qaSettings.applicationId(), cluster);
            }
            long frames = TopicScan.scan(cluster.bootstrap(), topics.frames(), e -> true);

            int code = Satflow.commandLine().execute("replay", "--bootstrap", cluster.bootstrap(), "--registry",
                    cluster.registryUrl(), "--data-dir", dir.resolve("replay").toString(), "--to", "satflow.qa.v3");
            assertEquals(0, code, "replay exit code");
            assertEquals(frames, TopicScan.scan(cluster.bootstrap(), topics.frames(), e -> true), "nothing re-rendered");

            Map<String, TopicScan.Entry<QaRecord>> live = byQaId(cluster.bootstrap(), topics);
            Map<String, TopicScan.Entry<QaRecord>> replayed = byQaId(cluster.bootstrap(), topics.withQa("satflow.qa.v3"));
            assertTrue(live.size() > 50, live.size() + " questions");
            assertEquals(live.keySet(), replayed.keySet(), "the same questions");
            live.forEach((id, e) -> {
                TopicScan.Entry<QaRecord> r = replayed.get(id);
                assertArrayEquals(e.raw(), r.raw(), id + ": byte-identical record");
                assertEquals(e.partition(), r.partition(), id + ": same partition (keyed by scene)");
            });
            assertEquals(2, Satflow.commandLine().execute("replay", "--bootstrap", cluster.bootstrap(), "--registry",
                    cluster.registryUrl(), "--to", topics.qa().name()), "replaying into the live topic is refused");
        }
    }

    private static Map<String, TopicScan.Entry<QaRecord>> byQaId(String bootstrap, Topics topics) {
        Map<String, TopicScan.Entry<QaRecord>> out = new TreeMap<>();
        TopicScan.scan(bootstrap, topics.qa(), e -> {
            out.put(e.value().getQaId(), e);
            return true;
        });
        return out;
    }
}
