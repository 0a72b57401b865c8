package dev.satflow.evaluator.blind;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.satflow.schema.QaRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Dataset statistics per question type and split, built from a list or streaming ({@link #add(QaRecord)}):
 * counts; the answer prior (distribution of the right answer's text, share of the most common one); the
 * correct-position prior (distribution of correctIndex per number of choices); "right when offered" rates per
 * option (by raw text, by role-normalised text "the &lt;A&gt;", and by category-normalised text "the [mug]"),
 * flagging shortcuts; (question, answer) pairs repeated within one scene; templates per split.
 */
public final class DatasetStats {
    /** An option offered at least this often is judged for shortcuts. */
    public static final int SHORTCUT_MIN_OFFERS = 20;
    /** Right at least this share of the times offered: a shortcut. */
    public static final double SHORTCUT_HIGH = 0.8;
    /** Right at most this share of the times offered: a shortcut (avoid it). */
    public static final double SHORTCUT_LOW = 0.2;

    static final List<String> SPLIT_ORDER = List.of("train", "val", "test");

    private final TreeMap<String, TypeStats> types = new TreeMap<>();
    private final TypeStats all = new TypeStats("all", false);

    public static DatasetStats of(Iterable<QaRecord> records) {
        DatasetStats s = new DatasetStats();
        for (QaRecord r : records) {
            s.add(r);
        }
        return s;
    }

    public void add(QaRecord r) {
        BlindBaseline.checkedCorrectIndex(r);
        Prepared p = new Prepared(r);
        types.computeIfAbsent(r.getQuestionType().toString(), t -> new TypeStats(t, true)).add(r, p);
        all.add(r, p);
    }

    public SortedMap<String, TypeStats> types() {
        return Collections.unmodifiableSortedMap(types);
    }

    /** Everything together (repeats summed over types, since a pair belongs to one type). */
    public TypeStats all() {
        return all;
    }

    /** Splits seen, in the order train, val, test, then others by name. */
    public List<String> splits() {
        List<String> out = new ArrayList<>();
        for (String s : SPLIT_ORDER) {
            if (all.bySplit.containsKey(s)) {
                out.add(s);
            }
        }
        for (String s : all.bySplit.keySet()) {
            if (!out.contains(s)) {
                out.add(s);
            }
        }
        return out;
    }

    /** A record's options, read once for every statistic. */
    private static final class Prepared {
        final String split;
        final String answer;
        final String[] options;
        final String[] roleOptions;
        final String[] categoryOptions;

        Prepared(QaRecord r) {
            split = r.getSplit().toString();
            int n = r.getChoices().size();
            options = new String[n];
            roleOptions = new String[n];
            categoryOptions = new String[n];
            QaText.Named[] byLength = QaText.forReplacement(QaText.subjects(r));
            for (int k = 0; k < n; k++) {
                options[k] = r.getChoices().get(k).toString().strip();
                String lower = QaText.lower(options[k]);
                roleOptions[k] = QaText.normalise(lower, byLength);
                categoryOptions[k] = QaText.normalise(lower, byLength, s -> "[" + s.category() + "]");
            }
            answer = options[r.getCorrectIndex()];
        }
    }

    /** Count, chance and answer prior of one group of records. */
    public static final class Prior {
        private long count;
        private double chanceSum;
        private final Map<String, Long> answers = new HashMap<>();

        void add(String answer, int choices) {
            count++;
            chanceSum += 1.0 / choices;
            answers.merge(answer, 1L, Long::sum);
        }

        public long count() {
            return count;
        }

        /** Mean of 1/#choices. */
        public double chance() {
            return count == 0 ? Double.NaN : chanceSum / count;
        }

        /** Right answer text → times; most common first (ties by text). */
        public List<Map.Entry<String, Long>> answers() {
            List<Map.Entry<String, Long>> l = new ArrayList<>(answers.entrySet());
            l.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
            return l;
        }

        public int distinctAnswers() {
            return answers.size();
        }

        public String majorityAnswer() {
            List<Map.Entry<String, Long>> l = answers();
            return l.isEmpty() ? null : l.get(0).getKey();
        }

        public long majorityCount() {
            List<Map.Entry<String, Long>> l = answers();
            return l.isEmpty() ? 0 : l.get(0).getValue();
        }

        /** Accuracy of always answering the most common text (when offered). */
        public double majorityShare() {
            return count == 0 ? Double.NaN : (double) majorityCount() / count;
        }
    }

    /** How often an option text was offered and was right. {@code expected}: mean 1/#choices when offered. */
    public record OptionRate(String kind, String option, long offered, long correct, double expected) {
        public double rate() {
            return offered == 0 ? Double.NaN : (double) correct / offered;
        }

        public boolean shortcut() {
            return offered >= SHORTCUT_MIN_OFFERS && (rate() >= SHORTCUT_HIGH || rate() <= SHORTCUT_LOW);
        }
    }

    private static final class OptionCounter {
        long offered;
        long correct;
        double chanceSum;
    }

    /** A (question, answer) pair asked more than once in one scene. */
    public record Repeat(String sceneId, String question, String answer, int times) {}

    /** Statistics of one question type (or of all records). */
    public static final class TypeStats {
        private final String type;
        private final boolean trackPairs;
        private final Prior prior = new Prior();
        private final TreeMap<String, Prior> bySplit = new TreeMap<>();
        private final Map<Integer, long[]> positions = new TreeMap<>();
        private final Map<String, OptionCounter> options = new HashMap<>();
        private final Map<String, Map<String, Long>> templates = new TreeMap<>();
        private final Map<String, Integer> pairs = new HashMap<>();
        private long repeatedRecords;

        TypeStats(String type, boolean trackPairs) {
            this.type = type;
            this.trackPairs = trackPairs;
        }

        void add(QaRecord r, Prepared p) {
            int n = p.options.length;
            int gold = r.getCorrectIndex();
            prior.add(p.answer, n);
            bySplit.computeIfAbsent(p.split, s -> new Prior()).add(p.answer, n);
            positions.computeIfAbsent(n, m -> new long[m])[gold]++;
            for (int k = 0; k < n; k++) {
                boolean right = k == gold;
                offer("text", p.options[k], right, n);
                if (!p.roleOptions[k].equals(QaText.lower(p.options[k]))) {
                    offer("role", p.roleOptions[k], right, n);
                    offer("category", p.categoryOptions[k], right, n);
                }
            }
            templates.computeIfAbsent(r.getTemplate().toString(), t -> new TreeMap<>()).merge(p.split, 1L, Long::sum);
            if (trackPairs) {
                String key = r.getSceneId() + "\u0000" + r.getQuestion() + "\u0000" + p.answer;
                if (pairs.merge(key, 1, Integer::sum) > 1) {
                    repeatedRecords++;
                }
            }
        }

        private void offer(String kind, String option, boolean right, int choices) {
            OptionCounter c = options.computeIfAbsent(kind + "\u0000" + option, k -> new OptionCounter());
            c.offered++;
            c.correct += right ? 1 : 0;
            c.chanceSum += 1.0 / choices;
        }

        public String type() {
            return type;
        }

        public long count() {
            return prior.count();
        }

        public Prior prior() {
            return prior;
        }

        public double chance() {
            return prior.chance();
        }

        public String majorityAnswer() {
            return prior.majorityAnswer();
        }

        public double majorityShare() {
            return prior.majorityShare();
        }

        /** Per split: count, chance and answer prior. */
        public SortedMap<String, Prior> bySplit() {
            return Collections.unmodifiableSortedMap(bySplit);
        }

        public long count(String split) {
            Prior p = bySplit.get(split);
            return p == null ? 0 : p.count();
        }

        /** #choices → times the right answer sat at each position. */
        public SortedMap<Integer, long[]> positions() {
            SortedMap<Integer, long[]> out = new TreeMap<>();
            positions.forEach((k, v) -> out.put(k, v.clone()));
            return out;
        }

        /** The largest share of one position among records with the same number of choices (weighted mean). */
        public double positionMaxShare() {
            long top = 0;
            long n = 0;
            for (long[] c : positions.values()) {
                long max = 0;
                for (long v : c) {
                    max = Math.max(max, v);
                    n += v;
                }
                top += max;
            }
            return n == 0 ? Double.NaN : (double) top / n;
        }

        /** Every option rate, most offered first (then most often right). */
        public List<OptionRate> optionRates() {
            List<OptionRate> out = new ArrayList<>(options.size());
            options.forEach((k, c) -> {
                int sep = k.indexOf('\u0000');
                out.add(new OptionRate(k.substring(0, sep), k.substring(sep + 1), c.offered, c.correct,
                        c.chanceSum / c.offered));
            });
            out.sort(Comparator.comparingLong(OptionRate::offered).reversed()
                    .thenComparing(Comparator.comparingLong(OptionRate::correct).reversed())
                    .thenComparing(OptionRate::kind).thenComparing(OptionRate::option));
            return out;
        }

        public OptionRate optionRate(String kind, String option) {
            OptionCounter c = options.get(kind + "\u0000" + option);
            return c == null ? new OptionRate(kind, option, 0, 0, Double.NaN)
                    : new OptionRate(kind, option, c.offered, c.correct, c.chanceSum / c.offered);
        }

        /** Options right ≥ 80 % or ≤ 20 % of the time with ≥ 20 offers, in {@link #optionRates()} order. */
        public List<OptionRate> shortcuts() {
            return optionRates().stream().filter(OptionRate::shortcut).toList();
        }

        /** Template → split → count. */
        public SortedMap<String, SortedMap<String, Long>> templates() {
            SortedMap<String, SortedMap<String, Long>> out = new TreeMap<>();
            templates.forEach((t, m) -> out.put(t, Collections.unmodifiableSortedMap(new TreeMap<>(m))));
            return out;
        }

        /** Templates seen in {@code split} and in no other split. */
        public List<String> templatesOnlyIn(String split) {
            List<String> out = new ArrayList<>();
            templates.forEach((t, m) -> {
                if (m.size() == 1 && m.containsKey(split)) {
                    out.add(t);
                }
            });
            return out;
        }

        /** Records whose (scene, question, answer) was already seen. */
        public long repeatedRecords() {
            return repeatedRecords;
        }

        /** Distinct (scene, question, answer) pairs seen more than once. */
        public long repeatedPairs() {
            return pairs.values().stream().filter(v -> v > 1).count();
        }

        /** The most repeated pairs (up to {@code max}). */
        public List<Repeat> repeats(int max) {
            return pairs.entrySet().stream().filter(e -> e.getValue() > 1)
                    .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()
                            .thenComparing(Map.Entry.comparingByKey()))
                    .limit(max)
                    .map(e -> {
                        String[] p = e.getKey().split("\u0000", -1);
                        return new Repeat(p[0], p[1], p[2], e.getValue());
                    }).toList();
        }
    }

    // ---------------------------------------------------------------- output

    /** Repeats of "all": summed over the types. */
    private long allRepeatedRecords() {
        return types.values().stream().mapToLong(TypeStats::repeatedRecords).sum();
    }

    private long allRepeatedPairs() {
        return types.values().stream().mapToLong(TypeStats::repeatedPairs).sum();
    }

    /** {"types": {type: {...}}, "all": {...}}. */
    public ObjectNode toJson() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode ts = root.putObject("types");
        types.forEach((t, s) -> ts.set(t, typeJson(s)));
        root.set("all", typeJson(all));
        return root;
    }

    /** The statistics of one type (or of "all") as JSON. */
    ObjectNode typeJson(TypeStats s) {
        boolean isAll = s == all;
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("count", s.count());
        ObjectNode bs = o.putObject("by_split");
        for (String split : splits()) {
            if (s.count(split) > 0) {
                bs.put(split, s.count(split));
            }
        }
        putNumber(o, "chance", s.chance());
        o.put("majority_answer", s.majorityAnswer());
        putNumber(o, "majority_share", s.majorityShare());
        if (isAll) {
            long typePrior = types.values().stream().mapToLong(t -> t.prior().majorityCount()).sum();
            putNumber(o, "type_prior_share", s.count() == 0 ? Double.NaN : (double) typePrior / s.count());
        }
        ObjectNode ps = o.putObject("per_split");
        for (String split : splits()) {
            Prior p = s.bySplit.get(split);
            if (p != null) {
                ObjectNode x = ps.putObject(split);
                x.put("count", p.count());
                putNumber(x, "chance", p.chance());
                x.put("majority_answer", p.majorityAnswer());
                putNumber(x, "majority_share", p.majorityShare());
            }
        }
        ObjectNode ap = o.putObject("answer_prior");
        ap.put("distinct", s.prior().distinctAnswers());
        ArrayNode top = ap.putArray("top");
        for (Map.Entry<String, Long> e : s.prior().answers().stream().limit(10).toList()) {
            ObjectNode x = top.addObject();
            x.put("answer", e.getKey());
            x.put("count", e.getValue());
            putNumber(x, "share", (double) e.getValue() / s.count());
        }
        ObjectNode pp = o.putObject("position_prior");
        putNumber(pp, "max_share", s.positionMaxShare());
        s.positions().forEach((n, c) -> {
            ObjectNode x = pp.putObject(Integer.toString(n));
            long total = 0;
            for (long v : c) {
                total += v;
            }
            x.put("count", total);
            ArrayNode counts = x.putArray("counts");
            ArrayNode shares = x.putArray("shares");
            for (long v : c) {
                counts.add(v);
                shares.add(round((double) v / total));
            }
        });
        ObjectNode tp = o.putObject("templates");
        s.templates().forEach((t, m) -> {
            ObjectNode x = tp.putObject(t);
            m.forEach(x::put);
        });
        ArrayNode testOnly = o.putArray("templates_test_only");
        s.templatesOnlyIn("test").forEach(testOnly::add);
        ObjectNode rp = o.putObject("repeats");
        rp.put("pairs", isAll ? allRepeatedPairs() : s.repeatedPairs());
        rp.put("records", isAll ? allRepeatedRecords() : s.repeatedRecords());
        if (!isAll) {
            ArrayNode ex = rp.putArray("examples");
            for (Repeat r : s.repeats(5)) {
                ObjectNode x = ex.addObject();
                x.put("scene", r.sceneId());
                x.put("question", r.question());
                x.put("answer", r.answer());
                x.put("times", r.times());
            }
        }
        ArrayNode sc = o.putArray("shortcuts");
        for (OptionRate r : s.shortcuts()) {
            ObjectNode x = sc.addObject();
            x.put("kind", r.kind());
            x.put("option", r.option());
            x.put("offered", r.offered());
            x.put("correct", r.correct());
            putNumber(x, "rate", r.rate());
            putNumber(x, "expected", r.expected());
        }
        return o;
    }

    static void putNumber(ObjectNode o, String field, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            o.putNull(field);
        } else {
            o.put(field, round(v));
        }
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }

    /** A per-type table, then the flagged shortcuts. */
    public String format() {
        return format(null);
    }

    /** Extra columns per type (by type name, "all" for the total), e.g. the blind baselines. */
    interface Extra {
        List<String> header();

        List<String> cells(String type);
    }

    String format(Extra extra) {
        List<String> splits = splits();
        List<String> header = new ArrayList<>(List.of("type", "count"));
        header.addAll(splits);
        header.addAll(List.of("chance", "majority", "share", "pos_max", "templates", "repeats", "shortcuts"));
        if (extra != null) {
            header.addAll(extra.header());
        }
        TextTable table = new TextTable(header);
        List<TypeStats> rows = new ArrayList<>(types.values());
        rows.add(all);
        for (TypeStats s : rows) {
            boolean isAll = s == all;
            List<String> cells = new ArrayList<>(List.of(s.type(), Long.toString(s.count())));
            for (String split : splits) {
                cells.add(Long.toString(s.count(split)));
            }
            cells.add(TextTable.num(s.chance()));
            cells.add(TextTable.clip(String.valueOf(isAll ? "-" : s.majorityAnswer()), 24));
            cells.add(TextTable.num(isAll ? typePriorShare() : s.majorityShare()));
            cells.add(TextTable.num(s.positionMaxShare()));
            cells.add(Integer.toString(isAll ? templateCount() : s.templates.size()));
            cells.add(Long.toString(isAll ? allRepeatedRecords() : s.repeatedRecords()));
            cells.add(Integer.toString(isAll ? types.values().stream().mapToInt(t -> t.shortcuts().size()).sum()
                    : s.shortcuts().size()));
            if (extra != null) {
                cells.addAll(extra.cells(isAll ? "all" : s.type()));
            }
            table.row(cells);
        }
        StringBuilder sb = new StringBuilder(table.render());
        sb.append("share: answering the most common answer (for all: per type); pos_max: the most common position's "
                + "share; repeats: records repeating a (question, answer) pair in one scene\n");
        TextTable sc = new TextTable(List.of("type", "kind", "option", "right", "offered", "rate", "chance"));
        int flagged = 0;
        for (TypeStats s : types.values()) {
            for (OptionRate r : s.shortcuts()) {
                sc.row(List.of(s.type(), r.kind(), TextTable.clip(r.option(), 40), Long.toString(r.correct()),
                        Long.toString(r.offered()), TextTable.num(r.rate()), TextTable.num(r.expected())));
                flagged++;
            }
        }
        if (flagged > 0) {
            sb.append("\nshortcuts (right >= ").append((int) (SHORTCUT_HIGH * 100)).append(" % or <= ")
                    .append((int) (SHORTCUT_LOW * 100)).append(" % of the times offered, offered >= ")
                    .append(SHORTCUT_MIN_OFFERS).append("):\n").append(sc.render());
        } else {
            sb.append("\nno shortcuts flagged\n");
        }
        return sb.toString();
    }

    /** Accuracy of answering each type's most common answer, over all records. */
    double typePriorShare() {
        long typePrior = types.values().stream().mapToLong(t -> t.prior().majorityCount()).sum();
        return all.count() == 0 ? Double.NaN : (double) typePrior / all.count();
    }

    private int templateCount() {
        Set<String> s = new LinkedHashSet<>();
        types.values().forEach(t -> s.addAll(t.templates.keySet()));
        return s.size();
    }
}
