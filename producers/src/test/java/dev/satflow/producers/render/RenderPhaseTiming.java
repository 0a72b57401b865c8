package dev.satflow.producers.render;

import dev.satflow.producers.generate.GeneratorSettings;
import dev.satflow.producers.generate.SceneGenerator;
import dev.satflow.schema.SceneSpec;
import dev.satflow.schema.View;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Not a test (no assertion, not picked up by surefire): per-frame milliseconds of each phase of
 * floor 2 on generated scenes (the specs `satflow bench render` uses), single-threaded, medians
 * over rounds. Run with the test classpath:
 * {@code java -cp ... dev.satflow.producers.render.RenderPhaseTiming [size scenes rounds]}.
 */
public final class RenderPhaseTiming {
    private RenderPhaseTiming() {}

    public static void main(String[] args) {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 512;
        int scenes = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        GeneratorSettings d = GeneratorSettings.defaults();
        SceneGenerator g = new SceneGenerator(new GeneratorSettings(d.minObjects(), d.maxObjects(),
                d.cameraCandidates(), d.pitchDeg(), d.fovDeg(), size, size, "png", true, d.valFraction(),
                d.testFraction()));
        List<SceneSpec> specs = new ArrayList<>();
        for (int i = 0; i < scenes; i++) {
            specs.add(g.generate(10_000 + i));
        }
        int frames = specs.stream().mapToInt(s -> s.getViews().size()).sum();
        String[] names = {"draw + readback (floor 1's work)", "draw + coverage + readback + annotate + RGB",
            "  annotate (again, same buffers)", "  RGB image (again)", "PNG encode (1 thread)",
            "floor 1 (drawAndReadOnly)", "floor 2 (renderScene)"};
        // wall and process CPU (GL's own threads included) per phase: [phase][round]
        double[][] wall = new double[names.length][rounds];
        double[][] cpuMs = new double[names.length][rounds];
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        try (RenderWorker worker = new RenderWorker(RenderOptions.defaults())) {
            SceneRenderer r = worker.renderer();
            OffscreenTarget t = r.target();
            Annotator.Scratch scratch = new Annotator.Scratch();
            for (int round = -1; round < rounds; round++) { // round -1: warm-up
                long[] ns = new long[names.length];
                long[] cpu = new long[names.length];
                List<RawFrame> raws = new ArrayList<>();
                for (SceneSpec spec : specs) {
                    SceneModel scene = r.prepare(spec);
                    int[] ids = scene.objects().stream().mapToInt(o -> o.getId()).toArray();
                    for (View view : spec.getViews()) {
                        r.drawAndRead(scene, view); // the view's shadow map, so neither timed pass draws it
                        long[] w = new long[5];
                        long[] c = new long[5];
                        w[0] = System.nanoTime();
                        c[0] = os.getProcessCpuTime();
                        r.drawAndRead(scene, view);
                        w[1] = System.nanoTime();
                        c[1] = os.getProcessCpuTime();
                        SceneRenderer.Drawn drawn = r.drawAnnotated(scene, view);
                        w[2] = System.nanoTime();
                        c[2] = os.getProcessCpuTime();
                        long[] alone = drawn.annotations().stream().mapToLong(a -> a.getUnoccludedPixels()).toArray();
                        Annotator.annotate(t.width(), t.height(), t.ids(), t.depth(), ids, alone, scratch);
                        w[3] = System.nanoTime();
                        c[3] = os.getProcessCpuTime();
                        t.rgbTopDown();
                        w[4] = System.nanoTime();
                        c[4] = os.getProcessCpuTime();
                        for (int i = 0; i < 4; i++) {
                            ns[i] += w[i + 1] - w[i];
                            cpu[i] += c[i + 1] - c[i];
                        }
                        raws.add(new RawFrame(view.getViewId(), drawn.camera(), t.width(), t.height(),
                                drawn.rgbTopDown(), drawn.annotations(), 0));
                    }
                }
                List<Runnable> whole = List.of(
                        () -> raws.forEach(f -> worker.encode("png", f)),
                        () -> specs.forEach(worker::drawAndReadOnly),
                        () -> specs.forEach(worker::renderScene));
                for (int i = 0; i < whole.size(); i++) {
                    long c0 = os.getProcessCpuTime();
                    long w0 = System.nanoTime();
                    whole.get(i).run();
                    ns[4 + i] = System.nanoTime() - w0;
                    cpu[4 + i] = os.getProcessCpuTime() - c0;
                }
                if (round >= 0) {
                    for (int i = 0; i < names.length; i++) {
                        wall[i][round] = ns[i] / 1e6 / frames;
                        cpuMs[i][round] = cpu[i] / 1e6 / frames;
                    }
                }
            }
        }
        System.out.printf("%d², %d scenes, %d frames, medians of %d rounds, ms per frame%n", size, scenes, frames,
                rounds);
        System.out.printf("%-48s %8s %8s%n", "phase", "wall", "CPU");
        for (int i = 0; i < names.length; i++) {
            System.out.printf("%-48s %8.2f %8.2f%n", names[i], median(wall[i]), median(cpuMs[i]));
        }
        System.out.printf("floor 2 / floor 1 (fps): %.3f%n", median(wall[5]) / median(wall[6]));
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
