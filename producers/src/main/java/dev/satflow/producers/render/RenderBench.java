package dev.satflow.producers.render;

import dev.satflow.producers.catalog.Catalog;
import dev.satflow.schema.SceneSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Renderer throughput on fixed specs (a room plus ten catalog objects, four views each), per size:
 * <ul>
 *   <li>floor 1: draw + read back colour, id and depth; nothing else;</li>
 *   <li>floor 1b: floor 1 + occlusion queries, annotations and the RGB copy (everything but encoding);</li>
 *   <li>floor 2: {@link RenderWorker#renderScene} exactly as the Kafka worker calls it, PNG (and JPEG);</li>
 * </ul>
 * plus the PNG encoder alone per row filter (size and time). Figures are medians over repeated runs.
 */
public final class RenderBench {

    /** What to measure. */
    public record Settings(List<Integer> sizes, int scenes, int runs, RenderOptions options) {
        public static Settings defaults() {
            return new Settings(List.of(256, 512), 8, 5, RenderOptions.defaults());
        }
    }

    /** Frames per second (median over runs) of one floor at one size. */
    public record Row(int size, String floor, double fps, double msPerFrame, long meanImageBytes) {}

    /** The PNG encoder alone on the rendered frames of one size. */
    public record EncoderRow(int size, String encoder, double msPerImage, long meanBytes, double ratio) {}

    public record Report(String glRenderer, int framesPerRun, List<Row> rows, List<EncoderRow> encoders) {
        public String table() {
            StringBuilder sb = new StringBuilder();
            sb.append("renderer: ").append(glRenderer).append(", ").append(framesPerRun)
                    .append(" frames per run, medians\n");
            sb.append(String.format(Locale.ROOT, "%-6s %-44s %10s %10s %12s%n", "size", "floor", "fps", "ms/frame",
                    "image bytes"));
            for (Row r : rows) {
                sb.append(String.format(Locale.ROOT, "%-6s %-44s %10.1f %10.2f %12s%n", r.size + "²", r.floor, r.fps,
                        r.msPerFrame, r.meanImageBytes > 0 ? Long.toString(r.meanImageBytes) : "-"));
            }
            sb.append(String.format(Locale.ROOT, "%n%-6s %-44s %10s %10s %12s%n", "size", "encoder (alone, 1 thread)",
                    "ms/image", "bytes", "bytes/raw"));
            for (EncoderRow e : encoders) {
                sb.append(String.format(Locale.ROOT, "%-6s %-44s %10.2f %10d %12.3f%n", e.size + "²", e.encoder,
                        e.msPerImage, e.meanBytes, e.ratio));
            }
            return sb.toString();
        }
    }

    private RenderBench() {}

    /** Runs the benchmark on the calling thread (it creates and closes its own GL context). */
    public static Report run(Settings settings) {
        List<Row> rows = new ArrayList<>();
        List<EncoderRow> encoders = new ArrayList<>();
        Catalog catalog = settings.options().catalog();
        String glRenderer;
        int framesPerRun = settings.scenes() * BenchScenes.VIEWS;
        try (RenderWorker worker = new RenderWorker(settings.options())) {
            glRenderer = worker.glRenderer();
            for (int size : settings.sizes()) {
                List<SceneSpec> png = BenchScenes.build(catalog, settings.scenes(), size, size, "png", 42);
                List<SceneSpec> jpeg = BenchScenes.build(catalog, settings.scenes(), size, size, "jpeg", 42);
                rows.add(measure(size, "1  draw + readback (colour, id, depth)", settings.runs(), framesPerRun,
                        png, worker::drawAndReadOnly, null));
                rows.add(measure(size, "1b + occlusion queries + annotations + copy", settings.runs(), framesPerRun,
                        png, worker::renderSceneUnencoded, null));
                long[] pngBytes = new long[1];
                rows.add(measure(size, "2  renderScene -> Frames, PNG", settings.runs(), framesPerRun, png,
                        spec -> worker.renderScene(spec).forEach(f -> pngBytes[0] += f.getImage().remaining()),
                        pngBytes));
                long[] jpegBytes = new long[1];
                rows.add(measure(size, "2j renderScene -> Frames, JPEG q" + settings.options().jpegQuality(),
                        settings.runs(), framesPerRun, jpeg,
                        spec -> worker.renderScene(spec).forEach(f -> jpegBytes[0] += f.getImage().remaining()),
                        jpegBytes));
                encoders.addAll(encoderRows(worker, png, size, settings.runs()));
            }
        }
        return new Report(glRenderer, framesPerRun, rows, encoders);
    }

    /** The two floors of the Kafka renderer, measured on the caller's specs (frames per second, medians). */
    public record Floors(double drawReadbackFps, double encodedFps, int framesPerRun) {
        /** Encoded floor over the draw + readback floor: what encoding leaves of the raw render rate. */
        public double encodeRatio() {
            return encodedFps / drawReadbackFps;
        }
    }

    /**
     * Floor 1 (draw + read back colour, id and depth) and floor 2 ({@link RenderWorker#renderScene}: annotations
     * and image encoding too, exactly as a Kafka render worker calls it) on the same specs, no Kafka.
     */
    public static Floors floors(RenderWorker worker, List<SceneSpec> specs, int runs) {
        int frames = specs.stream().mapToInt(s -> s.getViews().size()).sum();
        double raw = measure(0, "1", runs, frames, specs, worker::drawAndReadOnly, null).fps();
        double encoded = measure(0, "2", runs, frames, specs, worker::renderScene, null).fps();
        return new Floors(raw, encoded, frames);
    }

    private static Row measure(int size, String floor, int runs, int framesPerRun, List<SceneSpec> specs,
            Consumer<SceneSpec> renderOne, long[] bytesCounter) {
        specs.forEach(renderOne); // warm-up: JIT, shader variants, buffer sizes
        if (bytesCounter != null) {
            bytesCounter[0] = 0;
        }
        double[] seconds = new double[runs];
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            specs.forEach(renderOne);
            seconds[r] = (System.nanoTime() - t0) / 1e9;
        }
        double median = median(seconds);
        long meanBytes = bytesCounter == null ? 0 : bytesCounter[0] / ((long) runs * framesPerRun);
        return new Row(size, floor, framesPerRun / median, median * 1000 / framesPerRun, meanBytes);
    }

    private static List<EncoderRow> encoderRows(RenderWorker worker, List<SceneSpec> specs, int size, int runs) {
        List<RawFrame> frames = new ArrayList<>();
        specs.forEach(s -> frames.addAll(worker.renderSceneUnencoded(s)));
        long raw = (long) size * size * 3;
        List<EncoderRow> out = new ArrayList<>();
        for (int level : new int[] {1, 6}) {
            for (PngEncoder.Filter filter : PngEncoder.Filter.values()) {
                PngEncoder enc = new PngEncoder(level, filter);
                frames.forEach(f -> enc.encode(f.rgb(), f.width(), f.height()));
                double[] ms = new double[runs];
                long bytes = 0;
                for (int r = 0; r < runs; r++) {
                    long t0 = System.nanoTime();
                    bytes = 0;
                    for (RawFrame f : frames) {
                        bytes += enc.encode(f.rgb(), f.width(), f.height()).length;
                    }
                    ms[r] = (System.nanoTime() - t0) / 1e6 / frames.size();
                }
                long mean = bytes / frames.size();
                out.add(new EncoderRow(size, enc.toString(), median(ms), mean, (double) mean / raw));
            }
        }
        ImageEncoder jpeg = new ImageEncoder(new PngEncoder(1, PngEncoder.Filter.UP), 0.9f);
        frames.forEach(f -> jpeg.encode("jpeg", f.rgb(), f.width(), f.height()));
        double[] ms = new double[runs];
        long bytes = 0;
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            bytes = 0;
            for (RawFrame f : frames) {
                bytes += jpeg.encode("jpeg", f.rgb(), f.width(), f.height()).length;
            }
            ms[r] = (System.nanoTime() - t0) / 1e6 / frames.size();
        }
        out.add(new EncoderRow(size, "JPEG (ImageIO, q0.9)", median(ms), bytes / frames.size(),
                (double) bytes / frames.size() / raw));
        return out;
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** {@code RenderBench [scenes] [runs]}: prints the table. */
    public static void main(String[] args) {
        Settings d = Settings.defaults();
        int scenes = args.length > 0 ? Integer.parseInt(args[0]) : d.scenes();
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : d.runs();
        Report report = run(new Settings(d.sizes(), scenes, runs, d.options()));
        System.out.print(report.table());
    }
}
