package dev.satflow.ops;

import dev.satflow.core.config.Config;
import dev.satflow.core.config.ConfigException;
import dev.satflow.core.metrics.Metrics;
import dev.satflow.evaluator.EvaluatorService;
import dev.satflow.ops.stages.Stages;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Scores every checkpoint announced on satflow.checkpoints.v1 on a held-out split: plain and circular
 * accuracy per type next to chance, the answer prior and the blind baselines, held-out vs seen phrasing.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate each checkpoint from satflow.checkpoints.v1 per question type: accuracy and circular "
                + "accuracy (right in every cyclic order of the options) against chance, the answer prior and the "
                + "blind (question-only) baselines, and on held-out vs seen phrasing; writes report.json/report.html "
                + "(with a gallery of mistakes), index.html (learning curves) and announces satflow.eval.v1. Keeps "
                + "only the held-out questions (no pixels) and resolves images a chunk at a time.")
final class EvaluateCommand implements Callable<Integer> {
    @Mixin
    StackOptions stack;

    @Option(names = "--split", paramLabel = "NAME", description = "Held-out split to score (default test).")
    String split;

    @Option(names = "--max-checkpoints", paramLabel = "N", description = "Stop after N (default 0 = until Ctrl-C).")
    Integer maxCheckpoints;

    @Option(names = "--group", paramLabel = "ID", description = "Consumer group (default satflow-eval).")
    String group;

    @Option(names = "--out", paramLabel = "DIR", description = "Reports go to DIR/reports (default satflow-out).")
    Path out;

    @Option(names = "--chunk", paramLabel = "N", description = "Questions whose images are resolved and scored "
            + "together (default 64); bounds the images held.")
    Integer chunk;

    @Override
    public Integer call() {
        Map<String, Object> flags = new HashMap<>();
        flags.put("eval.split", split);
        flags.put("eval.max-checkpoints", maxCheckpoints);
        flags.put("eval.group", group);
        flags.put("out", out);
        Config config = stack.load(flags);
        try (Cluster cluster = Cluster.connect(config); Metrics metrics = stack.metrics(config)) {
            EvaluatorService.Settings settings = Stages.evaluate(config, cluster.bootstrap());
            if (chunk != null) {
                if (chunk < 1) {
                    throw new ConfigException("option '--chunk' = '" + chunk + "': expected an integer >= 1");
                }
                settings = settings.withChunk(chunk);
            }
            EvaluatorService evaluator = new EvaluatorService(settings, cluster.topics(), metrics.registry(),
                    Clock.systemUTC());
            Runtime.getRuntime().addShutdownHook(new Thread(evaluator::close, "satflow-eval-shutdown"));
            evaluator.run(report -> {
                System.out.print(ReportTable.format(report));
                System.out.println("report: " + report.getReportPath());
            });
        }
        return 0;
    }
}
