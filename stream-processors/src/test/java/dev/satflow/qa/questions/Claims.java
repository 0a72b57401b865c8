package dev.satflow.qa.questions;

import dev.satflow.schema.QaRecord;
import dev.satflow.schema.Subject;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads back what a record claims about the scene, whatever its phrasing: a second reading of
 * every template family, written from the question's words (not from the deriver's code), so a
 * test can state the geometry once and check every family agrees with it. Claims name objects by
 * description: "left_right: red chair left of blue table", "relative_depth: closer red chair".
 */
final class Claims {
    private Claims() {}

    static String of(QaRecord r) {
        String family = r.getTemplate().substring(r.getTemplate().indexOf('/') + 1);
        String q = r.getQuestion();
        String ans = r.getCorrectAnswer();
        boolean yes = ans.equals("yes");
        Map<String, String> role = r.getSubjects().stream()
                .collect(Collectors.toMap(Subject::getRole, Subject::getDescription, (a, b) -> a));
        String other = r.getChoices().stream().filter(c -> !c.equals(ans)).findFirst().orElse("");
        String type = r.getQuestionType();
        return type + ": " + switch (type) {
            case QuestionTypes.LEFT_RIGHT -> {
                String side = family.equals("yes_no") ? asked(q, "left", "right", yes) : ans;
                yield role.get("A") + " " + side + " of " + role.get("B");
            }
            case QuestionTypes.ABOVE_BELOW -> {
                String rel = family.equals("yes_no") ? asked(q, " above ", " below ", yes).trim() : ans;
                yield role.get("A") + " " + rel + " " + role.get("B");
            }
            case QuestionTypes.RELATIVE_DEPTH -> "closer " + switch (family) {
                case "further" -> other;
                case "points" -> role.get(ans);
                // "Is A behind B?" yes: A is further, so B is closer
                case "sat_front_behind" -> (q.contains(" behind ") == yes) ? role.get("B") : role.get("A");
                default -> ans;
            };
            case QuestionTypes.HEIGHT -> "higher " + switch (family) {
                case "which_higher" -> ans;
                case "lower" -> yes ? role.get("B") : role.get("A");
                default -> yes ? role.get("A") : role.get("B");
            };
            case QuestionTypes.RELATIVE_DISTANCE -> "closer to " + role.get("A") + " is "
                    + (family.equals("further") ? other : ans);
            case QuestionTypes.COUNTING -> role.get("category") + " = " + ans;
            case QuestionTypes.EGO_MOVEMENT -> family.equals("yes_no")
                    ? (yes ? "" : "not ") + motion(q.substring(q.indexOf("Did the camera ") + 15, q.length() - 1))
                    : ans;
            case QuestionTypes.CAMERA_TRANSLATION -> family.equals("yes_no")
                    ? "moved " + asked(q, "left", "right", yes) : ans;
            case QuestionTypes.OBJECT_MOVEMENT -> family.equals("yes_no")
                    ? q.substring(4, q.indexOf(" moved between")) + (yes ? " moved" : " not moved") : ans;
            case QuestionTypes.GOAL_AIM -> family.equals("yes_no")
                    ? (yes ? "" : "not ") + q.substring(q.indexOf("should I ") + 9, q.length() - 1) : ans;
            case QuestionTypes.ACTION_CONSEQUENCE -> role.get("1") + (family.startsWith("distance")
                    ? closer(family, ans, yes) : facing(family, ans, yes));
            case QuestionTypes.PERSPECTIVE -> role.get("1") + (family.startsWith("side")
                    ? " " + (family.equals("side_yes_no") ? asked(q, "on my left", "on my right", yes)
                            .substring(6) : ans)
                    : perspectiveDistance(family, ans, yes));
            default -> throw new IllegalArgumentException("type " + type);
        };
    }

    /** The side a yes/no question asks about, or the other one when the answer is no. */
    private static String asked(String q, String a, String b, boolean yes) {
        boolean asksA = q.contains(a);
        return (asksA == yes) ? a : b;
    }

    private static String motion(String verb) {
        return verb.equals("stay still") ? "did not move" : verb.replace("rotate", "rotated").replace("move", "moved");
    }

    private static String closer(String family, String ans, boolean yes) {
        return switch (family) {
            case "distance_closer_further" -> ans.equals("closer") ? " closer" : " further";
            case "distance_sat_further" -> yes ? " further" : " closer";
            default -> yes ? " closer" : " further"; // sat_closer, casual ("will i get closer")
        };
    }

    private static String facing(String family, String ans, boolean yes) {
        return switch (family) {
            case "facing_front_behind", "facing_casual" -> ans.equals("in front of me") ? " front" : " behind";
            default -> yes ? " behind" : " front"; // facing away / behind me: yes = behind
        };
    }

    private static String perspectiveDistance(String family, String ans, boolean yes) {
        return switch (family) {
            case "distance_sat_move" -> ans.equals("closer") ? " closer" : " further";
            case "distance_further_yes_no" -> yes ? " further" : " closer";
            default -> yes ? " closer" : " further";
        };
    }

    /** Every claim of a list, for messages. */
    static List<String> all(List<QaRecord> records) {
        return records.stream().map(Claims::of).toList();
    }

    static Function<QaRecord, String> claim() {
        return Claims::of;
    }
}
