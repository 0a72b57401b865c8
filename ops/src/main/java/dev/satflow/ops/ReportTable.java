package dev.satflow.ops;

import dev.satflow.schema.EvalReport;
import dev.satflow.schema.TypeScore;
import java.util.Locale;

/** An evaluation as the per-question-type table people read in a terminal. */
final class ReportTable {
    private ReportTable() {}

    static String format(EvalReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "checkpoint %s (step %d), split %s%n", r.getCheckpointId(), r.getStep(),
                r.getSplit()));
        sb.append(String.format(Locale.ROOT, "%-22s %7s %9s %8s %9s%n", "question type", "count", "accuracy", "chance",
                "majority"));
        for (TypeScore s : r.getScores()) {
            sb.append(String.format(Locale.ROOT, "%-22s %7d %9.3f %8.3f %9.3f%n", s.getQuestionType(), s.getCount(),
                    s.getAccuracy(), s.getChance(), s.getMajority()));
        }
        sb.append(String.format(Locale.ROOT, "%-22s %7d %9.3f %8.3f%n", "all", r.getCount(), r.getAccuracy(),
                r.getChance()));
        return sb.toString();
    }
}
