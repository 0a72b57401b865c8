package dev.satflow.ops.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.contracts.Topics;
import dev.satflow.core.config.SatflowSettings;
import dev.satflow.embedded.BrokerCluster;
import dev.satflow.embedded.LocalStack;
import dev.satflow.ops.stages.GroupLag;
import dev.satflow.ops.stages.Stages;
import dev.satflow.producers.generate.SceneGenerator;
import dev.satflow.producers.kafka.RenderService;
import dev.satflow.qa.QaApp;
import dev.satflow.qa.QaTopology;
import dev.satflow.qa.questions.SatQuestionDeriver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real 3-broker KRaft cluster on loopback (three broker JVMs, each also a controller), as
 * {@code satflow up --brokers 3} starts it: every topic is replicated three times with
 * min.insync.replicas 2. While the renderer and the QA processor work, the broker leading most data
 * partitions is killed with SIGKILL (by pid) and started again a few seconds later: the run completes,
 * every (scene, view) has one frame and every qaId one question, and the restarted broker is back in
 * every in-sync replica set.
 */
class ClusterBrokerKillIT {
    private static final int SCENES = 24;

    @TempDir
    Path dir;

    @Test
    void aBrokerKilledMidRunAndRestartedLosesAndDuplicatesNothing() throws Exception {
        long t0 = System.nanoTime();
        Map<String, Object> flags = new HashMap<>();
        flags.put("render.width", 128);
        flags.put("render.height", 128);
        SceneGenerator generator = new SceneGenerator(Stages.generator(SatflowSettings.load(null, flags)));
        System.setProperty("satflow.broker.java-opts", "-Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
        try (LocalStack stack = LocalStack.start(new LocalStack.Settings(dir.resolve("stack"), 0, 0, 0, 3, 3));
                GroupLag lag = new GroupLag(stack.bootstrapServers());
                Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
            System.clearProperty("satflow.broker.java-opts");
            BrokerCluster cluster = stack.cluster().orElseThrow();
            Topics topics = stack.topics();
            double up = (System.nanoTime() - t0) / 1e9;
            List<String> names = new ArrayList<>(topics.all().stream().map(t -> t.name()).toList());
            names.add("_schemas");
            // a broker that has not yet applied the new topics' metadata answers "unknown topic" for a moment
            Faults.await(() -> {
                try {
                    assertReplicated(admin, names);
                    return true;
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
                        return false;
                    }
                    throw e;
                }
            }, Duration.ofSeconds(30), "every topic described on every broker");

            QaApp.Settings qaSettings = new QaApp.Settings(stack.bootstrapServers(), "cluster-qa",
                    dir.resolve("qa-state"), 1);
            QaTopology.Options options = new QaTopology.Options(topics, SatQuestionDeriver.standard(),
                    Duration.ofMinutes(5), Duration.ofSeconds(10));
            int killed;
            try (QaApp qa = new QaApp(qaSettings, options).start(Duration.ofMinutes(2));
                    RenderService render = new RenderService(new RenderService.Settings(stack.bootstrapServers(),
                            "cluster-render", "cluster-test", 1, SCENES), topics, Stages.glRenderers(),
                            new SimpleMeterRegistry(), Clock.systemUTC()).start()) {
                CompletableFuture<Map<String, Integer>> published = CompletableFuture.supplyAsync(() -> {
                    try {
                        return Faults.publish(stack.bootstrapServers(), topics, generator, 800, 800 + SCENES, 2,
                                Duration.ofMillis(400));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                Faults.await(() -> Faults.framesPerView(stack.bootstrapServers(), topics).size() >= 15,
                        Duration.ofMinutes(2), "first frames");
                killed = busiestBroker(admin, List.of(topics.frames().name(), topics.qa().name()));
                long pid = cluster.pid(killed);
                cluster.kill(killed); // SIGKILL by pid
                System.out.printf("ClusterBrokerKillIT: killed broker %d (pid %d) mid-run%n", killed, pid);
                Thread.sleep(5000);
                long t1 = System.nanoTime();
                cluster.start(killed); // same data, same ports
                System.out.printf("ClusterBrokerKillIT: broker %d live again after %.1f s (pid %d)%n", killed,
                        (System.nanoTime() - t1) / 1e9, cluster.pid(killed));
                Map<String, Integer> views = published.get(3, TimeUnit.MINUTES);
                render.await();
                List<String> inputs = List.of(topics.scenes().name(), topics.frames().name());
                Faults.await(() -> lag.lag("cluster-qa", inputs) == 0, Duration.ofMinutes(3), "QA to catch up");

                Map<String, Integer> frames = Faults.framesPerView(stack.bootstrapServers(), topics);
                assertEquals(List.of(), Faults.repeated(frames), "no (scene, view) twice");
                assertEquals(views.values().stream().mapToInt(Integer::intValue).sum(), frames.size(),
                        "every (scene, view) once");
                // the last transaction's commit markers reach the QA topic a moment after its offsets
                Faults.await(() -> Faults.answered(stack.bootstrapServers(), topics).equals(views.keySet()),
                        Duration.ofSeconds(30), "questions for every scene");
                Map<String, Integer> questions = Faults.qaPerId(stack.bootstrapServers(), topics);
                assertEquals(List.of(), Faults.repeated(questions), "no qaId twice");
                Faults.await(() -> fullyReplicated(admin, names), Duration.ofMinutes(1),
                        "broker " + killed + " back in every ISR");
                System.out.printf("ClusterBrokerKillIT: cluster up in %.1f s; %d frames and %d questions once each; "
                        + "%.1f s%n", up, frames.size(), questions.size(), (System.nanoTime() - t0) / 1e9);
            }
        }
    }

    /** Replication factor 3 and min.insync.replicas 2 on every topic. */
    private static void assertReplicated(Admin admin, List<String> names) throws Exception {
        Map<String, TopicDescription> d = admin.describeTopics(names).allTopicNames().get();
        for (TopicDescription t : d.values()) {
            for (TopicPartitionInfo p : t.partitions()) {
                assertEquals(3, p.replicas().size(), t.name() + "-" + p.partition() + " replicas");
            }
        }
        List<ConfigResource> res = names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
        Map<ConfigResource, Config> configs = admin.describeConfigs(res).all().get();
        configs.forEach((r, c) -> assertEquals("2", c.get("min.insync.replicas").value(),
                r.name() + " min.insync.replicas"));
    }

    private static boolean fullyReplicated(Admin admin, List<String> names) throws Exception {
        return admin.describeTopics(names).allTopicNames().get().values().stream()
                .flatMap(t -> t.partitions().stream()).allMatch(p -> p.isr().size() == 3);
    }

    /** The broker leading the most partitions of these topics. */
    private static int busiestBroker(Admin admin, List<String> names) throws Exception {
        Map<Integer, Long> led = admin.describeTopics(names).allTopicNames().get().values().stream()
                .flatMap(t -> t.partitions().stream()).collect(Collectors.groupingBy(p -> p.leader().id(),
                        Collectors.counting()));
        return led.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }
}
