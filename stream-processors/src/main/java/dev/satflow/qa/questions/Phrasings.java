package dev.satflow.qa.questions;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Several phrasings of every question type: SAT's own templates (sat.md §1), yes/no variants,
 * mark-only variants ("point A") and a lower-case, looser family in the style of SAT-Real (§1.3).
 * One family per type is held out: it is only ever used on the test split, so the evaluator can
 * report how a model copes with phrasing it never trained on. Answer words stay those of a trained
 * family, so a held-out question is answerable.
 *
 * <p>Every method returns the question with its correct option first; the deriver shuffles.
 */
final class Phrasings {
    private Phrasings() {}

    /** A phrased question: its template id ({@code type/family}), text, answer and distractors. */
    record Ask(String template, boolean heldOut, String question, String correct, List<String> distractors) {}

    /** A phrasing family of one type. {@code needsPoints}: it names objects only by their lettered dots. */
    record Family(String name, boolean heldOut, boolean needsPoints) {}

    private static Family f(String name) {
        return new Family(name, false, false);
    }

    private static Family points(String name) {
        return new Family(name, false, true);
    }

    private static Family heldOut(String name) {
        return new Family(name, true, false);
    }

    static final List<Family> LEFT_RIGHT = List.of(f("sat_relative"), f("sat_where"), f("yes_no"), points("points"),
            heldOut("casual"));
    static final List<Family> RELATIVE_DEPTH = List.of(f("sat_closer"), f("sat_front_behind"), f("further"),
            points("points"), heldOut("casual"));
    static final List<Family> ABOVE_BELOW = List.of(f("sat_relative"), f("sat_where"), f("yes_no"), points("points"),
            heldOut("casual"));
    static final List<Family> HEIGHT = List.of(f("sat"), f("which_higher"), f("lower"), heldOut("casual"));
    static final List<Family> RELATIVE_DISTANCE = List.of(f("sat_estimate"), f("sat_short"), f("further"),
            heldOut("casual"));
    static final List<Family> COUNTING = List.of(f("sat"), f("image"), f("count"), heldOut("casual"));
    static final List<Family> EGO_MOVEMENT = List.of(f("sat_move"), f("between"), f("yes_no"), heldOut("casual"));
    static final List<Family> CAMERA_TRANSLATION = List.of(f("sat_left_right"), f("sat_move"), f("yes_no"),
            heldOut("casual"));
    static final List<Family> OBJECT_MOVEMENT = List.of(f("sat"), f("which"), f("yes_no"), heldOut("casual"));
    static final List<Family> GOAL_AIM = List.of(f("sat"), f("face"), f("yes_no"), heldOut("casual"));
    static final List<Family> ACTION_DISTANCE = List.of(f("closer_further"), f("sat_closer"), f("sat_further"),
            heldOut("casual"));
    static final List<Family> ACTION_FACING = List.of(f("front_behind"), f("sat_facing_away"), f("behind_yes_no"),
            heldOut("casual"));
    static final List<Family> PERSPECTIVE_SIDE = List.of(f("sat_move"), f("sat_someone"), f("yes_no"),
            heldOut("casual"));
    static final List<Family> PERSPECTIVE_DISTANCE = List.of(f("sat_move"), f("yes_no"), f("further_yes_no"),
            heldOut("casual"));

    /**
     * A family for a question on {@code split}: held-out families only on test (where every family
     * is drawn, so test has seen and unseen phrasing); point families only when dots are drawn.
     */
    static Family pick(List<Family> families, String split, boolean pointsDrawn, SplittableRandom rnd) {
        List<Family> ok = new ArrayList<>();
        for (Family fam : families) {
            if ((!fam.heldOut() || "test".equals(split)) && (!fam.needsPoints() || pointsDrawn)) {
                ok.add(fam);
            }
        }
        return ok.get(rnd.nextInt(ok.size()));
    }

    private static Ask ask(String type, Family fam, String question, String correct, String... distractors) {
        return new Ask(type + "/" + fam.name(), fam.heldOut(), question, correct, List.of(distractors));
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    private static String yesNo(boolean yes) {
        return yes ? "yes" : "no";
    }

    // ---- static -------------------------------------------------------------------------------

    /** Is A to the left of B (in the picture's left-right, i.e. camera x)? a, b: names with any mark suffix. */
    static Ask leftRight(Family fam, String a, String b, boolean aLeft, SplittableRandom rnd) {
        String t = QuestionTypes.LEFT_RIGHT;
        String side = aLeft ? "left" : "right";
        String other = Text.opposite(side);
        return switch (fam.name()) {
            case "sat_relative" -> ask(t, fam, "Considering the relative positions, is " + a + " to the left or right of "
                    + b + "?", side, other);
            case "sat_where" -> ask(t, fam, "Considering the relative positions, where is " + a + " with respect to "
                    + b + "?", side, other);
            case "yes_no" -> {
                boolean askLeft = rnd.nextBoolean();
                yield ask(t, fam, "Is " + a + " to the " + (askLeft ? "left" : "right") + " of " + b + "?",
                        yesNo(askLeft == aLeft), yesNo(askLeft != aLeft));
            }
            case "points" -> ask(t, fam, "Is point A to the left or right of point B?", side, other);
            case "casual" -> ask(t, fam, "from where the camera stands, is " + lower(a) + " on the left or the right side of "
                    + lower(b) + "?", side, other);
            default -> throw unknown(t, fam);
        };
    }

    /** Which of A and B is closer to the camera? */
    static Ask relativeDepth(Family fam, String a, String b, boolean aCloser, SplittableRandom rnd) {
        String t = QuestionTypes.RELATIVE_DEPTH;
        String closer = aCloser ? a : b;
        String further = aCloser ? b : a;
        return switch (fam.name()) {
            case "sat_closer" -> ask(t, fam, "Which object is closer to the camera taking this photo, " + a + " or " + b
                    + "?", Text.bare(closer), Text.bare(further));
            case "sat_front_behind" -> {
                boolean askBehind = rnd.nextBoolean();
                // "behind" = further from the camera
                yield ask(t, fam, "Is " + a + (askBehind ? " behind " : " in front of ") + b + "?",
                        yesNo(askBehind != aCloser), yesNo(askBehind == aCloser));
            }
            case "further" -> ask(t, fam, "Which object is further from the camera taking this photo, " + a + " or " + b
                    + "?", Text.bare(further), Text.bare(closer));
            case "points" -> ask(t, fam, "Which point is closer to the camera taking this photo, point A or point B?",
                    aCloser ? "A" : "B", aCloser ? "B" : "A");
            case "casual" -> ask(t, fam, "which one is nearer to whoever took this photo: " + lower(a) + " or " + lower(b)
                    + "?", Text.bare(closer), Text.bare(further));
            default -> throw unknown(t, fam);
        };
    }

    /** Is A above B (higher in the room and in the picture)? */
    static Ask aboveBelow(Family fam, String a, String b, boolean aAbove, SplittableRandom rnd) {
        String t = QuestionTypes.ABOVE_BELOW;
        String rel = aAbove ? "above" : "below";
        String other = Text.opposite(rel);
        return switch (fam.name()) {
            case "sat_relative" -> ask(t, fam, "Considering the relative positions, is " + a + " above or below " + b
                    + "?", rel, other);
            case "sat_where" -> ask(t, fam, "Considering the relative positions, where is " + a + " with respect to "
                    + b + "?", rel, other);
            case "yes_no" -> {
                boolean askAbove = rnd.nextBoolean();
                yield ask(t, fam, "Is " + a + (askAbove ? " above " : " below ") + b + "?", yesNo(askAbove == aAbove),
                        yesNo(askAbove != aAbove));
            }
            case "points" -> ask(t, fam, "Is point A above or below point B?", rel, other);
            case "casual" -> ask(t, fam, "in this photo, is " + lower(a) + " located above or below " + lower(b) + "?", rel,
                    other);
            default -> throw unknown(t, fam);
        };
    }

    /** Is the centre of A higher above the floor than the centre of B (3D)? */
    static Ask height(Family fam, String a, String b, boolean aHigher, SplittableRandom rnd) {
        String t = QuestionTypes.HEIGHT;
        String higher = aHigher ? a : b;
        String lower = aHigher ? b : a;
        return switch (fam.name()) {
            case "sat" -> ask(t, fam, "Consider the 3D positions of the objects in the scene and not just the 2D"
                    + " positions in the image. Is the centerpoint of " + a + " at a higher height than " + b + "?",
                    yesNo(aHigher), yesNo(!aHigher));
            case "which_higher" -> ask(t, fam, "Considering real-world 3D heights, whose centre is higher above the floor, "
                    + a + " or " + b + "?", Text.bare(higher), Text.bare(lower));
            case "lower" -> ask(t, fam, "In 3D, is the centre of " + a + " lower than the centre of " + b + "?",
                    yesNo(!aHigher), yesNo(aHigher));
            case "casual" -> ask(t, fam, "ignoring where they appear in the picture, is the middle of " + lower(a)
                    + " higher off the floor than the middle of " + lower(b) + "?", yesNo(aHigher), yesNo(!aHigher));
            default -> throw unknown(t, fam);
        };
    }

    /** Which of B and C is closer to the anchor A (3D distance between centres)? */
    static Ask relativeDistance(Family fam, String anchor, String b, String c, boolean bCloser, SplittableRandom rnd) {
        String t = QuestionTypes.RELATIVE_DISTANCE;
        String closer = bCloser ? b : c;
        String further = bCloser ? c : b;
        return switch (fam.name()) {
            case "sat_estimate" -> ask(t, fam, "Estimate the real world distances between objects in the image. Which"
                    + " object is closer to " + anchor + ", " + b + " or " + c + "?", Text.bare(closer), Text.bare(further));
            case "sat_short" -> ask(t, fam, "Which object is closer to " + anchor + ", " + b + " or " + c + "?",
                    Text.bare(closer), Text.bare(further));
            case "further" -> ask(t, fam, "Estimate the real world distances between objects in the image. Which"
                    + " object is further from " + anchor + ", " + b + " or " + c + "?", Text.bare(further),
                    Text.bare(closer));
            case "casual" -> ask(t, fam, "in the room, which is nearer to " + lower(anchor) + ": " + lower(b) + " or "
                    + lower(c) + "?", Text.bare(closer), Text.bare(further));
            default -> throw unknown(t, fam);
        };
    }

    /** How many of a category are visible; options are always 0..4. */
    static Ask counting(Family fam, String plural, int n) {
        String t = QuestionTypes.COUNTING;
        List<String> d = new ArrayList<>();
        for (int k = 0; k <= 4; k++) {
            if (k != n) {
                d.add(String.valueOf(k));
            }
        }
        String q = switch (fam.name()) {
            case "sat" -> "How many " + plural + " are visible in the scene?";
            case "image" -> "How many " + plural + " can be seen in the image?";
            case "count" -> "Count the " + plural + " in the picture. How many are there?";
            case "casual" -> "how many " + plural + " can you see?";
            default -> throw unknown(t, fam);
        };
        return new Ask(t + "/" + fam.name(), fam.heldOut(), q, String.valueOf(n), List.copyOf(d));
    }

    // ---- dynamic ------------------------------------------------------------------------------

    static final String VIDEO = "The first image is from the beginning of the video and the second image is from the end.";

    /** How did the camera move; {@code distractor} is another motion of the same vocabulary. */
    static Ask egoMovement(Family fam, String answer, String distractor, SplittableRandom rnd) {
        String t = QuestionTypes.EGO_MOVEMENT;
        return switch (fam.name()) {
            case "sat_move" -> ask(t, fam, VIDEO + " How did the camera likely move when shooting the video?", answer,
                    distractor);
            case "between" -> ask(t, fam, "The two images were taken one after the other. What did the camera do"
                    + " between them?", answer, distractor);
            case "yes_no" -> {
                boolean truth = rnd.nextBoolean();
                yield ask(t, fam, VIDEO + " Did the camera " + motionVerb(truth ? answer : distractor) + "?",
                        yesNo(truth), yesNo(!truth));
            }
            case "casual" -> ask(t, fam, "how did the camera move between the first and the second picture?", answer,
                    distractor);
            default -> throw unknown(t, fam);
        };
    }

    /** "rotated left and moved forward" -> "rotate left and move forward"; "did not move" -> "stay still". */
    static String motionVerb(String motion) {
        if (motion.equals("did not move")) {
            return "stay still";
        }
        return motion.replace("rotated", "rotate").replace("moved", "move");
    }

    static Ask cameraTranslation(Family fam, boolean left, SplittableRandom rnd) {
        String t = QuestionTypes.CAMERA_TRANSLATION;
        String answer = left ? "moved left" : "moved right";
        String other = left ? "moved right" : "moved left";
        return switch (fam.name()) {
            case "sat_left_right" -> ask(t, fam, VIDEO + " Did the camera move left or right when shooting the video?",
                    answer, other);
            case "sat_move" -> ask(t, fam, VIDEO + " How did the camera likely move when shooting the video?", answer,
                    other);
            case "yes_no" -> {
                boolean askLeft = rnd.nextBoolean();
                yield ask(t, fam, "Between the first and the second image, did the camera move to the "
                        + (askLeft ? "left" : "right") + "?", yesNo(askLeft == left), yesNo(askLeft != left));
            }
            case "casual" -> ask(t, fam, "did the camera slide to the left or to the right between the two pictures?",
                    answer, other);
            default -> throw unknown(t, fam);
        };
    }

    /**
     * Which object moved, as SAT asks it. {@code answer} and {@code distractor} are sentences
     * ("The red mug was moved left") or "no objects moved"; {@code probe} names the object a yes/no
     * variant asks about (the one in the move sentence that is not "no objects moved").
     */
    static Ask objectMovement(Family fam, String answer, String distractor, String probe, boolean probeMoved,
            SplittableRandom rnd) {
        String t = QuestionTypes.OBJECT_MOVEMENT;
        return switch (fam.name()) {
            case "sat" -> ask(t, fam, "Were any of the objects in the initial frame that you can still see in the second"
                    + " frame moved from their original positions?", answer, distractor);
            case "which" -> ask(t, fam, "Compare the two images. Which of these happened between them?", answer,
                    distractor);
            case "yes_no" -> ask(t, fam, "Was " + probe + " moved between the first and the second image?",
                    yesNo(probeMoved), yesNo(!probeMoved));
            case "casual" -> ask(t, fam, "between the first and the second picture, did any object change place? if so,"
                    + " how?", answer, distractor);
            default -> throw unknown(t, fam);
        };
    }

    /** Which way to turn to face X; answer/distractor like "turn left by 40 degrees" or "look straight". */
    static Ask goalAim(Family fam, String x, String answer, String distractor, SplittableRandom rnd) {
        String t = QuestionTypes.GOAL_AIM;
        return switch (fam.name()) {
            case "sat" -> ask(t, fam, "I need to go to " + x + ". Which direction should I turn to face the object?",
                    answer, distractor);
            case "face" -> ask(t, fam, "Which way should I turn to face " + x + "?", answer, distractor);
            case "yes_no" -> {
                boolean truth = rnd.nextBoolean();
                yield ask(t, fam, "To face " + x + ", should I " + (truth ? answer : distractor) + "?", yesNo(truth),
                        yesNo(!truth));
            }
            case "casual" -> ask(t, fam, "i need to go to " + lower(x) + ". which direction should i rotate to face it?",
                    answer, distractor);
            default -> throw unknown(t, fam);
        };
    }

    /** After {@code action} ("turn left by 40 degrees and then move forward 0.3 metres"), is X closer? */
    static Ask actionDistance(Family fam, String action, String x, boolean closer, SplittableRandom rnd) {
        String t = QuestionTypes.ACTION_CONSEQUENCE;
        String ans = closer ? "closer" : "further away";
        return switch (fam.name()) {
            case "closer_further" -> new Ask(t + "/distance_" + fam.name(), false, "If I " + action + ", will " + x
                    + " be closer to me or further away?", ans, List.of(Text.opposite(ans)));
            case "sat_closer" -> new Ask(t + "/distance_" + fam.name(), false, "If I " + action + ", would " + x
                    + " move closer to the camera?", yesNo(closer), List.of(yesNo(!closer)));
            case "sat_further" -> new Ask(t + "/distance_" + fam.name(), false, "If I " + action + ", would " + x
                    + " move further from the camera?", yesNo(!closer), List.of(yesNo(closer)));
            case "casual" -> new Ask(t + "/distance_" + fam.name(), true, "if i " + action + ", will i get closer to "
                    + lower(x) + "?", yesNo(closer), List.of(yesNo(!closer)));
            default -> throw unknown(t, fam);
        };
    }

    /** After turning, is X in front of me? {@code turn} like "turn left by 120 degrees". */
    static Ask actionFacing(Family fam, String turn, String x, boolean inFront, SplittableRandom rnd) {
        String t = QuestionTypes.ACTION_CONSEQUENCE;
        String ans = inFront ? "in front of me" : "behind me";
        String other = inFront ? "behind me" : "in front of me";
        String id = t + "/facing_" + fam.name();
        return switch (fam.name()) {
            case "front_behind" -> new Ask(id, false, "If I " + turn + ", will " + x + " be in front of me or behind me?",
                    ans, List.of(other));
            case "sat_facing_away" -> new Ask(id, false, "If I " + turn + ", will I be facing away from " + x + "?",
                    yesNo(!inFront), List.of(yesNo(inFront)));
            case "behind_yes_no" -> new Ask(id, false, "If I " + turn + ", will " + x + " be behind me?",
                    yesNo(!inFront), List.of(yesNo(inFront)));
            case "casual" -> new Ask(id, true, "if i " + turn + ", will " + lower(x) + " end up in front of me or behind"
                    + " me?", ans, List.of(other));
            default -> throw unknown(t, fam);
        };
    }

    /** Standing at the X and turned {@code turn} ("left"/"right") by 90 degrees, is Y on my left? */
    static Ask perspectiveSide(Family fam, String turn, String y, boolean left, SplittableRandom rnd) {
        String t = QuestionTypes.PERSPECTIVE;
        String side = left ? "left" : "right";
        String id = t + "/side_" + fam.name();
        return switch (fam.name()) {
            case "sat_move" -> new Ask(id, false, "If I move to the 'X' marked point in the image and turn " + turn
                    + " by 90 degrees, will " + y + " be to my left or right?", side, List.of(Text.opposite(side)));
            case "sat_someone" -> new Ask(id, false, "For someone at the 'X' marked point in the image and facing 90"
                    + " degrees to the " + turn + ", will " + y + " be to their left or right?", side,
                    List.of(Text.opposite(side)));
            case "yes_no" -> {
                boolean askLeft = rnd.nextBoolean();
                yield new Ask(id, false, "If I stand at the 'X' marked point in the image and turn " + turn
                        + " by 90 degrees, will " + y + " be on my " + (askLeft ? "left" : "right") + "?",
                        yesNo(askLeft == left), List.of(yesNo(askLeft != left)));
            }
            case "casual" -> new Ask(id, true, "for someone at the x facing " + turn + " by 90 degrees, will " + lower(y)
                    + " be to his left or right?", side, List.of(Text.opposite(side)));
            default -> throw unknown(t, fam);
        };
    }

    /** Standing at the X, is Y closer than it is now? */
    static Ask perspectiveDistance(Family fam, String y, boolean closer, SplittableRandom rnd) {
        String t = QuestionTypes.PERSPECTIVE;
        String ans = closer ? "closer" : "further away";
        String id = t + "/distance_" + fam.name();
        return switch (fam.name()) {
            case "sat_move" -> new Ask(id, false, "If I move to the 'X' marked point in the image, will " + y
                    + " be closer to me or further away than it is now?", ans, List.of(Text.opposite(ans)));
            case "yes_no" -> new Ask(id, false, "If I move to the 'X' marked point in the image, will " + y
                    + " get closer to me?", yesNo(closer), List.of(yesNo(!closer)));
            case "further_yes_no" -> new Ask(id, false, "If I move to the 'X' marked point in the image, will " + y
                    + " be further from me than it is now?", yesNo(!closer), List.of(yesNo(closer)));
            case "casual" -> new Ask(id, true, "if i walk over to the x, will " + lower(y) + " be nearer to me than it is"
                    + " now?", yesNo(closer), List.of(yesNo(!closer)));
            default -> throw unknown(t, fam);
        };
    }

    private static IllegalStateException unknown(String type, Family fam) {
        return new IllegalStateException(type + ": no phrasing family '" + fam.name() + "'");
    }
}
