package dev.satflow.ops.bench;

import dev.satflow.core.config.ConfigException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.satflow.ops.stages.TopicSizes;
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
                + "renderer, scaling), qa (the QA topology vs an exactly-once copy of its input) train (full step "
                + "vs pure forward/backward), export, and scale (the whole pipeline at 500/1000/2000 scenes, "
                + "extrapolated to 20K). Writes BENCHMARKS.md (a single stage replaces its own section).")
public final class BenchCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "STAGE",
            description = "render, qa, export, train, scale or all (default all; scale is not in all: it runs for "
                    + "tens of minutes).")
    String stage = "all";

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON.")
    Path json;

    @Option(names = "--markdown", paramLabel = "FILE", description = "Markdown report (default BENCHMARKS.md).")
    Path markdown = Path.of("BENCHMARKS.md");

    @Option(names = "--scenes", paramLabel = "N", description = "Scenes per render run after warm-up (default 40).")
    Integer scenes;

    @Option(names = "--scales", paramLabel = "N,N,...", split = ",",
            description = "Scene counts of the scale runs (default 500,1000,2000).")
    List<Integer> scales;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public Integer call() throws Exception {
        if (!List.of("render", "qa", "export", "train", "scale", "all").contains(stage)) {
            throw new ConfigException("stage = '" + stage
                    + "': expected render, qa, export, train, scale or all");
        }
        if (scales != null && (scales.size() < 2 || scales.stream().anyMatch(n -> n < 1))) {
            throw new ConfigException("--scales = " + scales + ": expected two or more positive scene counts");
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
            TrainerBench.Config d = TrainerBench.Config.defaults();
            md.append(String.format(Locale.ROOT, "%n## Trainer%n%nBatch %d from %d² PNGs (the renderer's default frames), "
                    + "%d timed steps, the grounded model. Pure = forward/backward on ready tensors; full = decode PNG + "
                    + "resample + tokenise + assemble + step, every image decoded; warm = the same with every image in "
                    + "the trainer's decoded-image cache (a question trained on again: the next pass, a rehearsal). "
                    + "Peak RSS is the process's high-water mark after the size's run.%n%n| input | parameters | "
                    + "pure samples/s | full samples/s | ms/step pure / full / warm | **full / pure** | **warm / pure** | "
                    + "assemble ms | peak RSS |%n|---|---|---|---|---|---|---|---|---|%n", d.batchSize(),
                    512, d.timedSteps()));
            ArrayNode trains = root.putArray("train");
            for (int size : List.of(64, 128)) {
                TrainerBench.Result t = TrainerBench.run(new TrainerBench.Config(size, 512, d.batchSize(),
                        d.warmupSteps(), d.timedSteps(), d.dynamicFraction(), d.seed()));
                long rss = peakRssBytes();
                ObjectNode n = (ObjectNode) JSON.readTree(t.toJson());
                n.put("peak_rss_bytes", rss);
                trains.add(n);
                md.append(String.format(Locale.ROOT, "| %d² | %d | %.0f | %.0f | %.1f / %.1f / %.1f | **%.2f** | **%.2f** | "
                        + "%.1f | %.2f GB |%n", size, t.parameters(), t.pureSamplesPerSecond(), t.fullSamplesPerSecond(),
                        t.pureMillisMedian(), t.fullMillisMedian(), t.warmFullMillisMedian(), t.fullToPureRatio(),
                        t.warmFullToPureRatio(), t.assembleMillisMedian(), rss / 1e9));
            }
        }
        if (stage.equals("scale")) {
            ScaleBench.Settings d = ScaleBench.Settings.defaults();
            ScaleBench.Result r = new ScaleBench(scales == null ? d
                    : new ScaleBench.Settings(scales.stream().sorted().toList(), d.floorScenes(), d.floorRuns(),
                            d.childHeap()), line -> System.err.println("[bench] " + line)).run();
            scale(r, root, md);
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

    private static void scale(ScaleBench.Result r, ObjectNode root, StringBuilder md) {
        ObjectNode n = root.putObject("scale");
        n.put("floor_fps", round(r.floorFps()));
        n.put("encoded_floor_fps", round(r.encodedFloorFps()));
        n.put("growth", round(r.growth()));
        n.put("minutes_for_20k", round(r.minutesFor20k()));
        n.put("minutes_for_20k_fitted", round(r.minutesFor20kFitted()));
        n.put("startup_seconds_fitted", round(r.fit()[0]));
        n.put("seconds_per_scene_fitted", round(r.fit()[1]));
        n.put("pipeline_over_floor", round(r.pipelineOverFloor()));
        md.append(String.format(Locale.ROOT, "%n## Scale%n%nThe pipeline as a user runs it: a fresh embedded stack per "
                + "run and three processes started together (`generate --scenes N`, `render --max-scenes N`, `qa`), "
                + "%d², all episode kinds, timed until the QA processor has committed every scene and frame. Peak RSS "
                + "is each process's high-water mark (VmHWM); CPU is each process's user + system time per frame "
                + "(broker: the embedded Kafka broker and registry in the bench process). Render floor measured in the same run, `%s`: draw + read "
                + "back %.1f fps, + annotations and PNG encoding %.1f fps.%n%n"
                + "| scenes | frames | questions | wall s | s/scene | fps | generate scenes/s | render fps | "
                + "qa questions/s | RSS generate / render / qa | CPU ms/frame generate / render / qa / broker | "
                + "frames topic | qa topic |%n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|%n", r.size(), r.glRenderer(), r.floorFps(),
                r.encodedFloorFps()));
        ArrayNode rows = n.putArray("runs");
        for (ScaleBench.Run run : r.runs()) {
            ObjectNode row = rows.addObject();
            row.put("scenes", run.scenes());
            row.put("frames", run.frames());
            row.put("questions", run.questions());
            row.put("wall_seconds", round(run.wallSeconds()));
            ObjectNode stages = row.putObject("stages");
            StringBuilder rss = new StringBuilder();
            StringBuilder cpu = new StringBuilder();
            row.put("broker_cpu_seconds", round(run.brokerCpuSeconds()));
            for (ScaleBench.Stage s : run.stages()) {
                ObjectNode st = stages.putObject(s.name());
                st.put("wall_seconds", round(s.wallSeconds()));
                st.put("per_second", round(s.perSecond()));
                st.put("unit", s.unit());
                st.put("peak_rss_bytes", s.peakRssBytes());
                st.put("cpu_seconds", round(s.cpuSeconds()));
                rss.append(rss.isEmpty() ? "" : " / ").append(String.format(Locale.ROOT, "%.2f", s.peakRssBytes() / 1e9));
                cpu.append(String.format(Locale.ROOT, "%.1f / ", 1e3 * s.cpuSeconds() / run.frames()));
            }
            cpu.append(String.format(Locale.ROOT, "%.1f", 1e3 * run.brokerCpuSeconds() / run.frames()));
            ObjectNode bytes = row.putObject("topic_bytes");
            run.topicBytes().forEach(bytes::put);
            List<Long> sizes = List.copyOf(run.topicBytes().values());
            md.append(String.format(Locale.ROOT, "| %d | %d | %d | %.0f | %.3f | %.1f | %.1f | %.1f | %.0f | %s GB | %s | %s | %s |%n",
                    run.scenes(), run.frames(), run.questions(), run.wallSeconds(), run.secondsPerScene(),
                    run.framesPerSecond(), run.stages().get(0).perSecond(), run.stages().get(1).perSecond(),
                    run.stages().get(2).perSecond(), rss, cpu, TopicSizes.human(sizes.get(1)), TopicSizes.human(sizes.get(2))));
        }
        ScaleBench.Run last = r.runs().get(r.runs().size() - 1);
        md.append(String.format(Locale.ROOT, "%nSeconds per scene at %d over %d scenes: **%.2f** (1.00 = linear). "
                + "End to end at %d scenes: %.1f fps = **%.2f** of the encoded render floor. 20,000 scenes at that rate: "
                + "**%.0f min** on %d cores. A line through all runs: %.0f s of start-up + %.4f s per scene, "
                + "so 20,000 scenes in %.0f min.%n", last.scenes(), r.runs().get(0).scenes(), r.growth(), last.scenes(),
                last.framesPerSecond(), r.pipelineOverFloor(), r.minutesFor20k(), r.cores(), r.fit()[0], r.fit()[1],
                r.minutesFor20kFitted()));
    }

    /** The process's peak resident set (VmHWM), bytes; 0 where /proc is not there. */
    static long peakRssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
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
