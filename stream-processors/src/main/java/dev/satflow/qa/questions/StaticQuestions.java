package dev.satflow.qa.questions;

import static dev.satflow.qa.questions.QuestionTypes.ABOVE_BELOW;
import static dev.satflow.qa.questions.QuestionTypes.COUNTING;
import static dev.satflow.qa.questions.QuestionTypes.HEIGHT;
import static dev.satflow.qa.questions.QuestionTypes.LEFT_RIGHT;
import static dev.satflow.qa.questions.QuestionTypes.RELATIVE_DEPTH;
import static dev.satflow.qa.questions.QuestionTypes.RELATIVE_DISTANCE;

import dev.satflow.core.geom.Vec3d;
import dev.satflow.qa.questions.SceneViews.ViewData;
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
 * buffers), with a margin on every comparison.
 */
final class StaticQuestions {
    private final SceneViews scene;
    private final QuestionSettings s;

    StaticQuestions(SceneViews scene, QuestionSettings settings) {
        this.scene = scene;
        this.s = settings;
    }

    List<Draft> all(ViewData v, SplittableRandom rnd) {
        List<Draft> out = new ArrayList<>();
        List<Integer> salient = Salience.salient(v, s);
        out.addAll(Salience.take(counting(v, rnd), s.perTypePerView(), rnd));
        out.addAll(Salience.take(relativeDepth(v, salient, rnd), s.perTypePerView(), rnd));
        out.addAll(Salience.take(leftRight(v, salient, rnd), s.perTypePerView(), rnd));
        out.addAll(Salience.take(aboveBelow(v, salient, rnd), s.perTypePerView(), rnd));
        out.addAll(Salience.take(height(v, salient, rnd), s.perTypePerView(), rnd));
        out.addAll(Salience.take(relativeDistance(v, salient, rnd), s.perTypePerView(), rnd));
        return out;
    }

    /** Per category: asked only when every instance is clearly visible or clearly absent in this view. */
    List<Draft> counting(ViewData v, SplittableRandom rnd) {
        Map<String, int[]> byCategory = new TreeMap<>(); // {clear, ambiguous}
        int clearPixels = (int) Math.ceil(0.3 * s.minBoxFraction() * v.pixels());
        for (SceneObject o : scene.objects.values()) {
            int[] c = byCategory.computeIfAbsent(o.getCategory(), k -> new int[2]);
            int px = v.visiblePixels(o.getId());
            if (px >= clearPixels) {
                c[0]++;
            } else if (px > 0) {
                c[1]++;
            }
        }
        List<Draft> out = new ArrayList<>();
        byCategory.forEach((category, c) -> {
            if (c[0] == 0 || c[1] > 0) {
                return;
            }
            int n = c[0];
            List<Integer> pool = new ArrayList<>(List.of(n + 1, n + 2, n + 3));
            if (n >= 1) {
                pool.add(n - 1);
            }
            Salience.shuffle(pool, rnd);
            List<String> distractors = pool.subList(0, 3).stream().map(String::valueOf).toList();
            out.add(new Draft(COUNTING, "How many " + Text.plural(category) + " are visible in the image?",
                    String.valueOf(n), distractors).show(v).fact("category", category).fact("count", n)
                    .fact("clear_pixels", String.valueOf(clearPixels)));
        });
        return out;
    }

    List<Draft> relativeDepth(ViewData v, List<Integer> salient, SplittableRandom rnd) {
        List<Draft> out = new ArrayList<>();
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
            boolean askCloser = rnd.nextBoolean();
            int answer = (da < db) == askCloser ? a : b;
            int other = answer == a ? b : a;
            String q = "Which object is " + (askCloser ? "closer to" : "further from") + " the camera taking this photo, "
                    + Text.the(scene.describe(a)) + " or " + Text.the(scene.describe(b)) + "?";
            out.add(new Draft(RELATIVE_DEPTH, q, scene.describe(answer), List.of(scene.describe(other))).show(v)
                    .fact("a.distance_m", da).fact("b.distance_m", db).fact("a.mean_depth_m", ma)
                    .fact("b.mean_depth_m", mb).fact("margin_m", margin));
        }
        return out;
    }

    List<Draft> leftRight(ViewData v, List<Integer> salient, SplittableRandom rnd) {
        List<Draft> out = new ArrayList<>();
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
            String answer = xa < xb ? "left" : "right";
            String q = rnd.nextBoolean()
                    ? "Considering the relative positions, is " + Text.the(scene.describe(a)) + " to the left or right of "
                            + Text.the(scene.describe(b)) + "?"
                    : "From the camera's point of view, is " + Text.the(scene.describe(a))
                            + " to the left or to the right of " + Text.the(scene.describe(b)) + "?";
            out.add(new Draft(LEFT_RIGHT, q, answer, List.of(Text.opposite(answer))).show(v).fact("a.x_ego_m", xa)
                    .fact("b.x_ego_m", xb).fact("a.centroid_x_px", ua).fact("b.centroid_x_px", ub));
        }
        return out;
    }

    /** Above/below as a person reads it: higher in the room and higher in the picture (SAT compared depth, a bug). */
    List<Draft> aboveBelow(ViewData v, List<Integer> salient, SplittableRandom rnd) {
        List<Draft> out = new ArrayList<>();
        for (int[] pair : Salience.pairs(salient, rnd)) {
            int a = pair[0];
            int b = pair[1];
            double ya = v.position(a).y();
            double yb = v.position(b).y();
            double va = v.annotation(a).getCentroidY();
            double vb = v.annotation(b).getCentroidY();
            // image rows grow downwards: higher in the room means a smaller row
            if (Math.abs(ya - yb) < 2 * s.heightMarginM() || Math.abs(va - vb) < s.imageMarginFraction() * v.height
                    || Math.signum(ya - yb) != Math.signum(vb - va)) {
                continue;
            }
            String answer = ya > yb ? "above" : "below";
            String q = "Considering the relative positions, is " + Text.the(scene.describe(a)) + " above or below "
                    + Text.the(scene.describe(b)) + "?";
            out.add(new Draft(ABOVE_BELOW, q, answer, List.of(Text.opposite(answer))).show(v).fact("a.y_m", ya)
                    .fact("b.y_m", yb).fact("a.centroid_y_px", va).fact("b.centroid_y_px", vb));
        }
        return out;
    }

    List<Draft> height(ViewData v, List<Integer> salient, SplittableRandom rnd) {
        List<Draft> out = new ArrayList<>();
        for (int[] pair : Salience.pairs(salient, rnd)) {
            int a = pair[0];
            int b = pair[1];
            double ya = v.position(a).y();
            double yb = v.position(b).y();
            if (Math.abs(ya - yb) < s.heightMarginM()) {
                continue;
            }
            String q = "Consider the 3D positions of the objects in the scene and not just the 2D positions in the image."
                    + " Is the centre of " + Text.the(scene.describe(a)) + " higher than the centre of "
                    + Text.the(scene.describe(b)) + "?";
            String answer = ya > yb ? "yes" : "no";
            out.add(new Draft(HEIGHT, q, answer, List.of(Text.opposite(answer))).show(v).fact("a.y_m", ya)
                    .fact("b.y_m", yb));
        }
        return out;
    }

    List<Draft> relativeDistance(ViewData v, List<Integer> salient, SplittableRandom rnd) {
        List<Draft> out = new ArrayList<>();
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
                        || Math.abs(dab - dac) < s.distanceMarginRatio() * Math.max(dab, dac)) {
                    continue;
                }
                int answer = dab < dac ? b : c;
                int other = answer == b ? c : b;
                String q = "Estimate the real-world distances between objects in the image. Which object is closer to "
                        + Text.the(scene.describe(anchor)) + ", " + Text.the(scene.describe(b)) + " or "
                        + Text.the(scene.describe(c)) + "?";
                out.add(new Draft(RELATIVE_DISTANCE, q, scene.describe(answer), List.of(scene.describe(other))).show(v)
                        .fact("anchor_to_b_m", dab).fact("anchor_to_c_m", dac));
                break; // one question per anchor keeps anchors varied
            }
        }
        return out;
    }

    private boolean separated(ViewData v, int a, int b) {
        return v.position(a).distance(v.position(b)) >= s.minSeparationM();
    }

    static boolean drawn(ObjectAnnotation a) {
        return a != null && a.getVisiblePixels() > 0 && a.getBox() != null;
    }
}
