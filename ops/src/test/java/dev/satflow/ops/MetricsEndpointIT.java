package dev.satflow.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import dev.satflow.schema.QaRecord;
import dev.satflow.schema.SceneSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generate, render and QA stages with the metrics a process of each serves: after a few scenes (and
 * one undecodable record) have flowed, /metrics over HTTP is valid Prometheus text whose satflow
 * families count exactly what the topics hold, and whose lag gauges read the caught-up groups as 0.
 */
class MetricsEndpointIT {
    private static final int SCENES = 3;

    @TempDir
    Path dir;

    @Test
    void stagesServeValidExpositionCountingWhatFlowed() throws Exception {
        Map<String, Object> flags = new HashMap<>();
        flags.put("data-dir", dir.resolve("data").toString());
        flags.put("partitions", 2);
        flags.put("render.width", 96);
        flags.put("render.height", 96);
        Config config = SatflowSettings.load(null, flags);
        try (Cluster cluster = Cluster.connect(config); Metrics metrics = new Metrics()) {
            Topics topics = cluster.topics();
            int port = metrics.serve(0);
            StageMetrics.bind(metrics, "render", config, cluster);
            StageMetrics.bind(metrics, "qa", config, cluster);

            SceneGenerator generator = new SceneGenerator(Stages.generator(config));
            int views = 0;
            for (int i = 0; i < SCENES; i++) {
                views += generator.generate(100 + i).getViews().size();
            }
            try (KafkaProducer<String, SceneSpec> producer = new KafkaProducer<>(
                    KafkaClients.producer(cluster.bootstrap(), "metrics-it"), topics.scenes().keySerde().serializer(),
                    topics.scenes().valueSerde().serializer())) {
                new ScenePublisher(producer, topics.scenes(), generator::generate, metrics.registry())
                        .publish(100, SCENES, n -> {});
            }
            try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(KafkaClients.producer(cluster.bootstrap(),
                    "metrics-it-junk"), new StringSerializer(), new ByteArraySerializer())) {
                raw.send(new ProducerRecord<>(topics.scenes().name(), "junk",
                        "not avro".getBytes(StandardCharsets.UTF_8))).get();
            }

            QaApp.Settings qs = Stages.qa(config, cluster.bootstrap());
            RenderService.Settings rs = Stages.render(config, cluster.bootstrap());
            rs = new RenderService.Settings(rs.bootstrap(), rs.group(), "metrics-it", 1, SCENES + 1);
            try (QaApp qa = new QaApp(qs, Stages.qaTopology(config, topics)).start(Duration.ofMinutes(2));
                    RenderService render = new RenderService(rs, topics, Stages.glRenderers(), metrics.registry(),
                            Clock.systemUTC()).start()) {
                render.await();
                QaCommand.awaitCaughtUp(qa, qs.applicationId(), cluster);
                int questions = TopicScan.values(cluster.bootstrap(), topics.qa()).size();
                assertTrue(questions > 0, "the QA processor asked questions");

                // the lag probes read every few seconds: scrape until both have seen the caught-up groups, and
                // the QA group's member back after any rebalance (a Streams thread replaced after an aborted
                // transaction leaves the group empty for a moment, its offsets already caught up)
                Map<String, PrometheusText.Family> m = Map.of();
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (System.nanoTime() < deadline) {
                    m = PrometheusText.parse(scrape(port));
                    if (value(m, "satflow_consumer_lag_records", Map.of("stage", "render")) == 0
                            && value(m, "satflow_consumer_lag_records", Map.of("stage", "qa")) == 0
                            && value(m, "satflow_consumer_group_members", Map.of("stage", "qa")) == 1) {
                        break;
                    }
                    Thread.sleep(500);
                }

                assertType(m, "satflow_scenes_published_total", "counter");
                assertEquals(SCENES, value(m, "satflow_scenes_published_total", Map.of()));
                // work in a transaction that aborted (a rebalance) is done, and counted, again: at least once,
                // never twice over
                assertAtLeastOnce(SCENES, value(m, "satflow_scenes_rendered_total", Map.of()));
                assertAtLeastOnce(views, value(m, "satflow_frames_rendered_total", Map.of()));
                assertType(m, "satflow_render_scene_seconds", "summary");
                assertEquals(value(m, "satflow_scenes_rendered_total", Map.of()),
                        value(m, "satflow_render_scene_seconds_count", Map.of()), "one timing per rendered scene");
                assertTrue(value(m, "satflow_render_scene_seconds_sum", Map.of()) > 0);

                assertType(m, "satflow_questions_emitted_total", "counter");
                assertAtLeastOnce(questions, value(m, "satflow_questions_emitted_total", Map.of()));
                assertAtLeastOnce(SCENES + 1, value(m, "satflow_qa_records_consumed_total",
                        Map.of("topic", topics.scenes().name()))); // the scenes and the junk record
                assertAtLeastOnce(views, value(m, "satflow_qa_records_consumed_total",
                        Map.of("topic", topics.frames().name())));
                assertType(m, "satflow_dead_letters_total", "counter");
                assertEquals(1, value(m, "satflow_dead_letters_total", Map.of("stage", "render")));
                assertEquals(1, value(m, "satflow_dead_letters_total", Map.of("stage", "qa")));
                double latency = value(m, "satflow_qa_e2e_latency_max_seconds", Map.of());
                assertTrue(latency > 0 && latency < 600, "QA end-to-end latency of the last window: " + latency);

                assertType(m, "satflow_consumer_lag_records", "gauge");
                assertEquals(0, value(m, "satflow_consumer_lag_records", Map.of("stage", "render")));
                assertEquals(0, value(m, "satflow_consumer_lag_records", Map.of("stage", "qa")));
                assertEquals(1, value(m, "satflow_consumer_group_members", Map.of("stage", "qa")));
                assertTrue(m.containsKey("jvm_memory_used_bytes"), "JVM meters too: " + m.keySet());
            }
        }
    }

    static String scrape(int port) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                r.headers().toString());
        return r.body();
    }

    /** What the topics hold, counted at least once but not twice over (retries after an abort count again). */
    static void assertAtLeastOnce(double expected, double counted) {
        assertTrue(counted >= expected && counted < 2 * expected, "counted " + counted + ", expected " + expected);
    }

    static void assertType(Map<String, PrometheusText.Family> m, String family, String type) {
        assertTrue(m.containsKey(family), family + " missing from " + m.keySet());
        assertEquals(type, m.get(family).type(), family);
    }

    /** The value of the sample with exactly these labels; NaN when it is missing. */
    static double value(Map<String, PrometheusText.Family> m, String sample, Map<String, String> labels) {
        for (PrometheusText.Family f : m.values()) {
            for (PrometheusText.Sample s : f.samples()) {
                if (s.name().equals(sample) && s.labels().equals(labels)) {
                    return s.value();
                }
            }
        }
        return Double.NaN;
    }
}
