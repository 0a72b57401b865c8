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
        String[] names = {"draw + readback (floor 1)", "draw + coverage + readback + annotate + copy",
            "  annotate alone", "  rgb copy alone", "encode alone (1 thread)",
            "floor 1 (drawAndReadOnly per scene)", "floor 2 (renderScene)", "  floor 1 process CPU",
            "  floor 2 process CPU"};
        double[][] ms = new double[names.length][rounds];
        com.sun.management.OperatingSystemMXBean cpu = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        try (RenderWorker worker = new RenderWorker(RenderOptions.defaults())) {
            SceneRenderer r = worker.renderer();
            OffscreenTarget t = r.target();
            Annotator.Scratch scratch = new Annotator.Scratch();
            for (int round = -1; round < rounds; round++) { // round -1: warm-up
                long[] ns = new long[names.length];
                List<RawFrame> raws = new ArrayList<>();
                for (SceneSpec spec : specs) {
                    SceneModel scene = r.prepare(spec);
                    int[] ids = scene.objects().stream().mapToInt(o -> o.getId()).toArray();
                    for (View view : spec.getViews()) {
                        r.drawAndRead(scene, view); // the view's shadow map, so neither timed pass draws it
                        long t0 = System.nanoTime();
                        r.drawAndRead(scene, view);
                        long t1 = System.nanoTime();
                        SceneRenderer.Drawn drawn = r.drawAnnotated(scene, view);
                        long t2 = System.nanoTime();
                        long[] alone = drawn.annotations().stream().mapToLong(a -> a.getUnoccludedPixels()).toArray();
                        Annotator.annotate(t.width(), t.height(), t.ids(), t.depth(), ids, alone, scratch);
                        long t3 = System.nanoTime();
                        t.rgbTopDown();
                        long t4 = System.nanoTime();
                        ns[0] += t1 - t0;
                        ns[1] += t2 - t1;
                        ns[2] += t3 - t2;
                        ns[3] += t4 - t3;
                        raws.add(new RawFrame(view.getViewId(), drawn.camera(), t.width(), t.height(),
                                drawn.rgbTopDown(), drawn.annotations(), 0));
                    }
                }
                long e0 = System.nanoTime();
                for (RawFrame f : raws) {
                    worker.encode("png", f);
                }
                ns[4] = System.nanoTime() - e0;
                long c0 = cpu.getProcessCpuTime();
                long s0 = System.nanoTime();
                specs.forEach(worker::drawAndReadOnly);
                ns[5] = System.nanoTime() - s0;
                long c1 = cpu.getProcessCpuTime();
                s0 = System.nanoTime();
                specs.forEach(worker::renderScene);
                ns[6] = System.nanoTime() - s0;
                ns[7] = c1 - c0;
                ns[8] = cpu.getProcessCpuTime() - c1;
                if (round >= 0) {
                    for (int i = 0; i < names.length; i++) {
                        ms[i][round] = ns[i] / 1e6 / frames;
                    }
                }
            }
        }
        System.out.printf("%d², %d scenes, %d frames, medians of %d rounds (ms/frame)%n", size, scenes, frames, rounds);
        for (int i = 0; i < names.length; i++) {
            double[] v = ms[i].clone();
            Arrays.sort(v);
            System.out.printf("%-48s %8.2f%n", names[i], v[v.length / 2]);
        }
    }
}
