package dev.satflow.ops;

import dev.satflow.core.config.ConfigException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.satflow.contracts.Topics;
import dev.satflow.core.config.Config;
import dev.satflow.core.kafka.KafkaClients;
import dev.satflow.core.metrics.Metrics;
import dev.satflow.evaluator.EvaluatorService;
import dev.satflow.evaluator.ReportWriter;
import dev.satflow.ops.console.Console;
import dev.satflow.ops.console.Serving;
import dev.satflow.ops.stages.Stages;
import dev.satflow.ops.stages.TopicScan;
import dev.satflow.ops.stages.TopicSizes;
import dev.satflow.ops.dataset.DatasetCommand;
import dev.satflow.evaluator.blind.DatasetReport;
import dev.satflow.ops.tap.TapCommand;
import dev.satflow.producers.generate.SceneGenerator;
import dev.satflow.producers.kafka.RenderService;
import dev.satflow.producers.kafka.ScenePublisher;
import dev.satflow.qa.QaApp;
import dev.satflow.schema.EvalReport;
import dev.satflow.schema.QaRecord;
import dev.satflow.schema.SceneSpec;
import dev.satflow.schema.TypeScore;
import dev.satflow.trainer.stream.TrainerService;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The whole loop on one cluster: scenes are published while renderers and the QA processor run;
 * once every frame has its questions, the trainer runs with the evaluator scoring each checkpoint
 * as it lands. Ends with the per-type table and {@code summary.json} under the output folder.
 */
final class Demo {
    private static final int GALLERY_FRAMES = 40;
    private static final int GALLERY_QUESTIONS = 3000;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What a run produced; {@code stageSeconds} keyed by stage name in pipeline order. */
    record Result(int scenes, long frames, Map<String, Long> qaByType, Map<String, Long> qaBySplit, long deadLetters,
            long trainSteps, EvalReport finalReport, Map<String, Double> stageSeconds, Path summary, long framesBytes,
            long qaBytes) {}

    /** The live console during the run: on or off, and whether it (and the cluster it reads) stays up until Ctrl-C. */
    record ConsoleOptions(boolean enabled, boolean keep) {
        static final ConsoleOptions OFF = new ConsoleOptions(false, false);
    }

    private final Config config;
    private final Path out;
    private final PrintStream console;
    private final ConsoleOptions live;

    Demo(Config config, Path out, PrintStream console, ConsoleOptions live) {
        this.config = config;
        this.out = out.toAbsolutePath();
        this.console = console;
        this.live = live;
    }

    Result run() throws InterruptedException {
        int scenes = config.integer("generate.scenes", 1, 1_000_000);
        long firstSeed = config.longValue("generate.seed");
        Map<String, Double> seconds = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        Serving serving = null;
        try (Cluster cluster = Cluster.connect(config); Metrics metrics = metrics(cluster);
                Console page = startConsole(cluster)) {
            Topics topics = cluster.topics();
            console.printf("cluster: %s (%s), registry %s%n", cluster.bootstrap(),
                    cluster.isEmbedded() ? "embedded" : "external", cluster.registryUrl());
            if (page != null) {
                console.println("console: " + page.url() + "  (live while the demo runs"
                        + (live.keep() ? "; kept up afterwards until Ctrl-C)" : "; --console keeps it up afterwards)"));
            }
            seconds.put("stack", secondsSince(t0));

            // 1. data: QA processor and renderers run while the scenes are published
            long tData = System.nanoTime();
            QaApp.Settings qaSettings = Stages.qa(config, cluster.bootstrap());
            RenderService.Settings rs = Stages.render(config, cluster.bootstrap());
            rs = new RenderService.Settings(rs.bootstrap(), rs.group(), rs.instanceId(), rs.workers(), scenes);
            try (QaApp qa = new QaApp(qaSettings, Stages.qaTopology(config, topics)).start(Duration.ofMinutes(2));
                    RenderService render = new RenderService(rs, topics, Stages.glRenderers(), metrics.registry(),
                            Clock.systemUTC()).start()) {
                long tGen = System.nanoTime();
                publish(cluster, firstSeed, scenes, metrics);
                seconds.put("generate", secondsSince(tGen));
                Progress rendered = new Progress(console, "render scenes", scenes);
                Thread ticker = Progress.ticker(rendered, render::scenesDone);
                render.await();
                ticker.interrupt();
                rendered.update(render.scenesDone());
                rendered.done();
                seconds.put("render", secondsSince(tData));
                QaCommand.awaitCaughtUp(qa, qaSettings.applicationId(), cluster);
                seconds.put("qa", secondsSince(tData));
            }

            // what the data stages wrote
            long frames = TopicScan.scan(cluster.bootstrap(), topics.frames(), e -> true);
            Map<String, Long> byType = new TreeMap<>();
            Map<String, Long> bySplit = new TreeMap<>();
            TopicScan.scan(cluster.bootstrap(), topics.qa(), e -> {
                QaRecord q = e.value();
                if (q != null) {
                    byType.merge(q.getQuestionType(), 1L, Long::sum);
                    bySplit.merge(q.getSplit(), 1L, Long::sum);
                }
                return true;
            });
            console.printf("frames: %d, questions: %d %s by split, %s by type%n", frames,
                    byType.values().stream().mapToLong(Long::longValue).sum(), bySplit, byType);
            Map<String, Long> sizes = TopicSizes.of(cluster.bootstrap(), List.of(topics.frames().name(),
                    topics.qa().name()));
            DatasetReport dataset = DatasetCommand.report(cluster.bootstrap(), topics, firstSeed);
            console.print(dataset.format());
            Path framesPage = TapCommand.writeHtml(cluster, topics.frames(), out.resolve("gallery/frames"),
                    GALLERY_FRAMES);
            Path qaPage = TapCommand.writeHtml(cluster, topics.qa(), out.resolve("gallery/questions"),
                    GALLERY_QUESTIONS);
            console.println("gallery: " + framesPage + " and " + qaPage);

            // 2. training, with every checkpoint evaluated as it lands
            TrainerService.Settings ts = Stages.train(config, cluster.bootstrap());
            if (config.source("train.passes").equals("default")) {
                // a demo's topic is complete before training starts: read it as often as the steps need
                ts = ts.withPasses(0);
            }
            if (ts.steps() <= 0) {
                throw new ConfigException("the demo needs a bounded run: train.steps must be > 0");
            }
            EvaluatorService.Settings es = Stages.evaluate(config, cluster.bootstrap());
            List<EvalReport> reports = Collections.synchronizedList(new ArrayList<>());
            EvaluatorService evaluator = new EvaluatorService(es, topics, metrics.registry(), Clock.systemUTC());
            evaluator.adoptBlindReport(dataset); // computed over the topic as training sees it: no second pass
            AtomicReference<Throwable> evalFailure = new AtomicReference<>();
            Thread evalThread = new Thread(() -> {
                try {
                    evaluator.run(report -> {
                        StageMetrics.evaluated(metrics.registry(), report);
                        reports.add(report);
                    });
                } catch (Throwable e) {
                    evalFailure.set(e);
                }
            }, "satflow-demo-evaluate");
            evalThread.start();
            long tTrain = System.nanoTime();
            Progress steps = new Progress(console, "train steps", ts.steps());
            TrainerService.Summary trained = new TrainerService(ts, topics, metrics.registry(), Clock.systemUTC())
                    .run(step -> {
                        steps.update(step.step());
                        StageMetrics.trained(metrics.registry(), step);
                    });
            steps.done();
            seconds.put("train", secondsSince(tTrain));
            long tEval = System.nanoTime();
            awaitReports(reports, trained.checkpoints().size(), evalThread, evalFailure);
            evaluator.close();
            evalThread.join(30_000);
            seconds.put("evaluate_tail", secondsSince(tEval));
            seconds.put("total", secondsSince(t0));

            EvalReport last = reports.stream().max((a, b) -> Long.compare(a.getStep(), b.getStep())).orElse(null);
            long dead = TopicScan.scan(cluster.bootstrap(), topics.dlq(), e -> true);
            long framesBytes = sizes.get(topics.frames().name());
            long qaBytes = sizes.get(topics.qa().name());
            Path summary = writeSummary(scenes, frames, byType, bySplit, dead, trained, last, seconds, dataset,
                    framesBytes, qaBytes);
            Result result = new Result(scenes, frames, byType, bySplit, dead, trained.steps(), last, seconds, summary,
                    framesBytes, qaBytes);
            print(result);
            if (page != null && live.keep()) {
                serving = new Serving();
                console.println("console: still serving " + page.url() + "  (Ctrl-C to stop)");
                serving.await();
            }
            return result;
        } finally {
            if (serving != null) {
                serving.close(); // after the console and the cluster closed: a Ctrl-C hook waits for this
            }
        }
    }

    private Console startConsole(Cluster cluster) {
        if (!live.enabled()) {
            return null;
        }
        // the default port gives way to a free one (a second demo, another console); a port asked for does not
        boolean fallback = config.source("console.port").equals("default");
        return Console.start(new Console.Settings(cluster.bootstrap(), cluster.topics(),
                Console.Groups.of(config), config.string("console.bind"),
                config.integer("console.port", 0, 65535), fallback, cluster.bootstrap()
                        + (cluster.isEmbedded() ? " (embedded, demo)" : " · registry " + cluster.registryUrl())));
    }

    /** The demo's registry: every stage runs in this process, so with metrics-port set it serves them all. */
    private Metrics metrics(Cluster cluster) {
        Metrics metrics = StackOptions.served(new Metrics(), config);
        if (config.integer("metrics-port", 0, 65535) > 0) {
            for (String stage : List.of("render", "qa", "train", "evaluate")) {
                StageMetrics.bind(metrics, stage, config, cluster);
            }
        }
        return metrics;
    }

    private void publish(Cluster cluster, long firstSeed, int scenes, Metrics metrics) {
        SceneGenerator generator = new SceneGenerator(Stages.generator(config));
        try (KafkaProducer<String, SceneSpec> producer = new KafkaProducer<>(
                KafkaClients.producer(cluster.bootstrap(), "satflow-demo-generate"),
                cluster.topics().scenes().keySerde().serializer(),
                cluster.topics().scenes().valueSerde().serializer())) {
            Progress progress = new Progress(console, "generate scenes", scenes);
            new ScenePublisher(producer, cluster.topics().scenes(), generator::generate, metrics.registry())
                    .publish(firstSeed, scenes, progress::update);
            progress.done();
        }
    }

    /** Waits for the evaluator to score every checkpoint the trainer wrote. */
    private static void awaitReports(List<EvalReport> reports, int expected, Thread evalThread,
            AtomicReference<Throwable> failure) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (reports.size() < expected) {
            if (failure.get() != null) {
                throw new IllegalStateException("evaluator failed: " + failure.get().getMessage(), failure.get());
            }
            if (!evalThread.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("evaluator scored " + reports.size() + " of " + expected
                        + " checkpoints");
            }
            Thread.sleep(200);
        }
    }

    private Path writeSummary(int scenes, long frames, Map<String, Long> byType, Map<String, Long> bySplit, long dead,
            TrainerService.Summary trained, EvalReport last, Map<String, Double> seconds, DatasetReport dataset,
            long framesBytes, long qaBytes) {
        ObjectNode root = JSON.createObjectNode();
        root.put("scenes", scenes);
        root.put("frames", frames);
        ObjectNode bytes = root.putObject("topic_bytes");
        bytes.put("frames", framesBytes);
        bytes.put("qa", qaBytes);
        bytes.put("qa_over_frames", framesBytes == 0 ? 0 : (double) qaBytes / framesBytes);
        // per type: question-only baselines (text; text with the named objects' categories) against chance
        ObjectNode blind = root.putObject("blind");
        var types = dataset.toJson().path("types");
        types.fieldNames().forEachRemaining(t -> {
            var n = types.path(t);
            ObjectNode o = blind.putObject(t);
            for (String k : List.of("blind", "blind_category", "blind_n", "chance", "blind_val_test", "blind_cv",
                    "blind_category_cv", "blind_cv_n", "blind_cv_noise")) {
                if (n.has(k)) {
                    o.set(k, n.get(k));
                }
            }
        });
        root.set("dataset", dataset.toJson());
        ObjectNode qa = root.putObject("qa");
        byType.forEach(qa::put);
        ObjectNode splits = root.putObject("qa_by_split");
        bySplit.forEach(splits::put);
        root.put("dead_letters", dead);
        root.put("train_steps", trained.steps());
        root.put("train_examples", trained.examples());
        root.put("train_samples_per_second", trained.samplesPerSecond());
        root.put("train_last_loss", trained.lastLoss());
        putEvaluation(root, last);
        ObjectNode wall = root.putObject("wall_seconds");
        seconds.forEach(wall::put);
        ObjectNode paths = root.putObject("paths");
        paths.put("out", out.toString());
        paths.put("checkpoints", out.resolve("checkpoints").toString());
        paths.put("reports", out.resolve("reports").toString());
        paths.put("gallery_frames", out.resolve("gallery/frames/index.html").toString());
        paths.put("gallery_questions", out.resolve("gallery/questions/index.html").toString());
        try {
            Files.createDirectories(out);
            Path file = out.resolve("summary.json");
            Files.writeString(file, JSON.writeValueAsString(root));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out.resolve("summary.json"), e);
        }
    }

    /**
     * The last checkpoint's scores: per-type maps {@code accuracy, circular_accuracy, chance, majority}
     * (= {@code answer_prior}), {@code heldout_phrasing_accuracy}, {@code eval_count}, and {@code types}: per
     * type (and {@code all}) every figure side by side, as in report.json ({@code accuracy, circular_accuracy,
     * chance, answer_prior, blind: {test: {text, category, n}, cv: {text, category, n, noise}},
     * heldout_phrasing_accuracy, seen_phrasing_accuracy}, ...).
     */
    static void putEvaluation(ObjectNode root, EvalReport last) {
        ObjectNode acc = root.putObject("accuracy");
        ObjectNode circular = root.putObject("circular_accuracy");
        ObjectNode chance = root.putObject("chance");
        ObjectNode majority = root.putObject("majority");
        ObjectNode prior = root.putObject("answer_prior");
        ObjectNode heldOut = root.putObject("heldout_phrasing_accuracy");
        ObjectNode evalCount = root.putObject("eval_count");
        ObjectNode types = root.putObject("types");
        if (last == null) {
            return;
        }
        for (TypeScore s : last.getScores()) {
            String t = s.getQuestionType();
            acc.put(t, s.getAccuracy());
            putFloat(circular, t, s.getCircularAccuracy());
            chance.put(t, s.getChance());
            majority.put(t, s.getMajority());
            prior.put(t, s.getMajority());
            putFloat(heldOut, t, s.getHeldOutPhrasingAccuracy());
            evalCount.put(t, s.getCount());
            types.set(t, ReportWriter.toJson(s));
        }
        if (last.getOverall() != null) {
            types.set("all", ReportWriter.toJson(last.getOverall()));
        }
        root.put("accuracy_all", last.getAccuracy());
        putFloat(root, "circular_accuracy_all", last.getCircularAccuracy());
        root.put("chance_all", last.getChance());
        root.put("eval_split", last.getSplit());
        root.put("eval_seconds", last.getEvalSeconds());
        root.put("blind_records", last.getBlindRecords());
        root.put("checkpoint", last.getCheckpointId());
        root.put("report", last.getReportPath());
    }

    private static void putFloat(ObjectNode o, String key, Float v) {
        if (v == null || v.isNaN()) {
            o.putNull(key);
        } else {
            o.put(key, v);
        }
    }

    private void print(Result r) {
        console.println();
        if (r.finalReport() != null) {
            console.print(ReportTable.format(r.finalReport()));
        } else {
            console.println("no checkpoint was evaluated");
        }
        console.println();
        console.printf(Locale.ROOT, "scenes %d, frames %d, questions %d, dead letters %d, train steps %d%n", r.scenes(),
                r.frames(), r.qaByType().values().stream().mapToLong(Long::longValue).sum(), r.deadLetters(),
                r.trainSteps());
        console.printf(Locale.ROOT, "topics:      frames %s, qa %s (%.1f %% of frames: questions reference frames)%n",
                TopicSizes.human(r.framesBytes()), TopicSizes.human(r.qaBytes()),
                r.framesBytes() == 0 ? 0 : 100.0 * r.qaBytes() / r.framesBytes());
        StringBuilder times = new StringBuilder("wall time (s):");
        r.stageSeconds().forEach((k, v) -> times.append(String.format(Locale.ROOT, " %s %.1f", k, v)));
        console.println(times);
        console.println("summary:     " + r.summary());
        if (r.finalReport() != null) {
            console.println("report:      " + r.finalReport().getReportPath());
        }
        console.println("checkpoints: " + out.resolve("checkpoints"));
        console.println("gallery:     " + out.resolve("gallery/frames/index.html") + ", "
                + out.resolve("gallery/questions/index.html"));
    }

    private static double secondsSince(long t0) {
        return Math.round((System.nanoTime() - t0) / 1e7) / 100.0;
    }
}
