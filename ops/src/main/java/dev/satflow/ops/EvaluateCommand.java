package dev.satflow.ops;

import dev.satflow.core.config.Config;
import dev.satflow.core.config.ConfigException;
import dev.satflow.core.metrics.Metrics;
import dev.satflow.evaluator.CircularScorer;
import dev.satflow.evaluator.EvaluatorService;
import dev.satflow.ops.export.SatParquetEvaluation;
import dev.satflow.ops.stages.Stages;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Scores every checkpoint announced on satflow.checkpoints.v1 on a held-out split: plain and circular
 * accuracy per type next to chance, the answer prior and the blind baselines, held-out vs seen phrasing.
 * With {@code --dataset FILE.parquet --checkpoint DIR} it scores one checkpoint on Parquet files in the HF
 * {@code array/SAT} layout instead, without Kafka ({@link SatParquetEvaluation}).
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Evaluate each checkpoint from satflow.checkpoints.v1 per question type: accuracy and circular "
                + "accuracy (right in every cyclic order of the options) against chance, the answer prior and the "
                + "blind (question-only) baselines, and on held-out vs seen phrasing; writes report.json/report.html "
                + "(with a gallery of mistakes), index.html (learning curves) and announces satflow.eval.v1. Keeps "
                + "only the held-out questions (no pixels) and resolves images a chunk at a time.",
                "",
                "With --dataset FILE.parquet --checkpoint DIR: scores that checkpoint on Parquet files in the HF "
                + "array/SAT layout (image_bytes, question, answers, question_type, correct_answer), e.g. SAT's own "
                + "SAT_test.parquet or `satflow export --format sat-parquet` output, without Kafka; rows are "
                + "streamed, rows that cannot be asked are reported by file#row and skipped."})
final class EvaluateCommand implements Callable<Integer> {
    @Mixin
    StackOptions stack;

    @Option(names = "--split", paramLabel = "NAME", description = "Held-out split to score (default test).")
    String split;

    @Option(names = "--max-checkpoints", paramLabel = "N", description = "Stop after N (default 0 = until Ctrl-C).")
    Integer maxCheckpoints;

    @Option(names = "--group", paramLabel = "ID", description = "Consumer group (default satflow-eval).")
    String group;

    @Option(names = "--out", paramLabel = "DIR", description = "Reports go to DIR/reports (default satflow-out). "
            + "With --dataset: the report goes to DIR/<checkpoint id>/report.{json,html} (default "
            + "satflow-out/eval-<dataset name>).")
    Path out;

    @Option(names = "--dataset", paramLabel = "FILE|DIR", description = "A Parquet file in the HF array/SAT layout, or "
            + "a folder of them (*.parquet); repeatable, all read as one dataset. Needs --checkpoint; no Kafka.")
    List<Path> datasets;

    @Option(names = "--checkpoint", paramLabel = "DIR", description = "With --dataset: the checkpoint folder to score "
            + "(e.g. satflow-out/checkpoints/RUN/step-000800).")
    Path checkpoint;

    @Option(names = "--limit", paramLabel = "N", description = "With --dataset: score at most the first N rows (of "
            + "the types asked for; default all).")
    Long limit;

    @Option(names = "--types", split = ",", paramLabel = "TYPE", description = "With --dataset: only these "
            + "question_type values (comma-separated; default all).")
    List<String> types;

    @Option(names = "--chunk", paramLabel = "N", description = "Questions whose images are resolved and scored "
            + "together (default 64); bounds the images held.")
    Integer chunk;

    @Override
    public Integer call() throws IOException {
        if (datasets != null) {
            return evaluateDataset();
        }
        if (checkpoint != null || limit != null || types != null) {
            throw new ConfigException("options --checkpoint, --limit and --types go with --dataset FILE.parquet");
        }
        Map<String, Object> flags = new HashMap<>();
        flags.put("eval.split", split);
        flags.put("eval.max-checkpoints", maxCheckpoints);
        flags.put("eval.group", group);
        flags.put("out", out);
        Config config = stack.load(flags);
        AtomicReference<EvaluatorService> running = new AtomicReference<>();
        // SIGTERM: the evaluator stops after the checkpoint in hand (or leaves it to its next run: reports and
        // checkpoint offsets commit in one transaction), then the JVM exits
        GracefulStop stop = GracefulStop.install("evaluate", Duration.ofSeconds(60), () -> {
            EvaluatorService e = running.get();
            if (e != null) {
                e.close();
            }
        });
        try (Cluster cluster = Cluster.connect(config); Metrics metrics = stack.metrics(config, cluster)) {
            EvaluatorService.Settings settings = Stages.evaluate(config, cluster.bootstrap());
            if (chunk != null) {
                if (chunk < 1) {
                    throw new ConfigException("option '--chunk' = '" + chunk + "': expected an integer >= 1");
                }
                settings = settings.withChunk(chunk);
            }
            EvaluatorService evaluator = new EvaluatorService(settings, cluster.topics(), metrics.registry(),
                    Clock.systemUTC());
            running.set(evaluator);
            evaluator.run(report -> {
                StageMetrics.evaluated(metrics.registry(), report);
                System.out.print(ReportTable.format(report));
                System.out.println("report: " + report.getReportPath());
            });
        } finally {
            stop.finished();
        }
        return 0;
    }

    /** --dataset mode: one checkpoint on SAT-layout Parquet files, no cluster. */
    private int evaluateDataset() throws IOException {
        if (checkpoint == null) {
            throw new ConfigException("option '--dataset' needs '--checkpoint DIR' (the checkpoint to score)");
        }
        List<String> stray = new ArrayList<>();
        if (split != null) {
            stray.add("--split");
        }
        if (maxCheckpoints != null) {
            stray.add("--max-checkpoints");
        }
        if (group != null) {
            stray.add("--group");
        }
        if (!stray.isEmpty()) {
            throw new ConfigException("option " + String.join(", ", stray) + " does not apply with --dataset "
                    + "(one checkpoint, no Kafka)");
        }
        if (limit != null && limit < 1) {
            throw new ConfigException("option '--limit' = '" + limit + "': expected an integer >= 1");
        }
        if (chunk != null && chunk < 1) {
            throw new ConfigException("option '--chunk' = '" + chunk + "': expected an integer >= 1");
        }
        Set<String> typeSet = new LinkedHashSet<>();
        if (types != null) {
            for (String t : types) {
                if (!t.isBlank()) {
                    typeSet.add(t.trim());
                }
            }
        }
        Path reports = out;
        if (reports == null) {
            Map<String, Object> flags = new HashMap<>();
            Config config = stack.load(flags);
            reports = config.path("out").resolve("eval-" + dev.satflow.core.html.Html.safe(
                    SatParquetEvaluation.label(datasets)));
        }
        SatParquetEvaluation.Settings settings = new SatParquetEvaluation.Settings(datasets, checkpoint, reports,
                limit == null ? 0 : limit, typeSet, chunk == null ? CircularScorer.DEFAULT_CHUNK : chunk);
        SatParquetEvaluation.Result r = SatParquetEvaluation.run(settings, System.err);
        System.out.print(ReportTable.format(r.evaluation().report()));
        System.out.printf(Locale.ROOT, "%d rows read, %d selected, %d scored, %d skipped; %s%n", r.read(),
                r.selected(), r.evaluation().report().getCount(), r.skippedCount(), r.evaluation().held());
        System.out.println("report: " + r.reportHtml());
        if (r.evaluation().report().getCount() == 0) {
            System.err.println("satflow evaluate: no row of " + datasets + " could be scored");
            return 1;
        }
        return 0;
    }
}
