package dev.satflow.ops.bench;

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
                + "renderer, scaling) and train (full step vs pure forward/backward). Writes BENCHMARKS.md.")
public final class BenchCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "STAGE", description = "render, train or all (default all).")
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
        if (!List.of("render", "train", "all").contains(stage)) {
            throw new IllegalArgumentException("stage = '" + stage + "': expected render, train or all");
        }
        ObjectNode root = JSON.createObjectNode();
        StringBuilder md = new StringBuilder("# satflow benchmarks\n\nWritten by `./satflow bench` on "
                + LocalDate.now() + ", " + Runtime.getRuntime().availableProcessors() + " cores. Figures are medians "
                + "of repeated runs measured side by side in one process; compare ratios, not absolute times.\n");
        if (!stage.equals("train")) {
            RenderPipelineBench.Settings d = RenderPipelineBench.Settings.defaults();
            RenderPipelineBench.Settings s = scenes == null ? d
                    : new RenderPipelineBench.Settings(d.sizes(), scenes, d.warmupScenes(), d.floorRuns(),
                            d.scalingSize());
            RenderPipelineBench.Result r = new RenderPipelineBench(s, line -> System.err.println("[bench] " + line))
                    .run();
            render(r, root, md);
        }
        if (!stage.equals("render")) {
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
        Files.writeString(markdown, md.toString());
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

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
