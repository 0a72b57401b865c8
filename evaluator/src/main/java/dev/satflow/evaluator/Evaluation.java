package dev.satflow.evaluator;

import dev.satflow.core.frames.QuestionImages;
import dev.satflow.schema.EvalReport;
import dev.satflow.schema.QaRecord;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * One checkpoint scored on held-out questions, without Kafka: streams the questions through a
 * {@link CircularScorer} (images resolved a chunk at a time), adds them up on a {@link Scoreboard},
 * picks the {@link MistakeGallery}, and writes the reports. The evaluator service runs one per
 * checkpoint; tests run it with any {@link ChoicePredictor} and frame source.
 */
public final class Evaluation {
    /** What is scored: a checkpoint's name, run and step. */
    public record Target(String checkpointId, String runId, long step) {}

    /**
     * @param chunk   questions resolved and predicted together (bounds the images held)
     * @param gallery cards per type in the report
     */
    public record Options(int chunk, MistakeGallery.Limits gallery) {
        public static final Options DEFAULT = new Options(CircularScorer.DEFAULT_CHUNK, MistakeGallery.Limits.DEFAULT);
    }

    /** The report (with {@code reportPath} and {@code evalSeconds} set), what was held, and the gallery. */
    public record Result(EvalReport report, CircularScorer.Held held, MistakeGallery gallery) {}

    private Evaluation() {}

    /**
     * @param reportsRoot where {@code <checkpointId>/report.{html,json}} and {@code index.html} go; null
     *                    writes nothing
     */
    public static Result run(Target target, String split, Iterable<QaRecord> questions, QuestionImages images,
            ChoicePredictor predictor, BlindReference blind, Path reportsRoot, Options options,
            CircularScorer.Unresolved unresolved, long nowMs) {
        return run(target, split, questions, images, predictor, blind, reportsRoot, options, unresolved, nowMs,
                () -> ReportWriter.Extra.NONE);
    }

    /**
     * As above; {@code extra} is asked for once every question is scored, for what the caller adds to the report
     * (an external dataset's description and the rows it left out).
     */
    public static Result run(Target target, String split, Iterable<QaRecord> questions, QuestionImages images,
            ChoicePredictor predictor, BlindReference blind, Path reportsRoot, Options options,
            CircularScorer.Unresolved unresolved, long nowMs, Supplier<ReportWriter.Extra> extra) {
        long t0 = System.nanoTime();
        Scoreboard board = new Scoreboard();
        MistakeGallery gallery = new MistakeGallery(reportsRoot == null ? null
                : reportsRoot.resolve(ReportWriter.IMAGES), options.gallery());
        CircularScorer.Held held = new CircularScorer(images, options.chunk()).score(questions, predictor,
                (q, im, o) -> {
                    board.add(q, o);
                    gallery.scored(q, im, o);
                }, unresolved);
        EvalReport report = board.report(target.checkpointId(), target.runId(), target.step(), split, blind, nowMs);
        report.setEvalSeconds((float) ((System.nanoTime() - t0) / 1e9));
        if (reportsRoot != null) {
            Path html = ReportWriter.write(reportsRoot, report, gallery, held, options.chunk(), extra.get());
            report.setReportPath(html.toString());
        }
        return new Result(report, held, gallery);
    }
}
