package dev.satflow.qa.questions;

import dev.satflow.qa.questions.SceneViews.ViewData;
import dev.satflow.schema.ObjectAnnotation;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Which objects a question may name in a view, and the seeded sampling every template shares. */
final class Salience {
    private Salience() {}

    /** Objects clearly seen in the view: a large enough visible box, mostly unoccluded; ascending ids. */
    static List<Integer> salient(ViewData v, QuestionSettings s) {
        List<Integer> out = new ArrayList<>();
        for (int id : v.frameObjectIds()) {
            ObjectAnnotation a = v.annotation(id);
            if (StaticQuestions.drawn(a) && v.boxArea(id) >= s.minBoxFraction() * v.pixels()
                    && a.getVisibleFraction() >= s.minVisibleFraction()) {
                out.add(id);
            }
        }
        return out;
    }

    /** Every unordered pair, shuffled, each in a random order (so "A vs B" answers balance). */
    static List<int[]> pairs(List<Integer> ids, SplittableRandom rnd) {
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            for (int j = i + 1; j < ids.size(); j++) {
                out.add(rnd.nextBoolean() ? new int[] {ids.get(i), ids.get(j)} : new int[] {ids.get(j), ids.get(i)});
            }
        }
        shuffle(out, rnd);
        return out;
    }

    static <T> void shuffle(List<T> items, SplittableRandom rnd) {
        for (int i = items.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            T t = items.get(i);
            items.set(i, items.get(j));
            items.set(j, t);
        }
    }
}
