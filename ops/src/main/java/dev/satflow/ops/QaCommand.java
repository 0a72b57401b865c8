package dev.satflow.ops;

import dev.satflow.core.config.Config;
import dev.satflow.ops.stages.GroupLag;
import dev.satflow.ops.stages.Stages;
import dev.satflow.qa.QaApp;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The QA stream processor: scene specs joined with their frames, SAT questions out. */
@Command(name = "qa", mixinStandardHelpOptions = true,
        description = "Run the Kafka Streams QA processor: satflow.scenes.v1 + satflow.frames.v1 -> satflow.qa.v2 "
                + "(exactly once).")
final class QaCommand implements Callable<Integer> {
    @Mixin
    StackOptions stack;

    @Option(names = "--application-id", paramLabel = "ID", description = "Streams application.id (default satflow-qa).")
    String applicationId;

    @Option(names = "--threads", paramLabel = "N", description = "Stream threads (default 1).")
    Integer threads;

    @Option(names = "--until-idle", description = "Stop once every committed scene and frame in the topics has been "
            + "processed (and no open transaction on them may add more).")
    boolean untilIdle;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> flags = new HashMap<>();
        flags.put("qa.application-id", applicationId);
        flags.put("qa.threads", threads);
        Config config = stack.load(flags);
        // SIGTERM closes Streams cleanly (state checkpointed, group left) before the JVM exits
        GracefulStop stop = GracefulStop.install("qa", QaApp.CLOSE_TIMEOUT.plusSeconds(15), () -> {});
        try (Cluster cluster = Cluster.connect(config); var metrics = stack.metrics(config, cluster)) {
            QaApp.Settings s = Stages.qa(config, cluster.bootstrap());
            try (QaApp app = new QaApp(s, Stages.qaTopology(config, cluster.topics())).start(Duration.ofMinutes(2))) {
                System.err.printf("QA processor %s running on %s%n", s.applicationId(), cluster.bootstrap());
                if (untilIdle) {
                    if (awaitCaughtUp(app, s.applicationId(), cluster, stop::requested)) {
                        System.out.println("QA processor caught up with its inputs");
                    }
                } else {
                    stop.awaitRequest();
                }
            }
        } finally {
            stop.finished();
        }
        return 0;
    }

    /** Waits until the app has processed every committed input record ({@link GroupLag}, two readings in a row). */
    static void awaitCaughtUp(QaApp app, String applicationId, Cluster cluster) throws InterruptedException {
        awaitCaughtUp(app, applicationId, cluster, () -> false);
    }

    /** As above; returns false when told to stop before. */
    static boolean awaitCaughtUp(QaApp app, String applicationId, Cluster cluster, BooleanSupplier stop)
            throws InterruptedException {
        List<String> inputs = List.of(cluster.topics().scenes().name(), cluster.topics().frames().name());
        try (GroupLag lag = new GroupLag(cluster.bootstrap())) {
            int zeroReadings = 0;
            while (zeroReadings < 2) {
                if (stop.getAsBoolean()) {
                    return false;
                }
                if (!app.state().isRunningOrRebalancing()) {
                    throw new IllegalStateException("QA processor stopped in state " + app.state());
                }
                zeroReadings = lag.lag(applicationId, inputs) == 0 ? zeroReadings + 1 : 0;
                Thread.sleep(500);
            }
        }
        return true;
    }
}
