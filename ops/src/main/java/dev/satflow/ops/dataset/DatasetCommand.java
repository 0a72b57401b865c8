package dev.satflow.ops.dataset;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.satflow.core.config.Config;
import dev.satflow.evaluator.blind.DatasetReport;
import dev.satflow.ops.Progress;
import dev.satflow.ops.StackOptions;
import dev.satflow.ops.stages.Stages;
import dev.satflow.ops.stages.TopicScan;
import dev.satflow.ops.Cluster;
import dev.satflow.contracts.Topics;
import dev.satflow.producers.generate.SceneGenerator;
import dev.satflow.qa.questions.AnswerPriors;
import dev.satflow.qa.questions.QuestionSettings;
import dev.satflow.qa.questions.SatQuestionDeriver;
import dev.satflow.schema.QaRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Looking at a dataset's statistics, and measuring the answer priors the deriver balances against. */
@Command(name = "dataset", mixinStandardHelpOptions = true,
        description = "Dataset statistics and the answer-prior census.",
        subcommands = {DatasetCommand.Stats.class, DatasetCommand.Preview.class, DatasetCommand.Priors.class})
public final class DatasetCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper COMPACT = new ObjectMapper();

    /**
     * The answer-prior census: every candidate question of many generated scenes, before any
     * selection, tallied by what its text reveals (balance key) and its answer (outcome).
     */
    @Command(name = "priors", mixinStandardHelpOptions = true,
            description = "Render scenes offline, derive every candidate question before selection and tally answers "
                    + "by balance key: the table the deriver selects against (answer-priors.json).")
    static final class Priors implements Callable<Integer> {
        @Mixin
        StackOptions stack;

        @Option(names = "--scenes", paramLabel = "N", description = "Scenes to census (default 3000).")
        int scenes = 3000;

        @Option(names = "--seed", paramLabel = "S", description = "First seed (default 1000000, away from demo seeds).")
        long seed = 1_000_000;

        @Option(names = "--size", paramLabel = "PX", description = "Render size; thresholds are relative (default 128).")
        int size = 128;

        @Option(names = "--out", paramLabel = "FILE", required = true, description = "Where to write the table.")
        Path out;

        @Override
        public Integer call() throws IOException {
            Config config = stack.load(Map.of("render.width", size, "render.height", size));
            SceneGenerator generator = new SceneGenerator(Stages.generator(config));
            SatQuestionDeriver census = new SatQuestionDeriver(QuestionSettings.defaults().withCaps(1000, 1000),
                    AnswerPriors.NONE);
            Map<String, Map<String, Integer>> counts = new TreeMap<>();
            Progress progress = new Progress(System.err, "census scenes", scenes);
            OfflineQuestions.derive(generator, seed, scenes, census, (QaRecord q) -> {
                String key = q.getFacts().get("balance_key");
                if (key != null) {
                    counts.computeIfAbsent(key, k -> new TreeMap<>()).merge(q.getFacts().get("balance_outcome"), 1,
                            Integer::sum);
                }
            }, progress::update);
            progress.done();
            ObjectNode root = JSON.createObjectNode();
            root.put("generator", SceneGenerator.VERSION);
            root.put("deriver", SatQuestionDeriver.VERSION);
            root.put("scenes", scenes);
            root.put("first_seed", seed);
            root.put("size", size);
            root.put("command", "satflow dataset priors --scenes " + scenes + " --seed " + seed + " --size " + size
                    + " --out " + out);
            // one key per line: the table is thousands of keys, and diffs of it should stay readable
            StringBuilder text = new StringBuilder(JSON.writeValueAsString(root));
            text.setLength(text.lastIndexOf("}"));
            while (Character.isWhitespace(text.charAt(text.length() - 1))) {
                text.setLength(text.length() - 1);
            }
            text.append(",\n  \"keys\" : {\n");
            int i = 0;
            for (Map.Entry<String, Map<String, Integer>> e : counts.entrySet()) {
                text.append("    ").append(COMPACT.writeValueAsString(e.getKey())).append(": ")
                        .append(COMPACT.writeValueAsString(e.getValue())).append(++i < counts.size() ? ",\n" : "\n");
            }
            text.append("  }\n}\n");
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, text);
            System.out.printf("%d keys from %d scenes -> %s%n", counts.size(), scenes, out);
            return 0;
        }
    }

    /**
     * A dataset's statistics and blind baselines without a cluster: the questions the pipeline would
     * make from these seeds (rendered offline, no image encoding), through the same report as
     * {@code dataset stats}.
     */
    @Command(name = "preview", mixinStandardHelpOptions = true,
            description = "Derive the questions of N scenes offline (no cluster) and print their statistics and blind "
                    + "baselines; --priors tries another answer-prior table.")
    static final class Preview implements Callable<Integer> {
        @Mixin
        StackOptions stack;

        @Option(names = "--scenes", paramLabel = "N", description = "Scenes (default 1000).")
        int scenes = 1000;

        @Option(names = "--seed", paramLabel = "S", description = "First seed (default 1).")
        long seed = 1;

        @Option(names = "--size", paramLabel = "PX", description = "Render size (default 128).")
        int size = 128;

        @Option(names = "--priors", paramLabel = "FILE", description = "Answer-prior table (default: the shipped one).")
        Path priors;

        @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON.")
        Path json;

        @Override
        public Integer call() throws IOException {
            Config config = stack.load(Map.of("render.width", size, "render.height", size));
            SceneGenerator generator = new SceneGenerator(Stages.generator(config));
            AnswerPriors table = AnswerPriors.standard();
            if (priors != null) {
                try (var in = Files.newInputStream(priors)) {
                    table = AnswerPriors.read(in);
                }
            }
            SatQuestionDeriver deriver = new SatQuestionDeriver(QuestionSettings.defaults(), table);
            List<QaRecord> all = new ArrayList<>();
            Progress progress = new Progress(System.err, "preview scenes", scenes);
            OfflineQuestions.derive(generator, seed, scenes, deriver, all::add, progress::update);
            progress.done();
            DatasetReport report = DatasetReport.of(all, seed);
            System.out.print(report.format());
            if (json != null) {
                Files.writeString(json, JSON.writeValueAsString(report.toJson()));
            }
            return 0;
        }
    }

    /** The statistics and blind baselines of the QA topic as it is now. */
    @Command(name = "stats", mixinStandardHelpOptions = true,
            description = "Counts per type and split, answer and position priors, options right when offered, repeats, "
                    + "phrasing per split, and the blind baselines (question-only models trained on train, scored on "
                    + "test), of the QA topic as it is now.")
    static final class Stats implements Callable<Integer> {
        @Mixin
        StackOptions stack;

        @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON.")
        Path json;

        @Option(names = "--seed", paramLabel = "S", description = "Seed of the blind models (default 1).")
        long seed = 1;

        @Override
        public Integer call() throws IOException {
            Config config = stack.load(Map.of());
            try (Cluster cluster = Cluster.connect(config)) {
                DatasetReport report = report(cluster.bootstrap(), cluster.topics(), seed);
                System.out.print(report.format());
                if (json != null) {
                    Files.writeString(json, JSON.writeValueAsString(report.toJson()));
                }
            }
            return 0;
        }
    }

    /** The report over every decodable record of the QA topic. */
    public static DatasetReport report(String bootstrap, Topics topics, long seed) {
        List<QaRecord> all = new ArrayList<>();
        TopicScan.scan(bootstrap, topics.qa(), e -> {
            if (e.value() != null) {
                all.add(e.value());
            }
            return true;
        });
        return DatasetReport.of(all, seed);
    }
}
