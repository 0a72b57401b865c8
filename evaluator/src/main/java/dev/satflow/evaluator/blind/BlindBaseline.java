package dev.satflow.evaluator.blind;

import dev.satflow.schema.QaRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * A question-only multiple-choice scorer: a linear score {@code w·φ(record, option)} per option, a softmax over
 * the record's options, trained with cross-entropy by AdaGrad over hashed features. It never sees an image;
 * whatever accuracy it reaches above chance is answerable from text (or categories) alone, i.e. a shortcut.
 *
 * <p>Deterministic: the same records in the same order, the same featurizer, settings and seed give the same
 * weights and predictions (the seed fixes the hashing and the per-epoch shuffle).
 */
public final class BlindBaseline {

    /** Training settings. */
    public record Settings(int bits, int epochs, double learningRate) {
        /** 2^20 weights, 5 epochs, AdaGrad step 0.1. */
        public static final Settings DEFAULT = new Settings(20, 5, 0.1);

        public Settings {
            if (epochs < 1 || !(learningRate > 0)) {
                throw new IllegalArgumentException("epochs = " + epochs + ", learningRate = " + learningRate
                        + ": need epochs >= 1 and learningRate > 0");
            }
        }
    }

    private static final double ADAGRAD_EPS = 1e-8;

    private final Featurizer featurizer;
    private final FeatureHasher hasher;
    private final double[] weights;

    private BlindBaseline(Featurizer featurizer, FeatureHasher hasher, double[] weights) {
        this.featurizer = featurizer;
        this.hasher = hasher;
        this.weights = weights;
    }

    public static BlindBaseline train(List<QaRecord> train, Featurizer featurizer, long seed) {
        return train(train, featurizer, seed, Settings.DEFAULT);
    }

    public static BlindBaseline train(List<QaRecord> train, Featurizer featurizer, long seed, Settings settings) {
        FeatureHasher hasher = new FeatureHasher(seed, settings.bits());
        int n = train.size();
        int[][][] feats = new int[n][][];
        int[] gold = new int[n];
        for (int i = 0; i < n; i++) {
            gold[i] = checkedCorrectIndex(train.get(i));
        }
        // Featurizing is a pure function per record: in parallel, with the same result in any order.
        IntStream.range(0, n).parallel().forEach(i -> feats[i] = featurizer.features(train.get(i), hasher));
        double[] w = new double[hasher.size()];
        double[] g2 = new double[hasher.size()];
        double lr = settings.learningRate();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random rnd = new Random(seed);
        double[] scores = new double[8];
        for (int epoch = 0; epoch < settings.epochs(); epoch++) {
            for (int i = n - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int idx : order) {
                int[][] f = feats[idx];
                int m = f.length;
                if (m < 2) {
                    continue;
                }
                if (scores.length < m) {
                    scores = new double[m];
                }
                softmax(w, f, scores);
                for (int k = 0; k < m; k++) {
                    double g = scores[k] - (k == gold[idx] ? 1 : 0);
                    if (g == 0) {
                        continue;
                    }
                    double gg = g * g;
                    for (int id : f[k]) {
                        double acc = g2[id] + gg;
                        g2[id] = acc;
                        w[id] -= lr * g / Math.sqrt(acc + ADAGRAD_EPS);
                    }
                }
            }
        }
        return new BlindBaseline(featurizer, hasher, w);
    }

    /** Fills {@code p[0..f.length)} with the softmax of the option scores. */
    private static void softmax(double[] w, int[][] f, double[] p) {
        int m = f.length;
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < m; k++) {
            double s = 0;
            for (int id : f[k]) {
                s += w[id];
            }
            p[k] = s;
            max = Math.max(max, s);
        }
        double z = 0;
        for (int k = 0; k < m; k++) {
            p[k] = Math.exp(p[k] - max);
            z += p[k];
        }
        for (int k = 0; k < m; k++) {
            p[k] /= z;
        }
    }

    public Featurizer featurizer() {
        return featurizer;
    }

    /** The score of every option (unnormalised log-probabilities). */
    public double[] scores(QaRecord r) {
        int[][] f = featurizer.features(r, hasher);
        double[] s = new double[f.length];
        for (int k = 0; k < f.length; k++) {
            for (int id : f[k]) {
                s[k] += weights[id];
            }
        }
        return s;
    }

    /** The option probabilities. */
    public double[] probabilities(QaRecord r) {
        int[][] f = featurizer.features(r, hasher);
        double[] p = new double[f.length];
        if (f.length > 0) {
            softmax(weights, f, p);
        }
        return p;
    }

    /** The index of the highest-scoring option (the lowest index on ties); -1 for a record without options. */
    public int predict(QaRecord r) {
        double[] s = scores(r);
        int best = -1;
        for (int k = 0; k < s.length; k++) {
            if (best < 0 || s[k] > s[best]) {
                best = k;
            }
        }
        return best;
    }

    public double accuracy(List<QaRecord> records) {
        if (records.isEmpty()) {
            return Double.NaN;
        }
        int correct = 0;
        for (QaRecord r : records) {
            if (predict(r) == checkedCorrectIndex(r)) {
                correct++;
            }
        }
        return (double) correct / records.size();
    }

    static int checkedCorrectIndex(QaRecord r) {
        int c = r.getCorrectIndex();
        int n = r.getChoices().size();
        if (c < 0 || c >= n) {
            throw new IllegalArgumentException("qaId = '" + r.getQaId() + "': correctIndex = " + c + " outside choices ("
                    + n + " options)");
        }
        return c;
    }

    // ---------------------------------------------------------------- evaluation

    /** Scores of both blind models on one question type (or on all records). */
    public record TypeResult(String type, int n, int blindCorrect, int categoryCorrect, double chanceSum) {
        public double blind() {
            return n == 0 ? Double.NaN : (double) blindCorrect / n;
        }

        public double blindCategory() {
            return n == 0 ? Double.NaN : (double) categoryCorrect / n;
        }

        /** Mean of 1/#choices. */
        public double chance() {
            return n == 0 ? Double.NaN : chanceSum / n;
        }

        TypeResult plus(boolean blindRight, boolean categoryRight, int choices) {
            return new TypeResult(type, n + 1, blindCorrect + (blindRight ? 1 : 0),
                    categoryCorrect + (categoryRight ? 1 : 0), chanceSum + 1.0 / choices);
        }
    }

    /** Per question type and in total, on the scored records. */
    public record Report(SortedMap<String, TypeResult> types, TypeResult all) {
        public Report {
            types = Collections.unmodifiableSortedMap(new TreeMap<>(types));
        }

        @Override
        public String toString() {
            List<String> lines = new ArrayList<>();
            for (TypeResult t : types.values()) {
                lines.add(String.format("%s n=%d blind=%.3f blind_category=%.3f chance=%.3f", t.type(), t.n(), t.blind(),
                        t.blindCategory(), t.chance()));
            }
            lines.add(String.format("all n=%d blind=%.3f blind_category=%.3f chance=%.3f", all.n(), all.blind(),
                    all.blindCategory(), all.chance()));
            return String.join("\n", lines);
        }
    }

    /** Trains the text and the category-aware model on {@code train} and scores both on {@code test}. */
    public static Report evaluate(List<QaRecord> train, List<QaRecord> test, long seed) {
        return score(train(train, Featurizer.TEXT, seed), train(train, Featurizer.CATEGORY, seed), test);
    }

    /** Scores two trained models (text, category-aware) on {@code test}, per question type. */
    public static Report score(BlindBaseline text, BlindBaseline category, List<QaRecord> test) {
        Map<String, TypeResult> types = new TreeMap<>();
        TypeResult all = new TypeResult("all", 0, 0, 0, 0);
        for (QaRecord r : test) {
            int gold = checkedCorrectIndex(r);
            boolean b = text.predict(r) == gold;
            boolean c = category.predict(r) == gold;
            int m = r.getChoices().size();
            String type = r.getQuestionType().toString();
            types.compute(type, (t, v) -> (v == null ? new TypeResult(t, 0, 0, 0, 0) : v).plus(b, c, m));
            all = all.plus(b, c, m);
        }
        return new Report(new TreeMap<>(types), all);
    }
}
