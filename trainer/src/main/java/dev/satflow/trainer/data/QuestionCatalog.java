package dev.satflow.trainer.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The question types the trainer knows and their SAT family. A copy of the QA processor's
 * {@code dev.satflow.qa.questions.QuestionTypes} (the trainer does not depend on the stream processors); a test
 * in the ops module keeps the two equal.
 */
public final class QuestionCatalog {
    private QuestionCatalog() {}

    public static final List<String> STATIC = List.of("counting", "relative_depth", "left_right", "above_below",
            "height", "relative_distance");
    public static final List<String> DYNAMIC = List.of("ego_movement", "camera_translation", "object_movement",
            "goal_aim", "action_consequence", "perspective");
    /** Static types first, then dynamic, each in the QA processor's order. */
    public static final List<String> ALL;

    static {
        List<String> all = new ArrayList<>(STATIC);
        all.addAll(DYNAMIC);
        ALL = Collections.unmodifiableList(all);
    }

    public static boolean known(String type) {
        return ALL.contains(type);
    }

    /** The family of a known type. */
    public static Family family(String type) {
        if (STATIC.contains(type)) {
            return Family.STATIC;
        }
        if (DYNAMIC.contains(type)) {
            return Family.DYNAMIC;
        }
        throw new IllegalArgumentException("'" + type + "' is not a satflow question type (one of " + ALL + ")");
    }

    /** The types of {@code family}. */
    public static List<String> of(Family family) {
        return family == Family.STATIC ? STATIC : DYNAMIC;
    }
}
