package dev.satflow.ops.bench;

import dev.satflow.contracts.Topics;
import dev.satflow.core.frames.KafkaFrameSource;
import dev.satflow.core.frames.QuestionImages;
import dev.satflow.embedded.LocalStack;
import dev.satflow.ops.export.DatasetWriter;
import dev.satflow.ops.export.DatasetWriters;
import dev.satflow.ops.export.Format;
import dev.satflow.ops.export.Options;
import dev.satflow.ops.export.PaintedImages;
import dev.satflow.ops.stages.GroupLag;
import dev.satflow.ops.stages.TopicScan;
import dev.satflow.qa.QaApp;
import dev.satflow.qa.QaTopology;
import dev.satflow.qa.questions.SatQuestionDeriver;
import dev.satflow.schema.QaRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Export throughput against its floor, in one run on the same topics: the floor reads the QA topic
 * and resolves every question's images with their marks drawn on every core (what any export must
 * do, and the same {@link PaintedImages} the command uses), writing nothing; each format then does the same and writes its files. Questions/s and MB/s of images,
 * medians of the runs.
 */
public final class ExportBench {
    public record Settings(int scenes, int size, int runs) {
        public static Settings defaults() {
            return new Settings(40, 512, 3);
        }
    }

    public record Row(String name, double questionsPerSecond, double megabytesPerSecond) {}

    public record Result(int scenes, long questions, long imageBytes, Row floor, List<Row> formats) {}

    private final Settings settings;
    private final Consumer<String> log;

    public ExportBench(Settings settings, Consumer<String> log) {
        this.settings = settings;
        this.log = log;
    }

    public Result run() {
        Path data;
        try {
            data = Files.createTempDirectory("satflow-bench-export-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (LocalStack stack = LocalStack.start(new LocalStack.Settings(data, 0, 0, 0, 4))) {
            Topics topics = stack.topics();
            String bootstrap = stack.bootstrapServers();
            QaPipelineBench.publish(bootstrap, topics, settings.scenes(), settings.size(), new long[1]);
            QaTopology.Options options = new QaTopology.Options(topics, SatQuestionDeriver.standard(),
                    Duration.ofHours(1), Duration.ofSeconds(10));
            try (QaApp app = new QaApp(new QaApp.Settings(bootstrap, "satflow-bench-export-qa", data.resolve("state"),
                    1), options).start(Duration.ofMinutes(2)); GroupLag lag = new GroupLag(bootstrap)) {
                while (lag.lag("satflow-bench-export-qa", List.of(topics.scenes().name(), topics.frames().name())) > 0) {
                    Thread.sleep(100);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            List<QaRecord> questions = TopicScan.values(bootstrap, topics.qa());
            log.accept(questions.size() + " questions from " + settings.scenes() + " scenes");
            long[] imageBytes = {0};
            double[] floor = new double[settings.runs()];
            Map<Format, double[]> rates = new LinkedHashMap<>();
            for (Format f : Format.values()) {
                rates.put(f, new double[settings.runs()]);
            }
            for (int run = 0; run < settings.runs(); run++) {
                imageBytes[0] = 0;
                floor[run] = questions.size() / pass(bootstrap, topics, questions, null, data, imageBytes);
                log.accept(String.format(java.util.Locale.ROOT, "run %d: floor %.0f questions/s", run + 1, floor[run]));
                for (Format f : Format.values()) {
                    rates.get(f)[run] = questions.size() / pass(bootstrap, topics, questions, f,
                            data.resolve("out-" + run + "-" + f.id()), new long[1]);
                    log.accept(String.format(java.util.Locale.ROOT, "run %d: %s %.0f questions/s", run + 1, f.id(),
                            rates.get(f)[run]));
                }
            }
            double mbPerQuestion = imageBytes[0] / 1e6 / questions.size();
            List<Row> rows = new ArrayList<>();
            rates.forEach((f, r) -> rows.add(new Row(f.id(), median(r), median(r) * mbPerQuestion)));
            return new Result(settings.scenes(), questions.size(), imageBytes[0],
                    new Row("read + resolve + draw marks", median(floor), median(floor) * mbPerQuestion), rows);
        }
    }

    /** Seconds to resolve every question's images (and write them, given a format). */
    private static double pass(String bootstrap, Topics topics, List<QaRecord> questions, Format format, Path out,
            long[] imageBytes) {
        long t0 = System.nanoTime();
        try (QuestionImages images = new QuestionImages(new KafkaFrameSource(bootstrap, topics.frames(),
                "satflow-bench-export-frames", 256L * 1024 * 1024));
                PaintedImages painter = new PaintedImages(images, Runtime.getRuntime().availableProcessors());
                DatasetWriter writer = format == null ? null : DatasetWriters.open(format, out, Options.defaults())) {
            for (int i = 0; i < questions.size(); i += 64) {
                List<QaRecord> chunk = questions.subList(i, Math.min(questions.size(), i + 64));
                for (PaintedImages.Resolved r : painter.paint(chunk)) {
                    if (writer == null) {
                        for (QuestionImages.Image img : r.images()) {
                            imageBytes[0] += img.png().length;
                        }
                    } else {
                        writer.write(r.question(), r.images());
                    }
                }
            }
            if (writer != null) {
                writer.finish();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
