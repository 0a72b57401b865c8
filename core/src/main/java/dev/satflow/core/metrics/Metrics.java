package dev.satflow.core.metrics;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One Prometheus registry per process. Meter names follow {@code satflow_<thing>_total} for counters
 * and {@code satflow_<thing>_seconds} for timers; labels are low-cardinality (stage, question type),
 * never per-scene.
 */
public final class Metrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Deque<AutoCloseable> closeWith = new ArrayDeque<>();
    private HttpServer http;

    public Metrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public String scrape() {
        return registry.scrape();
    }

    /** Closes the resource (a probe feeding some gauges) when the registry closes, before it; returns it. */
    public synchronized <T extends AutoCloseable> T closeWith(T resource) {
        closeWith.push(resource);
        return resource;
    }

    /** Serves /metrics on the port (0 = any); returns the bound port. */
    public synchronized int serve(int port) {
        try {
            http = HttpServer.create(new InetSocketAddress(port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve metrics on port " + port, e);
        }
        http.createContext("/metrics", ex -> {
            byte[] body = scrape().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(body);
            }
        });
        http.start();
        return http.getAddress().getPort();
    }

    @Override
    public synchronized void close() {
        while (!closeWith.isEmpty()) {
            try {
                closeWith.pop().close();
            } catch (Exception e) {
                // a probe that fails to stop must not keep the registry open
            }
        }
        if (http != null) {
            http.stop(0);
        }
        registry.close();
    }
}
