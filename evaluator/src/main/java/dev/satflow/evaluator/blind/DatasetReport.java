package dev.satflow.evaluator.blind;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.satflow.schema.QaRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Dataset statistics plus the blind baselines: both blind models trained on split=train and scored on
 * split=test; for a type with fewer than {@value #MIN_TEST_PER_TYPE} test records, also scored on val+test.
 *
 * <p>JSON: {"types": {type: {"count", "by_split", "chance", "majority_answer", "majority_share", "blind",
 * "blind_category", "blind_n", "blind_chance", ["blind_val_test": {"n", "blind", "blind_category", "chance"}],
 * "shortcuts": [...], ...the rest of {@link DatasetStats}}}, "all": {...}}. Accuracies are null where nothing
 * was scored (no train records, or none of that type in test).
 */
public final class DatasetReport {
    public static final int MIN_TEST_PER_TYPE = 30;
    /** Folds of the cross-validated blind baseline (by scene, over every split). */
    public static final int FOLDS = 5;

    private final DatasetStats stats;
    private final BlindBaseline.Report test;
    private final BlindBaseline.Report valTest;
    private final BlindBaseline.Report crossValidated;

    private DatasetReport(DatasetStats stats, BlindBaseline.Report test, BlindBaseline.Report valTest,
            BlindBaseline.Report crossValidated) {
        this.stats = stats;
        this.test = test;
        this.valTest = valTest;
        this.crossValidated = crossValidated;
    }

    /**
     * Both blind models scored on every record once: {@value #FOLDS} folds by scene, each scored by
     * models trained on the others. A small demo's test split holds a few dozen questions of a type,
     * too few to tell 55 % from 50 %; this uses every question and keeps scenes whole.
     */
    public static BlindBaseline.Report crossValidated(List<QaRecord> all, long seed) {
        List<List<QaRecord>> folds = new ArrayList<>();
        for (int k = 0; k < FOLDS; k++) {
            folds.add(new ArrayList<>());
        }
        for (QaRecord r : all) {
            folds.get(Math.floorMod(r.getSceneId().hashCode() * 31 + 7, FOLDS)).add(r);
        }
        java.util.Map<String, BlindBaseline.TypeResult> types = new java.util.TreeMap<>();
        BlindBaseline.TypeResult total = new BlindBaseline.TypeResult("all", 0, 0, 0, 0);
        for (int k = 0; k < FOLDS; k++) {
            List<QaRecord> train = new ArrayList<>();
            for (int j = 0; j < FOLDS; j++) {
                if (j != k) {
                    train.addAll(folds.get(j));
                }
            }
            if (train.isEmpty() || folds.get(k).isEmpty()) {
                continue;
            }
            BlindBaseline.Report r = BlindBaseline.evaluate(train, folds.get(k), seed + k);
            r.types().forEach((t, x) -> types.merge(t, x, DatasetReport::sum));
            total = sum(total, r.all());
        }
        return new BlindBaseline.Report(new java.util.TreeMap<>(types), total);
    }

    private static BlindBaseline.TypeResult sum(BlindBaseline.TypeResult a, BlindBaseline.TypeResult b) {
        return new BlindBaseline.TypeResult(a.type(), a.n() + b.n(), a.blindCorrect() + b.blindCorrect(),
                a.categoryCorrect() + b.categoryCorrect(), a.chanceSum() + b.chanceSum());
    }

    /** The cross-validated blind baselines (every record scored once); empty with fewer than two scenes' worth. */
    public Optional<BlindBaseline.Report> blindCrossValidated() {
        return Optional.ofNullable(crossValidated);
    }

    public static DatasetReport of(List<QaRecord> all, long seed) {
        DatasetStats stats = DatasetStats.of(all);
        List<QaRecord> train = new ArrayList<>();
        List<QaRecord> test = new ArrayList<>();
        List<QaRecord> valTest = new ArrayList<>();
        for (QaRecord r : all) {
            String split = r.getSplit().toString();
            switch (split) {
                case "train" -> train.add(r);
                case "test" -> {
                    test.add(r);
                    valTest.add(r);
                }
                case "val" -> valTest.add(r);
                default -> { }
            }
        }
        BlindBaseline.Report cv = all.isEmpty() ? null : crossValidated(all, seed);
        if (train.isEmpty()) {
            return new DatasetReport(stats, null, null, cv);
        }
        BlindBaseline text = BlindBaseline.train(train, Featurizer.TEXT, seed);
        BlindBaseline category = BlindBaseline.train(train, Featurizer.CATEGORY, seed);
        BlindBaseline.Report onTest = BlindBaseline.score(text, category, test);
        boolean thin = stats.types().keySet().stream().anyMatch(t -> testCount(onTest, t) < MIN_TEST_PER_TYPE);
        BlindBaseline.Report onValTest = thin ? BlindBaseline.score(text, category, valTest) : null;
        return new DatasetReport(stats, onTest, onValTest, cv);
    }

    private static int testCount(BlindBaseline.Report r, String type) {
        BlindBaseline.TypeResult t = r.types().get(type);
        return t == null ? 0 : t.n();
    }

    public DatasetStats stats() {
        return stats;
    }

    /** Both blind models scored on split=test (empty without train records). */
    public Optional<BlindBaseline.Report> blindOnTest() {
        return Optional.ofNullable(test);
    }

    /** Scored on val+test; present when some type has fewer than {@value #MIN_TEST_PER_TYPE} test records. */
    public Optional<BlindBaseline.Report> blindOnValTest() {
        return Optional.ofNullable(valTest);
    }

    private BlindBaseline.TypeResult result(BlindBaseline.Report r, String type) {
        if (r == null) {
            return null;
        }
        return "all".equals(type) ? r.all() : r.types().get(type);
    }

    public ObjectNode toJson() {
        ObjectNode root = stats.toJson();
        ObjectNode types = (ObjectNode) root.get("types");
        for (String type : stats.types().keySet()) {
            addBlind((ObjectNode) types.get(type), type);
        }
        addBlind((ObjectNode) root.get("all"), "all");
        return root;
    }

    private void addBlind(ObjectNode o, String type) {
        BlindBaseline.TypeResult t = result(test, type);
        DatasetStats.putNumber(o, "blind", t == null ? Double.NaN : t.blind());
        DatasetStats.putNumber(o, "blind_category", t == null ? Double.NaN : t.blindCategory());
        o.put("blind_n", t == null ? 0 : t.n());
        DatasetStats.putNumber(o, "blind_chance", t == null ? Double.NaN : t.chance());
        if (!"all".equals(type) && (t == null || t.n() < MIN_TEST_PER_TYPE)) {
            BlindBaseline.TypeResult v = result(valTest, type);
            if (v != null) {
                ObjectNode x = o.putObject("blind_val_test");
                x.put("n", v.n());
                DatasetStats.putNumber(x, "blind", v.blind());
                DatasetStats.putNumber(x, "blind_category", v.blindCategory());
                DatasetStats.putNumber(x, "chance", v.chance());
            }
        }
        BlindBaseline.TypeResult cv = result(crossValidated, type);
        if (cv != null) {
            DatasetStats.putNumber(o, "blind_cv", cv.blind());
            DatasetStats.putNumber(o, "blind_category_cv", cv.blindCategory());
            o.put("blind_cv_n", cv.n());
            // half-width of a 95 % interval around a chance-level accuracy: what noise alone can add
            DatasetStats.putNumber(o, "blind_cv_noise", 1.96 * Math.sqrt(0.25 / Math.max(1, cv.n())));
        }
        // Keep "shortcuts" last, after the headline numbers.
        if (o.has("shortcuts")) {
            o.set("shortcuts", o.remove("shortcuts"));
        }
    }

    /** The statistics table with the blind columns (test; "*" = scored on val+test, too few test records). */
    public String format() {
        String table = stats.format(new DatasetStats.Extra() {
            @Override
            public List<String> header() {
                return List.of("blind", "blind_cat", "blind_n", "cv", "cv_cat", "cv_n");
            }

            @Override
            public List<String> cells(String type) {
                List<String> out = new ArrayList<>(testCells(type));
                BlindBaseline.TypeResult cv = result(crossValidated, type);
                out.addAll(cv == null ? List.of("-", "-", "0") : List.of(TextTable.num(cv.blind()),
                        TextTable.num(cv.blindCategory()), Integer.toString(cv.n())));
                return out;
            }

            private List<String> testCells(String type) {
                BlindBaseline.TypeResult t = result(test, type);
                if (!"all".equals(type) && (t == null || t.n() < MIN_TEST_PER_TYPE)) {
                    BlindBaseline.TypeResult v = result(valTest, type);
                    if (v != null && v.n() > 0) {
                        return List.of(TextTable.num(v.blind()), TextTable.num(v.blindCategory()), v.n() + "*");
                    }
                }
                return t == null ? List.of("-", "-", "0")
                        : List.of(TextTable.num(t.blind()), TextTable.num(t.blindCategory()), Integer.toString(t.n()));
            }
        });
        String note = test == null ? "blind: no train records, not trained\n"
                : "blind/blind_cat: question-only models trained on train, scored on test (n* = on val+test, fewer than "
                        + MIN_TEST_PER_TYPE + " test records); cv/cv_cat: the same models " + FOLDS + "-fold "
                        + "cross-validated by scene over every split (each record scored once); compare with chance\n";
        return table + note;
    }
}
