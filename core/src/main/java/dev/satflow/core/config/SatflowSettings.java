package dev.satflow.core.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Every setting satflow knows, with its default: one list, so a typo anywhere fails fast. */
public final class SatflowSettings {
    private SatflowSettings() {}

    public static final List<Setting> ALL = List.of(
            new Setting("bootstrap", null, "Kafka bootstrap servers; unset = start an embedded stack"),
            new Setting("registry", null, "Schema registry URL; unset = the embedded stack's"),
            new Setting("partitions", "12", "Partitions of the scene, frame and QA topics (created if missing)"),
            new Setting("data-dir", "satflow-data", "Folder of the embedded stack's broker log and state"),
            new Setting("out", "satflow-out", "Folder for checkpoints, reports and pages"),
            new Setting("metrics-port", "0", "Port of the Prometheus /metrics endpoint; 0 = off"),
            new Setting("kafka.client-config", "", "Kafka client properties file every client of a command gets (security.protocol, sasl.mechanism, sasl.jaas.config, ssl.truststore.*, ...); used with bootstrap; empty = none"),
            new Setting("registry.user-info", "", "user:password the registry client sends as HTTP basic auth; empty = none"),

            new Setting("generate.scenes", "100", "Scenes to generate"),
            new Setting("generate.seed", "1", "First seed; scene i uses seed + i"),
            new Setting("generate.min-objects", "5", "Fewest objects per scene"),
            new Setting("generate.max-objects", "15", "Most objects per scene"),
            new Setting("generate.camera-candidates", "10", "Camera poses tried per scene; the one seeing most objects wins"),
            new Setting("generate.pitch", "30", "Camera pitch, degrees down"),
            new Setting("generate.fov", "90", "Vertical field of view, degrees"),
            new Setting("generate.val-fraction", "0.1", "Share of scenes in the val split"),
            new Setting("generate.test-fraction", "0.1", "Share of scenes in the test split"),
            new Setting("render.width", "512", "Frame width in pixels"),
            new Setting("render.height", "512", "Frame height in pixels"),
            new Setting("render.format", "png", "png or jpeg"),
            new Setting("render.shadows", "true", "Shadow mapping from the main light"),
            new Setting("render.workers", "1", "Render loops (GL contexts) in this process"),
            new Setting("render.group", "satflow-render", "Consumer group of the renderers"),
            new Setting("render.max-scenes", "0", "Stop after this many scenes; 0 = run until stopped"),
            new Setting("render.instance-id", "", "Stable id of this renderer process (transactional ids derive from it); empty = <host>-<n>, the lowest instance slot free on this host (stable across restarts)"),

            new Setting("qa.application-id", "satflow-qa", "Kafka Streams application.id of the QA processor"),
            new Setting("qa.state-dir", "", "Kafka Streams state folder; empty = under data-dir"),
            new Setting("qa.threads", "1", "Kafka Streams threads of the QA processor"),
            new Setting("qa.incomplete-after", "300", "Seconds after which a scene still missing frames is dead-lettered"),

            new Setting("train.run-id", "run-1", "Name of the training run (checkpoint ids derive from it)"),
            new Setting("train.steps", "2000", "Optimisation steps; 0 = run until stopped"),
            new Setting("train.batch", "32", "Examples per step"),
            new Setting("train.image-size", "64", "Model input side in pixels"),
            new Setting("train.plan", "", "Mixing plan file (JSON, or YAML): stages with lengths, type weights, rehearsal, learning-rate schedule; empty = the built-in plan"),
            new Setting("train.dynamic-fraction", "", "Overrides every plan stage's family split: share of dynamic-family examples; empty = as the plan says"),
            new Setting("train.learning-rate", "0.001", "Adam learning rate: the peak of plan stages that set none"),
            new Setting("train.checkpoint-every", "500", "Steps between checkpoints"),
            new Setting("train.seed", "42", "Seed of weights and batch drawing"),
            new Setting("train.group", "satflow-train", "Consumer group of the trainer"),
            new Setting("train.decode-cache-mb", "256", "Decoded model-size images kept for questions trained on again (the next pass, rehearsal), MB; 0 = off"),
            new Setting("train.buffer", "512", "Examples buffered per question type before the consumer pauses (batches are drawn from them at random)"),
            new Setting("train.reservoir", "256", "Older examples kept for rehearsal (reservoir sampling); 0 = no rehearsal"),
            new Setting("train.linger", "5", "Continuous training: seconds the topic must be quiet before a remainder short of a batch is trained"),
            new Setting("train.example-log", "true", "Log every trained example (step, qaId) to OUT/train-log/RUN/"),
            new Setting("train.passes", "1", "Reads of the QA topic when caught up and short of a batch; 0 = no limit"),
            new Setting("train.device", "cpu", "cpu, gpu or auto (a GPU needs a CUDA libtorch on the classpath)"),

            new Setting("eval.split", "test", "Split the evaluator scores"),
            new Setting("eval.max-checkpoints", "0", "Stop after scoring this many checkpoints; 0 = run until stopped"),
            new Setting("eval.group", "satflow-eval", "Consumer group of the evaluator"),

            new Setting("console.port", "7070", "HTTP port of the live console; 0 = any free port"),
            new Setting("console.bind", "127.0.0.1", "Address the console listens on (it has no authentication)"),
            new Setting("console.client-config", "", "The console's Kafka client properties file when kafka.client-config is empty (older name, kept working); empty = none"));

    /** defaults &lt; file &lt; SATFLOW_* env &lt; flags. */
    public static Config load(Path file, Map<String, ?> flags) {
        return Config.builder(ALL).file(file).env(System.getenv()).flags(flags).build();
    }
}
