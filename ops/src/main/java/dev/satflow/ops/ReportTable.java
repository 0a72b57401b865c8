package dev.satflow.ops;

import dev.satflow.schema.EvalReport;
import dev.satflow.schema.TypeScore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** An evaluation as the per-question-type table people read in a terminal. */
final class ReportTable {
    private ReportTable() {}

    static String format(EvalReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "checkpoint %s (step %d), split %s%n", r.getCheckpointId(), r.getStep(),
                r.getSplit()));
        sb.append(String.format(Locale.ROOT, "%-22s %6s %9s %9s %7s %9s %6s %6s %6s %6s %12s %12s%n", "question type",
                "count", "accuracy", "circular", "chance", "majority", "blind", "b_cat", "b_cv", "bc_cv",
                "held-out(n)", "seen(n)"));
        List<TypeScore> rows = new ArrayList<>(r.getScores());
        for (TypeScore s : rows) {
            sb.append(row(s));
        }
        if (r.getOverall() != null) {
            sb.append(row(r.getOverall()));
        } else {
            sb.append(String.format(Locale.ROOT, "%-22s %6d %9.3f %9s %7.3f%n", "all", r.getCount(), r.getAccuracy(),
                    num(r.getCircularAccuracy()), r.getChance()));
        }
        sb.append("circular: right in every cyclic order of the options; majority: always the type's most common "
                + "answer;\nblind/b_cat: question-only models (text; + categories) trained on train, scored on test; "
                + "b_cv/bc_cv: 5-fold cross-validated by scene");
        sb.append(r.getBlindRecords() > 0 ? " over " + r.getBlindRecords() + " QA records" : " (not computed)");
        sb.append(";\nheld-out: phrasings never trained on, seen: the others\n");
        return sb.toString();
    }

    private static String row(TypeScore s) {
        return String.format(Locale.ROOT, "%-22s %6d %9.3f %9s %7.3f %9.3f %6s %6s %6s %6s %12s %12s%n",
                s.getQuestionType(), s.getCount(), s.getAccuracy(), num(s.getCircularAccuracy()), s.getChance(),
                s.getMajority(), num(s.getBlindText()), num(s.getBlindCategory()), num(s.getBlindTextCv()),
                num(s.getBlindCategoryCv()), withN(s.getHeldOutPhrasingAccuracy(), s.getHeldOutPhrasingCount()),
                withN(s.getSeenPhrasingAccuracy(), s.getSeenPhrasingCount()));
    }

    private static String num(Float v) {
        return v == null || v.isNaN() ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String withN(Float v, int n) {
        return n == 0 ? "-" : num(v) + " (" + n + ")";
    }
}
