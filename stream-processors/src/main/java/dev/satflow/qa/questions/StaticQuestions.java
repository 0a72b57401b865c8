package dev.satflow.qa.questions;

import static dev.satflow.qa.questions.QuestionTypes.ABOVE_BELOW;
import static dev.satflow.qa.questions.QuestionTypes.COUNTING;
import static dev.satflow.qa.questions.QuestionTypes.HEIGHT;
import static dev.satflow.qa.questions.QuestionTypes.LEFT_RIGHT;
import static dev.satflow.qa.questions.QuestionTypes.RELATIVE_DEPTH;
import static dev.satflow.qa.questions.QuestionTypes.RELATIVE_DISTANCE;

import dev.satflow.core.geom.Vec3d;
import dev.satflow.core.qa.SubjectRoles;
import dev.satflow.qa.questions.SceneViews.ViewData;
import dev.satflow.schema.Mark;
import dev.satflow.schema.ObjectAnnotation;
import dev.satflow.schema.SceneObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Single-image questions (SAT §1.1). Each answer is computed from the spec's geometry and asked
 * only when the rendered frame agrees (a second path: annotations measured from the id and depth
 * buffers), with a margin on every comparison. The objects a question names are marked as SAT
 * marked them: lettered dots (A, B, C) or red/blue/green boxes, and half the time the text says so.
 */
final class StaticQuestions {
    /** Categories that come in sets: counting asks about them even where a scene has none (answer 0). */
    static final List<String> COUNTABLE = List.of("book", "bottle", "bowl", "cardboard box", "chair", "floor cushion",
            "houseplant", "mug", "painting", "stool");

    /** Pair phrasing: the family, the two names, the truth about A, the scene's generator. */
    @FunctionalInterface
    private interface PairPhrasing {
        Phrasings.Ask ask(Phrasings.Family family, String a, String b, boolean truth, SplittableRandom rnd);
    }

    private final SceneViews scene;
    private final QuestionSettings s;
    private final Selection selection;

    StaticQuestions(SceneViews scene, QuestionSettings settings, Selection selection) {
        this.scene = scene;
        this.s = settings;
        this.selection = selection;
    }

    List<Draft> all(ViewData v, SplittableRandom rnd) {
        List<Integer> salient = Salience.salient(v, s);
        int n = s.perTypePerView();
        List<Candidate> chosen = new ArrayList<>();
        chosen.addAll(selection.take(counting(v, rnd), n));
        chosen.addAll(selection.take(relativeDepth(v, salient, rnd), n));
        chosen.addAll(selection.take(leftRight(v, salient, rnd), n));
        chosen.addAll(selection.take(aboveBelow(v, salient, rnd), n));
        chosen.addAll(selection.take(height(v, salient, rnd), n));
        chosen.addAll(selection.take(relativeDistance(v, salient, rnd), n));
        return selection.phrase(chosen, rnd);
    }

    /**
     * Per category, asked only when every instance is clearly visible or clearly absent, and only up
     * to four (the options are always 0 to 4). Categories that come in sets are asked about even
     * when the scene has none of them.
     */
    List<Candidate> counting(ViewData v, SplittableRandom rnd) {
        Map<String, int[]> byCategory = new TreeMap<>(); // {clear, ambiguous}
        Map<String, List<SceneObject>> clear = new TreeMap<>();
        for (String c : COUNTABLE) {
            byCategory.put(c, new int[2]);
        }
        int clearPixels = (int) Math.ceil(0.3 * s.minBoxFraction() * v.pixels());
        for (SceneObject o : scene.objects.values()) {
            int[] c = byCategory.computeIfAbsent(o.getCategory(), k -> new int[2]);
            int px = v.visiblePixels(o.getId());
            if (px >= clearPixels) {
                c[0]++;
                clear.computeIfAbsent(o.getCategory(), k -> new ArrayList<>()).add(o);
            } else if (px > 0) {
                c[1]++;
            }
        }
        List<Candidate> out = new ArrayList<>();
        byCategory.forEach((category, c) -> {
            int n = c[0];
            if (c[1] > 0 || n > 4) {
                return;
            }
            List<SceneObject> counted = clear.getOrDefault(category, List.of());
            out.add(new Candidate(COUNTING, COUNTING + "|" + category, String.valueOf(n), COUNTING + ":" + category,
                    r -> {
                        Draft d = new Draft(COUNTING, Phrasings.counting(
                                Phrasings.pick(Phrasings.COUNTING, scene.spec.getSplit(), false, r), Text.plural(category),
                                n));
                        d.show(v);
                        d.subjects.add(dev.satflow.schema.Subject.newBuilder().setObjectId(0).setCategory(category)
                                .setDescription(category).setRole(SubjectRoles.CATEGORY).build());
                        // every instance counted, so a model can be taught where they are (never shown to it)
                        for (SceneObject o : counted) {
                            d.subjects.add(dev.satflow.schema.Subject.newBuilder().setObjectId(o.getId())
                                    .setCategory(category).setDescription(o.getDescription())
                                    .setRole(SubjectRoles.COUNTED).build());
                        }
                        return d.fact("category", category).fact("count", n).fact("clear_pixels",
                                String.valueOf(clearPixels));
                    }));
        });
        Salience.shuffle(out, rnd);
        return out;
    }

    List<Candidate> relativeDepth(ViewData v, List<Integer> salient, SplittableRandom rnd) {
        List<Candidate> out = new ArrayList<>();
        for (int[] pair : Salience.pairs(salient, rnd)) {
            int a = pair[0];
            int b = pair[1];
            if (!separated(v, a, b)) {
                continue;
            }
            double da = v.position(a).distance(v.camera.position());
            double db = v.position(b).distance(v.camera.position());
            double ma = v.annotation(a).getMeanDepth();
            double mb = v.annotation(b).getMeanDepth();
            double margin = Math.max(s.depthMarginM(), 0.1 * Math.min(da, db));
            if (Math.abs(da - db) < margin || Math.signum(da - db) != Math.signum(ma - mb)) {
                continue;
            }
            boolean aCloser = da < db;
            out.add(pair(RELATIVE_DEPTH, v, a, b, aCloser, Phrasings.RELATIVE_DEPTH, Phrasings::relativeDepth, true,
                    d -> d.fact("a.distance_m", da).fact("b.distance_m", db).fact("a.mean_depth_m", ma)
                            .fact("b.mean_depth_m", mb).fact("margin_m", margin)));
        }
        return out;
    }

    List<Candidate> leftRight(ViewData v, List<Integer> salient, SplittableRandom rnd) {
        List<Candidate> out = new ArrayList<>();
        for (int[] pair : Salience.pairs(salient, rnd)) {
            int a = pair[0];
            int b = pair[1];
            if (!separated(v, a, b)) {
                continue;
            }
            double xa = v.ego(a).x();
            double xb = v.ego(b).x();
            double ua = v.annotation(a).getCentroidX();
            double ub = v.annotation(b).getCentroidX();
            if (Math.abs(xa - xb) < s.lateralMarginM() || Math.abs(ua - ub) < s.imageMarginFraction() * v.width
                    || Math.signum(xa - xb) != Math.signum(ua - ub)) {
                continue;
            }
            out.add(pair(LEFT_RIGHT, v, a, b, xa < xb, Phrasings.LEFT_RIGHT, Phrasings::leftRight, false,
                    d -> d.fact("a.x_ego_m", xa).fact("b.x_ego_m", xb).fact("a.centroid_x_px", ua)
                            .fact("b.centroid_x_px", ub)));
        }
        return out;
    }

    /** Above/below as a person reads it: higher in the room and higher in the picture (SAT compared depth, a bug). */
    List<Candidate> aboveBelow(ViewData v, List<Integer> salient, SplittableRandom rnd) {
        List<Candidate> out = new ArrayList<>();
        for (int[] pair : Salience.pairs(salient, rnd)) {
            int a = pair[0];
            int b = pair[1];
            double ya = v.position(a).y();
            double yb = v.position(b).y();
            double va = v.annotation(a).getCentroidY();
            double vb = v.annotation(b).getCentroidY();
            // image rows grow downwards: higher in the room means a smaller row
            if (Math.abs(ya - yb) < s.heightMarginM() || Math.abs(va - vb) < s.imageMarginFraction() * v.height
                    || Math.signum(ya - yb) != Math.signum(vb - va)) {
                continue;
            }
            out.add(pair(ABOVE_BELOW, v, a, b, ya > yb, Phrasings.ABOVE_BELOW, Phrasings::aboveBelow, true,
                    d -> d.fact("a.y_m", ya).fact("b.y_m", yb).fact("a.centroid_y_px", va).fact("b.centroid_y_px", vb)));
        }
        return out;
    }

    List<Candidate> height(ViewData v, List<Integer> salient, SplittableRandom rnd) {
        List<Candidate> out = new ArrayList<>();
        for (int[] pair : Salience.pairs(salient, rnd)) {
            int a = pair[0];
            int b = pair[1];
            double ya = v.position(a).y();
            double yb = v.position(b).y();
            if (Math.abs(ya - yb) < s.heightMarginM()) {
                continue;
            }
            out.add(pair(HEIGHT, v, a, b, ya > yb, Phrasings.HEIGHT, Phrasings::height, true,
                    d -> d.fact("a.y_m", ya).fact("b.y_m", yb)));
        }
        return out;
    }

    /**
     * Which of B and C is closer to the anchor A. Triples where one object rests on another are left
     * out: "which is closer to the table, the mug on it or the sofa" is answered by the words.
     */
    List<Candidate> relativeDistance(ViewData v, List<Integer> salient, SplittableRandom rnd) {
        List<Candidate> out = new ArrayList<>();
        List<Integer> ids = new ArrayList<>(salient);
        Salience.shuffle(ids, rnd);
        for (int anchor : ids) {
            List<int[]> pairs = Salience.pairs(ids.stream().filter(i -> i != anchor).toList(), rnd);
            for (int[] pair : pairs) {
                int b = pair[0];
                int c = pair[1];
                Vec3d pa = v.position(anchor);
                double dab = pa.distance(v.position(b));
                double dac = pa.distance(v.position(c));
                if (dab < s.minSeparationM() || dac < s.minSeparationM() || !separated(v, b, c)
                        || Math.abs(dab - dac) < s.distanceMarginRatio() * Math.max(dab, dac)
                        || resting(anchor, b) || resting(anchor, c) || resting(b, c)) {
                    continue;
                }
                boolean bCloser = dab < dac;
                String cb = category(b);
                String cc = category(c);
                String key = cb.equals(cc) ? null : Selection.pairKey(RELATIVE_DISTANCE + "|" + category(anchor), cb, cc);
                String identity = RELATIVE_DISTANCE + ":" + anchor + ":" + Math.min(b, c) + "," + Math.max(b, c);
                out.add(new Candidate(RELATIVE_DISTANCE, key, Selection.pairOutcome(cb, cc, bCloser), identity, r -> {
                    Marks m = marks(v, List.of(anchor, b, c), r);
                    Phrasings.Family fam = Phrasings.pick(Phrasings.RELATIVE_DISTANCE, scene.spec.getSplit(), m.dots, r);
                    Draft d = new Draft(RELATIVE_DISTANCE, Phrasings.relativeDistance(fam, m.names.get(0),
                            m.names.get(1), m.names.get(2), bCloser, r));
                    m.apply(d, v, List.of("A", "B", "C"));
                    return d.fact("anchor_to_b_m", dab).fact("anchor_to_c_m", dac);
                }));
            }
        }
        return out;
    }

    /**
     * A pair question's candidate: key from the two categories, outcome from the truth about A.
     * Left/right is not keyed: nothing in a category says which side of the picture it is on, and
     * an unkeyed question is kept alike in a scene and its mirror image.
     */
    private Candidate pair(String type, ViewData v, int a, int b, boolean truth, List<Phrasings.Family> families,
            PairPhrasing phrasing, boolean keyed, java.util.function.UnaryOperator<Draft> facts) {
        String ca = category(a);
        String cb = category(b);
        String identity = type + ":" + Math.min(a, b) + "," + Math.max(a, b);
        String key = keyed ? Selection.pairKey(type, ca, cb) : null;
        return new Candidate(type, key, Selection.pairOutcome(ca, cb, truth), identity,
                r -> {
                    Marks m = marks(v, List.of(a, b), r);
                    Phrasings.Family fam = Phrasings.pick(families, scene.spec.getSplit(), m.dots, r);
                    Draft d = new Draft(type, phrasing.ask(fam, m.names.get(0), m.names.get(1), truth, r));
                    m.apply(d, v, List.of("A", "B"));
                    return facts.apply(d);
                });
    }

    /** The marks of a static question and the names its text uses for the objects. */
    private final class Marks {
        final List<Integer> ids;
        final boolean dots;
        final boolean say;
        final List<String> names = new ArrayList<>();

        Marks(ViewData v, List<Integer> ids, SplittableRandom rnd) {
            this.ids = ids;
            boolean dotsFit = true;
            for (int i = 0; i < ids.size(); i++) {
                dotsFit &= Marking.dot(v, ids.get(i), "A", 0) != null;
            }
            this.dots = dotsFit && rnd.nextBoolean();
            this.say = rnd.nextBoolean();
            for (int i = 0; i < ids.size(); i++) {
                String name = Text.the(scene.describe(ids.get(i)));
                if (say) {
                    name += dots ? " (marked " + (char) ('A' + i) + ")"
                            : " (in the " + Marking.boxColourName(i) + " box)";
                }
                names.add(name);
            }
        }

        void apply(Draft d, ViewData v, List<String> roles) {
            int img = d.show(v);
            for (int i = 0; i < ids.size(); i++) {
                Mark m = dots ? Marking.dot(v, ids.get(i), i, roles.get(i), img)
                        : Marking.box(v, ids.get(i), i, "", img);
                d.mark(m).subject(scene, ids.get(i), roles.get(i));
            }
            d.fact("marks", dots ? "dots" : "boxes");
        }
    }

    private Marks marks(ViewData v, List<Integer> ids, SplittableRandom rnd) {
        return new Marks(v, ids, rnd);
    }

    private String category(int id) {
        return scene.objects.get(id).getCategory();
    }

    /** Whether one of the two rests on the other. */
    private boolean resting(int a, int b) {
        Integer sa = scene.objects.get(a).getSupportId();
        Integer sb = scene.objects.get(b).getSupportId();
        return (sa != null && sa == b) || (sb != null && sb == a);
    }

    private boolean separated(ViewData v, int a, int b) {
        return v.position(a).distance(v.position(b)) >= s.minSeparationM();
    }

    static boolean drawn(ObjectAnnotation a) {
        return a != null && a.getVisiblePixels() > 0 && a.getBox() != null;
    }
}
