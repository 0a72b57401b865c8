package dev.satflow.ops;

import dev.satflow.core.config.Config;
import dev.satflow.core.metrics.Metrics;
import dev.satflow.ops.stages.Stages;
import dev.satflow.producers.kafka.RenderService;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Renderer consumers: N GL render loops in this process, one consumer-group member each. */
@Command(name = "render", mixinStandardHelpOptions = true,
        description = "Render scene specs from satflow.scenes.v1 into frames on satflow.frames.v1 (transactional; "
                + "run more processes with the same --group to scale out).")
final class RenderCommand implements Callable<Integer> {
    @Mixin
    StackOptions stack;

    @Option(names = "--workers", paramLabel = "N", description = "Render loops (GL contexts) in this process (default 1).")
    Integer workers;

    @Option(names = "--max-scenes", paramLabel = "N", description = "Stop after N scenes (default 0 = until Ctrl-C).")
    Integer maxScenes;

    @Option(names = "--group", paramLabel = "ID", description = "Consumer group (default satflow-render).")
    String group;

    @Option(names = "--instance-id", paramLabel = "ID",
            description = "Stable id of this process across restarts (default <host>-<n>: the lowest slot free on this host, "
                    + "so a restart gets the same id).")
    String instanceId;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> flags = new HashMap<>();
        flags.put("render.workers", workers);
        flags.put("render.max-scenes", maxScenes);
        flags.put("render.group", group);
        flags.put("render.instance-id", instanceId);
        Config config = stack.load(flags);
        AtomicReference<RenderService> running = new AtomicReference<>();
        // SIGTERM: workers finish or abort their transaction and close their producers before the JVM exits
        GracefulStop stop = GracefulStop.install("render", Duration.ofSeconds(40), () -> {
            RenderService r = running.get();
            if (r != null) {
                r.close();
            }
        });
        try (Cluster cluster = Cluster.connect(config); Metrics metrics = stack.metrics(config, cluster)) {
            RenderService.Settings s = Stages.render(config, cluster.bootstrap());
            RenderService service = new RenderService(s, cluster.topics(), Stages.glRenderers(), metrics.registry(),
                    Clock.systemUTC()).start();
            running.set(service);
            System.err.printf("rendering with %d worker(s) in group %s as %s on %s%n", s.workers(), s.group(),
                    s.instanceId(), cluster.bootstrap());
            Progress progress = new Progress(System.err, "render", s.maxScenes());
            Thread ticker = Progress.ticker(progress, service::scenesDone);
            service.await();
            ticker.interrupt();
            progress.update(service.scenesDone());
            progress.done();
            System.out.printf("rendered %d scene(s)%s%n", service.scenesDone(), service.scenesSkipped() == 0 ? ""
                    : " (" + service.scenesSkipped() + " skipped: rendered before)");
        } finally {
            stop.finished();
        }
        return 0;
    }
}
