package dev.satflow.ops;

import dev.satflow.core.config.Config;
import dev.satflow.core.kafka.KafkaClients;
import dev.satflow.core.metrics.Metrics;
import dev.satflow.ops.stages.Stages;
import dev.satflow.producers.generate.SceneGenerator;
import dev.satflow.producers.kafka.ScenePublisher;
import dev.satflow.schema.SceneSpec;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Generates seeded scene specs: to satflow.scenes.v1, or as JSON lines on stdout. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate seeded scene specs and publish them to satflow.scenes.v1 (or print them with --stdout).")
final class GenerateCommand implements Callable<Integer> {
    @Mixin
    StackOptions stack;

    @Option(names = "--scenes", paramLabel = "N", description = "Scenes to generate (default 100).")
    Integer scenes;

    @Option(names = "--seed", paramLabel = "S", description = "First seed; scene i uses S + i (default 1).")
    Long seed;

    @Option(names = "--stdout", description = "Print the specs as JSON lines instead of publishing; no cluster needed.")
    boolean stdout;

    @Option(names = "--min-objects", paramLabel = "N") Integer minObjects;
    @Option(names = "--max-objects", paramLabel = "N") Integer maxObjects;
    @Option(names = "--camera-candidates", paramLabel = "K") Integer cameraCandidates;
    @Option(names = "--pitch", paramLabel = "DEG", description = "Camera pitch, degrees down (default 30).") Double pitch;
    @Option(names = "--fov", paramLabel = "DEG", description = "Vertical field of view (default 90).") Double fov;
    @Option(names = "--width", paramLabel = "PX") Integer width;
    @Option(names = "--height", paramLabel = "PX") Integer height;
    @Option(names = "--format", paramLabel = "png|jpeg") String format;

    static Map<String, Object> generatorFlags(Integer scenes, Long seed, Integer minObjects, Integer maxObjects,
            Integer cameraCandidates, Double pitch, Double fov, Integer width, Integer height, String format) {
        Map<String, Object> f = new HashMap<>();
        f.put("generate.scenes", scenes);
        f.put("generate.seed", seed);
        f.put("generate.min-objects", minObjects);
        f.put("generate.max-objects", maxObjects);
        f.put("generate.camera-candidates", cameraCandidates);
        f.put("generate.pitch", pitch);
        f.put("generate.fov", fov);
        f.put("render.width", width);
        f.put("render.height", height);
        f.put("render.format", format);
        return f;
    }

    @Override
    public Integer call() {
        Config config = stack.load(generatorFlags(scenes, seed, minObjects, maxObjects, cameraCandidates, pitch, fov,
                width, height, format));
        SceneGenerator generator = new SceneGenerator(Stages.generator(config));
        int count = config.integer("generate.scenes", 0, Integer.MAX_VALUE);
        long first = config.longValue("generate.seed");
        if (stdout) {
            PrintStream out = System.out;
            for (int i = 0; i < count; i++) {
                out.println(generator.generate(first + i)); // Avro renders a record as one line of JSON
            }
            out.flush();
            return 0;
        }
        // SIGTERM: stop generating, deliver (flush) what was sent, then exit
        GracefulStop stop = GracefulStop.install("generate", Duration.ofSeconds(30), () -> {});
        try (Cluster cluster = Cluster.connect(config);
                Metrics metrics = stack.metrics(config, cluster);
                KafkaProducer<String, SceneSpec> producer = new KafkaProducer<>(
                        KafkaClients.producer(cluster.bootstrap(), "satflow-generate"),
                        cluster.topics().scenes().keySerde().serializer(),
                        cluster.topics().scenes().valueSerde().serializer())) {
            ScenePublisher publisher = new ScenePublisher(producer, cluster.topics().scenes(), generator::generate,
                    metrics.registry());
            Progress progress = new Progress(System.err, "generate", count);
            int sent = publisher.publish(first, count, progress::update, stop::requested);
            progress.done();
            System.out.printf("published %d scene specs (seeds %d..%d) to %s on %s%n", sent, first,
                    first + sent - 1, cluster.topics().scenes().name(), cluster.bootstrap());
        } finally {
            stop.finished();
        }
        return 0;
    }
}
