package dev.satflow.ops;

import dev.satflow.core.config.Config;
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

/** Scores every checkpoint announced on satflow.checkpoints.v1 on a held-out split. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate each checkpoint from satflow.checkpoints.v1 per question type against chance and "
                + "the answer prior; writes report.json/report.html and announces satflow.eval.v1.")
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

    @Override
    public Integer call() {
        Map<String, Object> flags = new HashMap<>();
        flags.put("eval.split", split);
        flags.put("eval.max-checkpoints", maxCheckpoints);
        flags.put("eval.group", group);
        flags.put("out", out);
        Config config = stack.load(flags);
        try (Cluster cluster = Cluster.connect(config); Metrics metrics = stack.metrics(config)) {
            EvaluatorService evaluator = new EvaluatorService(Stages.evaluate(config, cluster.bootstrap()),
                    cluster.topics(), metrics.registry(), Clock.systemUTC());
            Runtime.getRuntime().addShutdownHook(new Thread(evaluator::close, "satflow-eval-shutdown"));
            evaluator.run(report -> {
                System.out.print(ReportTable.format(report));
                System.out.println("report: " + report.getReportPath());
            });
        }
        return 0;
    }
}
