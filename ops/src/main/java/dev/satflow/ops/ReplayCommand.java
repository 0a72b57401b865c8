package dev.satflow.ops;

import dev.satflow.core.kafka.KafkaClients;
import dev.satflow.core.config.ConfigException;
import dev.satflow.contracts.TopicAdmin;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import dev.satflow.contracts.Topics;
import dev.satflow.core.config.Config;
import dev.satflow.ops.stages.GroupLag;
import dev.satflow.ops.stages.Stages;
import dev.satflow.ops.stages.TopicScan;
import dev.satflow.qa.QaApp;
import dev.satflow.qa.QaTopology;
import dev.satflow.qa.questions.SatQuestionDeriver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Rebuilds a QA dataset from the stored scenes and frames, without rendering: the QA topology runs
 * under its own application id from the start of both input topics and writes to another topic.
 * Derivation is a pure function of (spec, frames, deriver version), so the same inputs and version
 * give byte-identical records to the original topic's.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Re-derive the questions of every stored scene and frame into a new topic (no re-rendering), "
                + "then stop: satflow.scenes.v1 + satflow.frames.v1 -> --to TOPIC.")
final class ReplayCommand implements Callable<Integer> {
    @Mixin
    StackOptions stack;

    @Option(names = "--to", paramLabel = "TOPIC", required = true,
            description = "Topic to write the questions to, e.g. satflow.qa.v3 (created like the QA topic).")
    String to;

    @Option(names = "--generator-version", paramLabel = "V",
            description = "Question deriver to replay with (default and only one in this build: " + SatQuestionDeriver.VERSION
                    + ").")
    String generatorVersion = SatQuestionDeriver.VERSION;

    @Override
    public Integer call() throws Exception {
        if (!generatorVersion.equals(SatQuestionDeriver.VERSION)) {
            throw new ConfigException("--generator-version = '" + generatorVersion + "': this build derives "
                    + SatQuestionDeriver.VERSION + " only");
        }
        Config config = stack.load(Map.of());
        try (Cluster cluster = Cluster.connect(config)) {
            if (to.equals(cluster.topics().qa().name())) {
                throw new ConfigException("--to = '" + to + "': that is the live QA topic; replay into a new one");
            }
            int partitions;
            try (Admin admin = Admin.create(KafkaClients.admin(cluster.bootstrap(), "satflow-replay-admin"))) {
                partitions = admin.describeTopics(List.of(cluster.topics().scenes().name())).allTopicNames().get()
                        .get(cluster.topics().scenes().name()).partitions().size();
            }
            Topics topics = cluster.topics().withQa(to, partitions);
            TopicAdmin.ensure(KafkaClients.admin(cluster.bootstrap(), "satflow-topic-admin"), List.of(topics.qa()));
            String applicationId = "satflow-replay-" + to;
            Path state = config.path("data-dir").resolve("replay-state").resolve(to).toAbsolutePath();
            QaApp.Settings s = new QaApp.Settings(cluster.bootstrap(), applicationId, state, 1);
            QaTopology.Options options = new QaTopology.Options(topics, SatQuestionDeriver.standard(),
                    Stages.qaTopology(config, topics).incompleteAfter(), Duration.ofSeconds(10));
            long t0 = System.nanoTime();
            try (QaApp app = new QaApp(s, options).start(Duration.ofMinutes(2))) {
                System.err.printf("replaying %s + %s into %s (%s)%n", topics.scenes().name(), topics.frames().name(),
                        to, applicationId);
                List<String> inputs = List.of(topics.scenes().name(), topics.frames().name());
                Progress progress = new Progress(System.err, "replay: input records left", -1);
                try (GroupLag lag = new GroupLag(cluster.bootstrap())) {
                    int zero = 0;
                    while (zero < 2) {
                        if (!app.state().isRunningOrRebalancing()) {
                            throw new IllegalStateException("replay stopped in state " + app.state());
                        }
                        long left = lag.lag(applicationId, inputs);
                        progress.update(left);
                        zero = left == 0 ? zero + 1 : 0;
                        Thread.sleep(500);
                    }
                }
            }
            long written = TopicScan.scan(cluster.bootstrap(), topics.qa(), e -> true);
            System.out.printf("%s: %d questions (%s) in %.1f s%n", to, written, SatQuestionDeriver.VERSION,
                    (System.nanoTime() - t0) / 1e9);
        }
        return 0;
    }
}
