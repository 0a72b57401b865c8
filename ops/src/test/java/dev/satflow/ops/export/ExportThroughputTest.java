package dev.satflow.ops.export;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.satflow.core.frames.QuestionImages;
import dev.satflow.schema.QaRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Throughput of each writer (no assertions on time): N questions with two ~60 KB PNGs each (prepared up front, no
 * marks to paint), written twice per format, the second run reported. Off unless
 * {@code -Dexport.bench=N}, e.g. {@code mvn -o -q -pl ops -am verify -Dtest=ExportThroughputTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dexport.bench=5000}.
 */
class ExportThroughputTest {
    @TempDir
    Path tmp;

    @Test
    void measure() throws Exception {
        int n = Integer.getInteger("export.bench", 0);
        assumeTrue(n > 0, "set -Dexport.bench=N to measure");
        List<byte[]> pool = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            pool.add(ExportFixtures.png(140, 1000 + i));   // 140x140 random RGB: ~59 KB, incompressible
        }
        List<ExportFixtures.Q> qs = new ArrayList<>(n);
        String[] splits = {"train", "train", "train", "val", "test"};
        for (int i = 0; i < n; i++) {
            String scene = "scene-" + i / 10;
            QaRecord q = ExportFixtures.record(scene, i / 10, "ego_movement", "How did the camera likely rotate"
                    + " when shooting the video? (question " + i + ")", List.of("rotated left", "rotated right"), i % 2,
                    List.of(new dev.satflow.schema.FrameRef(scene + "/v0", "t", 0, (long) i)), List.of())
                    .setQaId(scene + "/ego_movement/" + i).setSplit(splits[i % 5]).build();
            List<QuestionImages.Image> imgs = List.of(
                    new QuestionImages.Image(scene + "/v0", "png", pool.get((2 * i) % 64), List.of(), 0, null),
                    new QuestionImages.Image(scene + "/v1", "png", pool.get((2 * i + 1) % 64), List.of(), 1, null));
            qs.add(new ExportFixtures.Q(q, imgs));
        }
        long payload = qs.stream().flatMap(q -> q.images().stream()).mapToLong(im -> im.encoded().length).sum();
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                "%d questions x 2 images, image payload %.1f MB%n", n, payload / 1e6));
        for (Format f : Format.values()) {
            for (int run = 0; run < 2; run++) {
                Path dir = tmp.resolve(f.id() + "-" + run);
                sync();
                long t0 = System.nanoTime();
                Summary s = ExportFixtures.export(f, dir, Options.defaults(), qs);
                double sec = (System.nanoTime() - t0) / 1e9;
                sync();
                double synced = (System.nanoTime() - t0) / 1e9;
                report.append(String.format(Locale.ROOT, "%-12s run %d: %5.2f s %6.0f MB/s %6.0f q/s | with sync"
                        + " %5.2f s %6.0f MB/s %6.0f q/s  (%.1f MB, %d data files, %d images)%n", f.id(), run + 1,
                        sec, s.totalBytes() / 1e6 / sec, n / sec, synced, s.totalBytes() / 1e6 / synced, n / synced,
                        s.totalBytes() / 1e6, s.files().size(), s.images()));
                delete(dir);
                sync();
            }
        }
        System.out.print(report);
        Files.writeString(Path.of("target", "export-throughput.txt"), report.toString());
    }

    private static void sync() throws Exception {
        new ProcessBuilder("sync").inheritIO().start().waitFor();
    }

    private static void delete(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
