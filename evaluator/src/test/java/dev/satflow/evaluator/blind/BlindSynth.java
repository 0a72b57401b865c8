package dev.satflow.evaluator.blind;

import dev.satflow.schema.Lineage;
import dev.satflow.schema.QaRecord;
import dev.satflow.schema.Subject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Synthetic QA records for the blind-baseline tests. */
final class BlindSynth {
    private BlindSynth() {}

    static final String[] COLOURS = {"red", "blue", "green", "yellow", "black", "white", "grey", "brown", "pink",
        "orange", "oak", "walnut", "glass", "steel"};
    static final String[] SIZES = {"", "small ", "large ", "tall ", ""};
    static final String[] CATEGORIES = {"mug", "book", "lamp", "plant", "chair", "table", "sofa", "bed", "shelf",
        "tv", "vase", "rug"};

    static Subject subject(int id, String category, String description, String role) {
        return Subject.newBuilder().setObjectId(id).setCategory(category).setDescription(description).setRole(role)
                .build();
    }

    static QaRecord record(String qaId, String sceneId, String split, String type, String template, String question,
            List<String> choices, int correct, List<Subject> subjects) {
        return QaRecord.newBuilder()
                .setQaId(qaId).setSceneId(sceneId).setSplit(split).setQuestionType(type).setTemplate(template)
                .setQuestion(question).setChoices(choices).setCorrectIndex(correct)
                .setCorrectAnswer(choices.get(correct)).setSubjects(subjects)
                .setLineage(Lineage.newBuilder().build())
                .build();
    }

    /** Answer first, then distractors, shuffled; returns the choices and the answer's index. */
    record Options(List<String> choices, int correct) {}

    static Options shuffled(String answer, List<String> distractors, Random rnd) {
        List<String> c = new ArrayList<>();
        c.add(answer);
        c.addAll(distractors);
        Collections.shuffle(c, rnd);
        return new Options(c, c.indexOf(answer));
    }

    static String description(String category, Random rnd) {
        return SIZES[rnd.nextInt(SIZES.length)] + COLOURS[rnd.nextInt(COLOURS.length)] + " " + category;
    }

    static String split(int i, int n, double testShare) {
        return i < Math.round(n * (1 - testShare)) ? "train" : "test";
    }

    /** Fixed (catA, catB) pairs, each with a fixed above/below answer. */
    static final String[][] PAIRS = {
        {"mug", "table", "above"}, {"rug", "sofa", "below"}, {"lamp", "shelf", "above"},
        {"book", "bed", "above"}, {"vase", "tv", "below"}, {"plant", "chair", "below"}};
    static final String[] COUNT_ANSWER = {"1", "2", "3", "4"};

    /**
     * Records whose answers the text decides (labelsRandom = false) or records of the same shapes with random
     * answers (labelsRandom = true): above_below by a fixed category pair, relative_depth always the first named
     * object, counting by the category.
     */
    static List<QaRecord> textDecided(int n, long seed, boolean labelsRandom) {
        Random rnd = new Random(seed);
        List<QaRecord> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String split = split(i, n, 1.0 / 3);
            String scene = "scene-" + (i / 8);
            int kind = i % 3;
            if (kind == 0) {
                String[] p = PAIRS[rnd.nextInt(PAIRS.length)];
                String da = description(p[0], rnd);
                String db = description(p[1], rnd);
                String answer = labelsRandom ? (rnd.nextBoolean() ? "above" : "below") : p[2];
                Options o = shuffled(answer, List.of("above".equals(answer) ? "below" : "above"), rnd);
                String q = rnd.nextBoolean() ? "Is the " + da + " above or below the " + db + "?"
                        : "Considering the " + db + ", is the " + da + " above or below it?";
                out.add(record("q" + i, scene, split, "above_below", "above_below/sat", q, o.choices(), o.correct(),
                        List.of(subject(1, p[0], da, "A"), subject(2, p[1], db, "B"))));
            } else if (kind == 1) {
                String ca = CATEGORIES[rnd.nextInt(CATEGORIES.length)];
                String cb = CATEGORIES[rnd.nextInt(CATEGORIES.length)];
                String da = description(ca, rnd);
                String db = description(cb, rnd);
                if (da.equals(db)) {
                    db = "other " + db;
                }
                boolean first = !labelsRandom || rnd.nextBoolean();
                String ta = "the " + da;
                String tb = "the " + db;
                Options o = shuffled(first ? ta : tb, List.of(first ? tb : ta), rnd);
                String q = "Which is closer to the camera, the " + da + " or the " + db + "?";
                out.add(record("q" + i, scene, split, "relative_depth", "relative_depth/sat", q, o.choices(),
                        o.correct(), List.of(subject(1, ca, da, "A"), subject(2, cb, db, "B"))));
            } else {
                int c = rnd.nextInt(4);
                String cat = CATEGORIES[c];
                String answer = labelsRandom ? COUNT_ANSWER[rnd.nextInt(4)] : COUNT_ANSWER[c];
                List<String> others = new ArrayList<>(List.of(COUNT_ANSWER));
                others.remove(answer);
                Options o = shuffled(answer, others, rnd);
                String q = "How many " + cat + "s are in the room?";
                out.add(record("q" + i, scene, split, "counting", "counting/sat", q, o.choices(), o.correct(),
                        List.of(subject(1, cat, cat, "subject"))));
            }
        }
        return out;
    }

    /** Four numeric options in random order except that the answer sits at position 0 with probability p0. */
    static List<QaRecord> positionBiased(int n, long seed, double p0) {
        Random rnd = new Random(seed);
        List<QaRecord> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String cat = CATEGORIES[rnd.nextInt(CATEGORIES.length)];
            List<String> c = new ArrayList<>(List.of(COUNT_ANSWER));
            Collections.shuffle(c, rnd);
            int correct = rnd.nextDouble() < p0 ? 0 : rnd.nextInt(4);
            out.add(record("q" + i, "scene-" + i / 8, split(i, n, 1.0 / 3), "counting", "counting/sat",
                    "How many " + cat + "s are in the room?", c, correct, List.of(subject(1, cat, cat, "subject"))));
        }
        return out;
    }

    /**
     * yes/no "is A above B", the answer a fixed random function of the marked objects' categories. With
     * {@code namesInText} false the question names only the marks ("the object marked A"); with true it names
     * the objects by descriptions that carry random colours.
     */
    static List<QaRecord> categoryDecided(int n, long seed, boolean namesInText) {
        Random table = new Random(seed ^ 0xC0FFEEL);
        int m = 10;
        boolean[][] yes = new boolean[m][m];
        for (int a = 0; a < m; a++) {
            for (int b = 0; b < m; b++) {
                yes[a][b] = table.nextBoolean();
            }
        }
        Random rnd = new Random(seed);
        List<QaRecord> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int a = rnd.nextInt(m);
            int b = rnd.nextInt(m);
            String ca = CATEGORIES[a];
            String cb = CATEGORIES[b];
            String da = description(ca, rnd);
            String db = description(cb, rnd);
            String answer = yes[a][b] ? "yes" : "no";
            Options o = shuffled(answer, List.of(yes[a][b] ? "no" : "yes"), rnd);
            String q = namesInText ? "Is the " + da + " above the " + db + "?"
                    : "Is the object marked A above the object marked B?";
            out.add(record("q" + i, "scene-" + i / 8, split(i, n, 1.0 / 3), "above_below", "above_below/marks", q,
                    o.choices(), o.correct(), List.of(subject(1, ca, da, "A"), subject(2, cb, db, "B"))));
        }
        return out;
    }

    static List<QaRecord> ofSplit(List<QaRecord> all, String split) {
        return all.stream().filter(r -> r.getSplit().equals(split)).toList();
    }
}
