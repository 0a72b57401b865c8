package dev.satflow.evaluator;

import dev.satflow.evaluator.blind.BlindBaseline;
import dev.satflow.evaluator.blind.DatasetReport;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The blind (question-only) baselines a checkpoint is compared with, per type, taken from a
 * {@link DatasetReport} over the QA topic's records: the text-only and the category-aware model trained
 * on split train and scored on split test, and both 5-fold cross-validated by scene over every split.
 * Numbers are null where nothing was scored.
 *
 * @param records QA records (every split) the report was computed from; 0 for {@link #NONE}
 */
public record BlindReference(long records, Map<String, Numbers> types, Numbers all) {
    /** No blind baselines (no records yet, or they could not be computed). */
    public static final BlindReference NONE = new BlindReference(0, Map.of(), Numbers.EMPTY);

    /**
     * @param text       text-only model, trained on train, scored on test
     * @param category   the same with the named objects' categories
     * @param n          test records scored
     * @param textCv     text-only, cross-validated over every split
     * @param categoryCv category-aware, cross-validated
     * @param cvN        records scored by cross-validation
     * @param cvNoise    half-width of the 95 % band around chance for cvN records
     */
    public record Numbers(Double text, Double category, int n, Double textCv, Double categoryCv, int cvN,
            Double cvNoise) {
        public static final Numbers EMPTY = new Numbers(null, null, 0, null, null, 0, null);

        /** The stronger cross-validated blind model (the test-split one when nothing was cross-validated). */
        public Double best() {
            Double cv = max(textCv, categoryCv);
            return cv != null ? cv : max(text, category);
        }

        private static Double max(Double a, Double b) {
            return a == null ? b : b == null ? a : Double.valueOf(Math.max(a, b));
        }
    }

    public BlindReference {
        types = Collections.unmodifiableMap(new TreeMap<>(types));
    }

    public static BlindReference of(DatasetReport report, long records) {
        BlindBaseline.Report test = report.blindOnTest().orElse(null);
        BlindBaseline.Report cv = report.blindCrossValidated().orElse(null);
        Map<String, Numbers> types = new TreeMap<>();
        for (String type : report.stats().types().keySet()) {
            types.put(type, numbers(test == null ? null : test.types().get(type),
                    cv == null ? null : cv.types().get(type)));
        }
        return new BlindReference(records, types, numbers(test == null ? null : test.all(),
                cv == null ? null : cv.all()));
    }

    /** The numbers of one question type (empty for a type the report did not see). */
    public Numbers type(String type) {
        return types.getOrDefault(type, Numbers.EMPTY);
    }

    private static Numbers numbers(BlindBaseline.TypeResult test, BlindBaseline.TypeResult cv) {
        boolean hasTest = test != null && test.n() > 0;
        boolean hasCv = cv != null && cv.n() > 0;
        return new Numbers(hasTest ? test.blind() : null, hasTest ? test.blindCategory() : null,
                hasTest ? test.n() : 0, hasCv ? cv.blind() : null, hasCv ? cv.blindCategory() : null,
                hasCv ? cv.n() : 0, hasCv ? 1.96 * Math.sqrt(0.25 / cv.n()) : null);
    }
}
