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

    private final DatasetStats stats;
    private final BlindBaseline.Report test;
    private final BlindBaseline.Report valTest;

    private DatasetReport(DatasetStats stats, BlindBaseline.Report test, BlindBaseline.Report valTest) {
        this.stats = stats;
        this.test = test;
        this.valTest = valTest;
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
        if (train.isEmpty()) {
            return new DatasetReport(stats, null, null);
        }
        BlindBaseline text = BlindBaseline.train(train, Featurizer.TEXT, seed);
        BlindBaseline category = BlindBaseline.train(train, Featurizer.CATEGORY, seed);
        BlindBaseline.Report onTest = BlindBaseline.score(text, category, test);
        boolean thin = stats.types().keySet().stream().anyMatch(t -> testCount(onTest, t) < MIN_TEST_PER_TYPE);
        BlindBaseline.Report onValTest = thin ? BlindBaseline.score(text, category, valTest) : null;
        return new DatasetReport(stats, onTest, onValTest);
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
                return List.of("blind", "blind_cat", "blind_n");
            }

            @Override
            public List<String> cells(String type) {
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
                        + MIN_TEST_PER_TYPE + " test records); compare with chance\n";
        return table + note;
    }
}
