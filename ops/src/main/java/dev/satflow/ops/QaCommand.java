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
import java.util.concurrent.CountDownLatch;
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

    @Option(names = "--until-idle", description = "Stop once every scene and frame in the topics has been processed.")
    boolean untilIdle;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> flags = new HashMap<>();
        flags.put("qa.application-id", applicationId);
        flags.put("qa.threads", threads);
        Config config = stack.load(flags);
        try (Cluster cluster = Cluster.connect(config); var metrics = stack.metrics(config, cluster)) {
            QaApp.Settings s = Stages.qa(config, cluster.bootstrap());
            try (QaApp app = new QaApp(s, Stages.qaTopology(config, cluster.topics())).start(Duration.ofMinutes(2))) {
                System.err.printf("QA processor %s running on %s%n", s.applicationId(), cluster.bootstrap());
                if (untilIdle) {
                    awaitCaughtUp(app, s.applicationId(), cluster);
                    System.out.println("QA processor caught up with its inputs");
                } else {
                    CountDownLatch stop = new CountDownLatch(1);
                    Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "satflow-qa-shutdown"));
                    stop.await();
                }
            }
        }
        return 0;
    }

    /** Waits until the app has committed everything its inputs hold (two readings in a row). */
    static void awaitCaughtUp(QaApp app, String applicationId, Cluster cluster) throws InterruptedException {
        List<String> inputs = List.of(cluster.topics().scenes().name(), cluster.topics().frames().name());
        try (GroupLag lag = new GroupLag(cluster.bootstrap())) {
            int zeroReadings = 0;
            while (zeroReadings < 2) {
                if (!app.state().isRunningOrRebalancing()) {
                    throw new IllegalStateException("QA processor stopped in state " + app.state());
                }
                zeroReadings = lag.lag(applicationId, inputs) == 0 ? zeroReadings + 1 : 0;
                Thread.sleep(500);
            }
        }
    }
}
