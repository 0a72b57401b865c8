package dev.satflow.ops.bench;

import dev.satflow.core.config.ConfigException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.satflow.trainer.TrainerBench;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Measures each stage against its floor in one run and writes the figures as Markdown and JSON. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark stages against their floors in the same run: render (floors vs the Kafka "
                + "renderer, scaling), qa (the QA topology vs an exactly-once copy of its input) and train (full step "
                + "vs pure forward/backward). Writes BENCHMARKS.md (a single stage replaces its own section).")
public final class BenchCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "STAGE",
            description = "render, qa, export, train or all (default all).")
    String stage = "all";

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON.")
    Path json;

    @Option(names = "--markdown", paramLabel = "FILE", description = "Markdown report (default BENCHMARKS.md).")
    Path markdown = Path.of("BENCHMARKS.md");

    @Option(names = "--scenes", paramLabel = "N", description = "Scenes per render run after warm-up (default 40).")
    Integer scenes;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public Integer call() throws Exception {
        if (!List.of("render", "qa", "export", "train", "all").contains(stage)) {
            throw new ConfigException("stage = '" + stage + "': expected render, qa, export, train or all");
        }
        ObjectNode root = JSON.createObjectNode();
        StringBuilder md = new StringBuilder("# satflow benchmarks\n\nWritten by `./satflow bench` on "
                + LocalDate.now() + ", " + Runtime.getRuntime().availableProcessors() + " cores. Figures are medians "
                + "of repeated runs measured side by side in one process; compare ratios, not absolute times.\n");
        if (stage.equals("all") || stage.equals("render")) {
            RenderPipelineBench.Settings d = RenderPipelineBench.Settings.defaults();
            RenderPipelineBench.Settings s = scenes == null ? d
                    : new RenderPipelineBench.Settings(d.sizes(), scenes, d.warmupScenes(), d.floorRuns(),
                            d.scalingSize());
            RenderPipelineBench.Result r = new RenderPipelineBench(s, line -> System.err.println("[bench] " + line))
                    .run();
            render(r, root, md);
        }
        if (stage.equals("all") || stage.equals("qa")) {
            QaPipelineBench.Result q = new QaPipelineBench(QaPipelineBench.Settings.defaults(),
                    line -> System.err.println("[bench] " + line)).run();
            ObjectNode n = root.putObject("qa");
            n.put("input_records", q.inputRecords());
            n.put("questions", q.questions());
            n.put("floor_records_per_second", round(q.floorRecordsPerSecond()));
            n.put("qa_records_per_second", round(q.qaRecordsPerSecond()));
            n.put("questions_per_second", round(q.questionsPerSecond()));
            n.put("ratio", round(q.ratio()));
            md.append(String.format(Locale.ROOT, "%n## QA processor%n%n%d scenes at 256² (%d input records: specs and "
                    + "frames, %.0f MB), %d questions. Floor = a transactional consume-produce loop copying every input "
                    + "record (one transaction per poll, offsets in it); qa = the QA topology (exactly_once_v2, one "
                    + "thread) from a fresh application id until every input record is committed.%n%n"
                    + "| floor | input records/s | questions/s |%n|---|---|---|%n"
                    + "| exactly-once copy of the input | %.0f | - |%n| QA topology | %.0f | %.0f |%n%n"
                    + "**qa / floor = %.2f**%n", q.scenes(), q.inputRecords(), q.inputBytes() / 1e6, q.questions(),
                    q.floorRecordsPerSecond(), q.qaRecordsPerSecond(), q.questionsPerSecond(), q.ratio()));
        }
        if (stage.equals("all") || stage.equals("export")) {
            ExportBench.Result e = new ExportBench(ExportBench.Settings.defaults(),
                    line -> System.err.println("[bench] " + line)).run();
            ObjectNode n = root.putObject("export");
            n.put("questions", e.questions());
            n.put("floor_questions_per_second", round(e.floor().questionsPerSecond()));
            md.append(String.format(Locale.ROOT, "%n## Export%n%n%d questions from %d scenes at 512² (%.0f MB of marked "
                    + "PNGs per pass). Floor = read the QA topic and resolve every question's frames with the marks "
                    + "drawn, writing nothing; each format does that and writes its files.%n%n"
                    + "| | questions/s | MB/s of images | vs floor |%n|---|---|---|---|%n| %s | %.0f | %.0f | 1.00 |%n",
                    e.questions(), e.scenes(), e.imageBytes() / 1e6, e.floor().name(), e.floor().questionsPerSecond(),
                    e.floor().megabytesPerSecond()));
            for (ExportBench.Row r : e.formats()) {
                n.put(r.name() + "_questions_per_second", round(r.questionsPerSecond()));
                md.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | **%.2f** |%n", r.name(),
                        r.questionsPerSecond(), r.megabytesPerSecond(),
                        r.questionsPerSecond() / e.floor().questionsPerSecond()));
            }
        }
        if (stage.equals("all") || stage.equals("train")) {
            TrainerBench.Result t = TrainerBench.run(TrainerBench.Config.defaults());
            root.set("train", JSON.readTree(t.toJson()));
            md.append(String.format(Locale.ROOT, "%n## Trainer%n%nBatch %d, %d² model input from %d² PNGs, %d timed "
                    + "steps, %d parameters, %d libtorch threads.%n%n| floor | samples/s | ms/step |%n|---|---|---|%n"
                    + "| pure forward/backward on ready tensors | %.0f | %.2f |%n| full step (decode PNG + tokenise + "
                    + "assemble + step) | %.0f | %.2f |%n%n**full / pure = %.2f**; assembling a batch alone takes "
                    + "%.2f ms.%n", t.config().batchSize(), t.config().imageSize(), t.config().sourceImageSize(),
                    t.config().timedSteps(), t.parameters(), t.libtorchThreads(), t.pureSamplesPerSecond(),
                    t.pureMillisMedian(), t.fullSamplesPerSecond(), t.fullMillisMedian(), t.fullToPureRatio(),
                    t.assembleMillisMedian()));
        }
        String text = stage.equals("all") || !Files.exists(markdown) ? md.toString()
                : replaceSections(Files.readString(markdown), md.toString());
        Files.writeString(markdown, text);
        System.out.print(md);
        if (json != null) {
            Files.writeString(json, JSON.writeValueAsString(root));
        }
        return 0;
    }

    private static void render(RenderPipelineBench.Result r, ObjectNode root, StringBuilder md) {
        md.append(String.format(Locale.ROOT, "%n## Renderer%n%n`%s`, generated scenes (%.1f views each). Floor 1 = "
                + "draw + read back colour, id and depth; floor 2 = floor 1 + annotations + PNG encoding (off the GL "
                + "thread); pipeline = renderer consumers through Kafka, one transaction per poll, 1 worker.%n%n"
                + "| size | floor 1 fps | floor 2 fps | pipeline fps | pipeline / floor 2 | floor 2 / floor 1 |%n"
                + "|---|---|---|---|---|---|%n", r.glRenderer(), r.meanViewsPerScene()));
        for (RenderPipelineBench.SizeResult s : r.sizes()) {
            ObjectNode n = root.putObject("render_" + s.size());
            n.put("floor_fps", round(s.floorFps()));
            n.put("encoded_floor_fps", round(s.encodedFloorFps()));
            n.put("pipeline_fps", round(s.pipelineFps()));
            n.put("ratio", round(s.ratio()));
            n.put("encode_ratio", round(s.encodeRatio()));
            md.append(String.format(Locale.ROOT, "| %d² | %.1f | %.1f | %.1f | **%.2f** | **%.2f** |%n", s.size(),
                    s.floorFps(), s.encodedFloorFps(), s.pipelineFps(), s.ratio(), s.encodeRatio()));
        }
        ObjectNode scaling = root.putObject("scaling");
        scaling.put("cores", r.cores());
        ArrayNode rows = scaling.putArray("rows");
        md.append(String.format(Locale.ROOT, "%nScaling at 256², %d cores (one consumer group):%n%n"
                + "| processes | workers each | fps | vs 1×1 |%n|---|---|---|---|%n", r.cores()));
        double base = r.scaling().isEmpty() ? 1 : r.scaling().get(0).fps();
        for (RenderPipelineBench.ScalingRow row : r.scaling()) {
            ObjectNode n = rows.addObject();
            n.put("processes", row.processes());
            n.put("workers", row.workersPerProcess());
            n.put("fps", round(row.fps()));
            md.append(String.format(Locale.ROOT, "| %d | %d | %.1f | %.2f |%n", row.processes(),
                    row.workersPerProcess(), row.fps(), row.fps() / base));
        }
    }

    /** The old report with each "## " section of the new one put in place of its namesake (or appended). */
    static String replaceSections(String old, String fresh) {
        String out = old;
        for (String section : fresh.split("(?m)^(?=## )")) {
            if (!section.startsWith("## ")) {
                continue;
            }
            String heading = section.substring(0, section.indexOf('\n') + 1);
            int at = out.indexOf(heading);
            if (at < 0) {
                out = out.stripTrailing() + "\n\n" + section;
                continue;
            }
            int next = out.indexOf("\n## ", at + heading.length());
            out = out.substring(0, at) + section.stripTrailing() + "\n" + (next < 0 ? "" : out.substring(next));
        }
        return out;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
