package dev.satflow.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.contracts.Topics;
import dev.satflow.core.config.Config;
import dev.satflow.core.config.SatflowSettings;
import dev.satflow.core.kafka.KafkaClients;
import dev.satflow.core.metrics.Metrics;
import dev.satflow.ops.stages.Stages;
import dev.satflow.ops.stages.TopicScan;
import dev.satflow.producers.generate.SceneGenerator;
import dev.satflow.producers.kafka.RenderService;
import dev.satflow.producers.kafka.ScenePublisher;
import dev.satflow.qa.QaApp;
import dev.satflow.schema.Frame;
import dev.satflow.schema.QaRecord;
import dev.satflow.schema.SceneSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * A slice of the pipeline against real containers instead of the embedded stack: an {@code apache/kafka}
 * broker in KRaft and Confluent Schema Registry, the images docker-compose.yml runs. Topics and schemas
 * are created through them, a few scenes are published, rendered and turned into questions (exactly once,
 * transactions on the real broker), and read back; the metrics count what flowed. Skipped only where
 * Docker is absent.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainersIT {
    private static final int SCENES = 2;

    @TempDir
    Path dir;

    @Test
    void scenesBecomeFramesAndQuestionsOnRealKafkaAndSchemaRegistry() throws Exception {
        try (Network network = Network.newNetwork();
                KafkaContainer kafka = new KafkaContainer(ComposeFileTest.image("apache/kafka:"))
                        .withNetwork(network).withListener("kafka:19092");
                GenericContainer<?> registry = new GenericContainer<>(
                        ComposeFileTest.image("confluentinc/cp-schema-registry:"))
                        .withNetwork(network).withNetworkAliases("schema-registry").withExposedPorts(8081)
                        .withEnv("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
                        .withEnv("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:8081")
                        .withEnv("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://kafka:19092")
                        .withEnv("SCHEMA_REGISTRY_KAFKASTORE_TOPIC_REPLICATION_FACTOR", "1")
                        .waitingFor(Wait.forHttp("/subjects").forStatusCode(200))
                        .withStartupTimeout(Duration.ofMinutes(3))
                        .dependsOn(kafka)) {
            registry.start();
            String registryUrl = "http://" + registry.getHost() + ":" + registry.getMappedPort(8081);

            Map<String, Object> flags = new HashMap<>();
            flags.put("bootstrap", kafka.getBootstrapServers());
            flags.put("registry", registryUrl);
            flags.put("data-dir", dir.resolve("data").toString());
            flags.put("partitions", 2);
            flags.put("render.width", 96);
            flags.put("render.height", 96);
            Config config = SatflowSettings.load(null, flags);
            try (Cluster cluster = Cluster.connect(config); Metrics metrics = new Metrics()) {
                assertFalse(cluster.isEmbedded());
                Topics topics = cluster.topics();
                StageMetrics.bind(metrics, "qa", config, cluster);

                SceneGenerator generator = new SceneGenerator(Stages.generator(config));
                try (KafkaProducer<String, SceneSpec> producer = new KafkaProducer<>(
                        KafkaClients.producer(cluster.bootstrap(), "containers-it"),
                        topics.scenes().keySerde().serializer(), topics.scenes().valueSerde().serializer())) {
                    new ScenePublisher(producer, topics.scenes(), generator::generate, metrics.registry())
                            .publish(500, SCENES, n -> {});
                }
                QaApp.Settings qs = Stages.qa(config, cluster.bootstrap());
                RenderService.Settings rs = Stages.render(config, cluster.bootstrap());
                rs = new RenderService.Settings(rs.bootstrap(), rs.group(), "containers-it", 1, SCENES);
                try (QaApp qa = new QaApp(qs, Stages.qaTopology(config, topics)).start(Duration.ofMinutes(2));
                        RenderService render = new RenderService(rs, topics, Stages.glRenderers(),
                                metrics.registry(), Clock.systemUTC()).start()) {
                    render.await();
                    QaCommand.awaitCaughtUp(qa, qs.applicationId(), cluster);
                }

                Set<String> sceneIds = Set.of(generator.generate(500).getSceneId(), generator.generate(501).getSceneId());
                List<Frame> frames = TopicScan.values(cluster.bootstrap(), topics.frames());
                assertEquals(sceneIds, frames.stream().map(Frame::getSceneId).collect(Collectors.toSet()));
                List<QaRecord> questions = TopicScan.values(cluster.bootstrap(), topics.qa());
                assertEquals(sceneIds, questions.stream().map(QaRecord::getSceneId).collect(Collectors.toSet()),
                        "questions for every scene");
                assertTrue(TopicScan.values(cluster.bootstrap(), topics.dlq()).isEmpty(), "no dead letters");

                Map<String, PrometheusText.Family> m = PrometheusText.parse(metrics.scrape());
                MetricsEndpointIT.assertAtLeastOnce(SCENES,
                        MetricsEndpointIT.value(m, "satflow_scenes_rendered_total", Map.of()));
                MetricsEndpointIT.assertAtLeastOnce(frames.size(),
                        MetricsEndpointIT.value(m, "satflow_frames_rendered_total", Map.of()));
                MetricsEndpointIT.assertAtLeastOnce(questions.size(),
                        MetricsEndpointIT.value(m, "satflow_questions_emitted_total", Map.of()));
            }

            HttpResponse<String> subjects = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(registryUrl + "/subjects")).build(), HttpResponse.BodyHandlers.ofString());
            for (String topic : List.of("satflow.scenes.v1", "satflow.frames.v1", "satflow.qa.v2")) {
                assertTrue(subjects.body().contains("\"" + topic + "-value\""),
                        "schema registered in the Confluent registry: " + subjects.body());
            }
        }
    }
}
