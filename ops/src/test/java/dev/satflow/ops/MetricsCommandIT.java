package dev.satflow.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code satflow qa --metrics-port P} as its own process (on an embedded stack): while it runs,
 * http://localhost:P/metrics serves valid exposition text with the QA stage's families, its group's lag
 * and membership read from the cluster.
 */
class MetricsCommandIT {
    @TempDir
    Path dir;

    @Test
    void qaCommandServesItsStageMetrics() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = dir.resolve("qa.log");
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.satflow.schema",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"), Satflow.class.getName(), "qa",
                "--data-dir", dir.resolve("data").toString(), "--partitions", "1", "--metrics-port",
                Integer.toString(port)))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Map<String, PrometheusText.Family> m = Map.of();
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < deadline && p.isAlive()) {
                try {
                    m = PrometheusText.parse(MetricsEndpointIT.scrape(port));
                    if (MetricsEndpointIT.value(m, "satflow_consumer_group_members", Map.of("stage", "qa")) == 1) {
                        break;
                    }
                } catch (java.io.IOException notYet) {
                    // the stack is still starting
                }
                Thread.sleep(500);
            }
            assertTrue(p.isAlive(), "qa exited early:\n" + Files.readString(log));
            assertEquals(1, MetricsEndpointIT.value(m, "satflow_consumer_group_members", Map.of("stage", "qa")),
                    "the QA processor's group, read by its own process; log:\n" + Files.readString(log));
            assertEquals(0, MetricsEndpointIT.value(m, "satflow_consumer_lag_records", Map.of("stage", "qa")));
            MetricsEndpointIT.assertType(m, "satflow_questions_emitted_total", "counter");
            assertEquals(0, MetricsEndpointIT.value(m, "satflow_questions_emitted_total", Map.of()));
            assertEquals(0, MetricsEndpointIT.value(m, "satflow_dead_letters_total", Map.of("stage", "qa")));
            MetricsEndpointIT.assertType(m, "satflow_qa_records_consumed_total", "counter");
            assertTrue(m.containsKey("jvm_memory_used_bytes"), m.keySet().toString());
            assertTrue(!m.containsKey("satflow_scenes_rendered_total"), "only the QA stage's meters");
        } finally {
            p.destroy(); // SIGTERM: the shutdown hook stops the processor
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

}
