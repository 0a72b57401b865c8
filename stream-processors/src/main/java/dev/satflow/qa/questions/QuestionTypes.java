package dev.satflow.qa.questions;

import java.util.List;

/** The question types satflow emits, with SAT's family split (static: one image; dynamic: motion). */
public final class QuestionTypes {
    private QuestionTypes() {}

    public static final String COUNTING = "counting";
    public static final String RELATIVE_DEPTH = "relative_depth";
    public static final String LEFT_RIGHT = "left_right";
    public static final String ABOVE_BELOW = "above_below";
    public static final String HEIGHT = "height";
    public static final String RELATIVE_DISTANCE = "relative_distance";

    public static final String EGO_MOVEMENT = "ego_movement";
    public static final String CAMERA_TRANSLATION = "camera_translation";
    public static final String OBJECT_MOVEMENT = "object_movement";
    public static final String GOAL_AIM = "goal_aim";
    public static final String ACTION_CONSEQUENCE = "action_consequence";
    public static final String PERSPECTIVE = "perspective";

    public static final List<String> STATIC = List.of(COUNTING, RELATIVE_DEPTH, LEFT_RIGHT, ABOVE_BELOW, HEIGHT,
            RELATIVE_DISTANCE);
    public static final List<String> DYNAMIC = List.of(EGO_MOVEMENT, CAMERA_TRANSLATION, OBJECT_MOVEMENT, GOAL_AIM,
            ACTION_CONSEQUENCE, PERSPECTIVE);

    public static String family(String type) {
        if (STATIC.contains(type)) {
            return "static";
        }
        if (DYNAMIC.contains(type)) {
            return "dynamic";
        }
        throw new IllegalArgumentException("questionType = '" + type + "': not a satflow question type");
    }
}
