package dev.satflow.evaluator.blind;

import dev.satflow.core.qa.SubjectRoles;
import dev.satflow.schema.QaRecord;
import dev.satflow.schema.Subject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Text helpers shared by the featurizers and the statistics: tokens, and options normalised by replacing a
 * named subject's description with its role token ("the small red mug" → "the &lt;A&gt;").
 */
public final class QaText {
    private QaText() {}

    /** A named subject, lower-cased, with its role token. */
    public record Named(String role, String token, String description, String category) {}

    private static final List<String> ROLE_ORDER = List.of("a", "b", "c", "d", "1", "2", "3", "subject", "anchor");

    /** The record's subjects in role order (A, B, C, 1, 2, subject, anchor, then others by name; stable). */
    public static List<Named> subjects(QaRecord r) {
        List<Named> out = new ArrayList<>();
        List<Subject> ss = r.getSubjects();
        for (int i = 0; i < ss.size(); i++) {
            Subject s = ss.get(i);
            String role = s.getRole() == null ? "" : s.getRole().toString();
            if (SubjectRoles.COUNTED.equals(role)) {
                continue; // the counted instances are the answer, not part of the question
            }
            String token = "<" + (role.isEmpty() ? "s" + i : role) + ">";
            out.add(new Named(role, token, lower(s.getDescription()), lower(s.getCategory())));
        }
        out.sort(Comparator.comparingInt((Named n) -> roleRank(n.role())).thenComparing(Named::role));
        return out;
    }

    private static int roleRank(String role) {
        int i = ROLE_ORDER.indexOf(role.toLowerCase(Locale.ROOT));
        return i < 0 ? ROLE_ORDER.size() : i;
    }

    /** Subjects ordered for replacement: longest description first, so "small red mug" wins over "red mug". */
    public static Named[] forReplacement(List<Named> subjects) {
        Named[] a = subjects.stream().filter(n -> !n.description().isBlank()).toArray(Named[]::new);
        Arrays.sort(a, Comparator.comparingInt((Named n) -> -n.description().length()));
        return a;
    }

    /** Lower-cased text with every whole-word occurrence of a subject description replaced by its role token. */
    public static String normalise(String text, Named[] byLength) {
        return normalise(text, byLength, Named::token);
    }

    /** Like {@link #normalise(String, Named[])} with the replacement chosen per subject (e.g. "[mug]"). */
    public static String normalise(String text, Named[] byLength, java.util.function.Function<Named, String> token) {
        String s = lower(text).strip();
        for (Named n : byLength) {
            String d = n.description();
            int from = 0;
            int i;
            while ((i = s.indexOf(d, from)) >= 0) {
                int end = i + d.length();
                if (boundary(s, i - 1) && boundary(s, end)) {
                    String t = token.apply(n);
                    s = s.substring(0, i) + t + s.substring(end);
                    from = i + t.length();
                } else {
                    from = i + 1;
                }
            }
        }
        return s;
    }

    private static boolean boundary(String s, int i) {
        return i < 0 || i >= s.length() || !Character.isLetterOrDigit(s.charAt(i));
    }

    /**
     * Lower-cased word tokens: runs of letters/digits; a role token "&lt;a&gt;" stays whole; everything else
     * (spaces, punctuation) splits.
     */
    public static List<String> tokens(String text) {
        String s = lower(text);
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == '<') {
                int close = s.indexOf('>', i + 1);
                if (close > i + 1 && close - i <= 16 && s.substring(i + 1, close).chars().allMatch(Character::isLetterOrDigit)) {
                    out.add(s.substring(i, close + 1));
                    i = close + 1;
                    continue;
                }
                i++;
            } else if (Character.isLetterOrDigit(c)) {
                int j = i;
                while (j < n && Character.isLetterOrDigit(s.charAt(j))) {
                    j++;
                }
                out.add(s.substring(i, j));
                i = j;
            } else {
                i++;
            }
        }
        return out;
    }

    static String lower(CharSequence s) {
        return s == null ? "" : s.toString().toLowerCase(Locale.ROOT);
    }
}
