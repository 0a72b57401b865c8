package dev.satflow.qa.questions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Which candidates a scene asks. Three rules, none of which ever changes an answer:
 * <ol>
 *   <li>balance: a candidate is kept with the probability {@link AnswerPriors} gives its key and
 *       outcome, drawn from a hash of the scene and the question's identity (so the draw does not
 *       depend on what else the scene asks);
 *   <li>once per scene: a static question already asked from another view is not asked again;
 *   <li>variety: of what is left, up to n, alternating outcomes; or, for {@link #contrast}, two
 *       with different outcomes or none (the text then differs only in the object named).
 * </ol>
 */
final class Selection {
    private static final List<String> BINARY = List.of("first", "second");
    private static final List<String> COUNTS = List.of("0", "1", "2", "3", "4");

    /**
     * A type's outcome space: the outcomes, the share each should have after selection (relative
     * weights), the rarity floor under which an outcome is not asked, and the fewest outcomes a key
     * must keep to be asked at all.
     */
    private record Space(List<String> outcomes, List<Double> weights, double floor, int minOutcomes) {}

    private static List<Double> even(int n) {
        return java.util.Collections.nCopies(n, 1.0);
    }

    private static final Map<String, Space> SPACES = Map.of(
            QuestionTypes.COUNTING, new Space(COUNTS, even(5), 0.01, 4),
            QuestionTypes.EGO_MOVEMENT, new Space(DynamicQuestions.EGO_ANSWERS, even(6), 0.05, 4),
            // left and right are one outcome (a turn), so a mirrored scene keeps the same questions
            QuestionTypes.GOAL_AIM, new Space(List.of("straight", "turn"), List.of(1.0, 2.0), 0.05, 2),
            // nothing moved in a third (see DynamicQuestions); the moves evenly sideways, towards, away
            QuestionTypes.OBJECT_MOVEMENT, new Space(List.of("none", "side", "towards", "away"),
                    List.of(1.5, 1.0, 1.0, 1.0), 0.05, 4));
    private static final Space PAIR = new Space(BINARY, even(2), 0.12, 2);

    private final AnswerPriors priors;
    private final long sceneSeed;
    private final Set<String> asked;

    Selection(AnswerPriors priors, long sceneSeed, Set<String> asked) {
        this.priors = priors;
        this.sceneSeed = sceneSeed;
        this.asked = asked;
    }

    /** Binary outcome of a pair question: does the object of the first-sorted category have the property? */
    static String pairOutcome(String categoryA, String categoryB, boolean aHasIt) {
        return (categoryA.compareTo(categoryB) <= 0) == aHasIt ? "first" : "second";
    }

    /** The key of a question naming these categories (order-free), or null when they are all the same. */
    static String pairKey(String type, String categoryA, String categoryB) {
        if (categoryA.equals(categoryB)) {
            return null;
        }
        return categoryA.compareTo(categoryB) < 0 ? type + "|" + categoryA + "|" + categoryB
                : type + "|" + categoryB + "|" + categoryA;
    }

    /** Probability that balancing keeps this candidate. */
    double keep(Candidate c) {
        if (c.key() == null) {
            return 1;
        }
        Space s = SPACES.getOrDefault(c.type(), PAIR);
        return priors.keep(c.key(), c.outcome(), s.outcomes(), s.weights(), s.floor(), s.minOutcomes());
    }

    /** Whether balancing keeps it, by a draw that depends on the scene and the question alone. */
    boolean kept(Candidate c) {
        return unit(sceneSeed ^ (c.identity().hashCode() * 0x9E3779B97F4A7C15L)) < keep(c);
    }

    /** Up to n kept, not yet asked candidates, alternating outcomes; marks them asked. */
    List<Candidate> take(List<Candidate> candidates, int n) {
        List<Candidate> rest = usable(candidates);
        List<Candidate> out = new ArrayList<>();
        while (out.size() < n && !rest.isEmpty()) {
            Candidate pick = null;
            if (!out.isEmpty()) {
                String last = out.get(out.size() - 1).outcome();
                pick = rest.stream().filter(c -> !c.outcome().equals(last)).findFirst().orElse(null);
            }
            if (pick == null) {
                pick = rest.get(0);
            }
            rest.remove(pick);
            out.add(pick);
            asked.add(pick.identity());
        }
        return out;
    }

    /** Two kept candidates with different outcomes (the first two such in order), or none. */
    List<Candidate> contrast(List<Candidate> candidates) {
        List<Candidate> rest = usable(candidates);
        for (int i = 0; i < rest.size(); i++) {
            for (int j = i + 1; j < rest.size(); j++) {
                if (!rest.get(i).outcome().equals(rest.get(j).outcome())) {
                    asked.add(rest.get(i).identity());
                    asked.add(rest.get(j).identity());
                    return List.of(rest.get(i), rest.get(j));
                }
            }
        }
        return List.of();
    }

    private List<Candidate> usable(List<Candidate> candidates) {
        List<Candidate> out = new ArrayList<>();
        for (Candidate c : candidates) {
            if (!asked.contains(c.identity()) && kept(c)) {
                out.add(c);
            }
        }
        return out;
    }

    /** Phrases the selected candidates and records what balancing saw. */
    List<Draft> phrase(List<Candidate> selected, SplittableRandom rnd) {
        List<Draft> out = new ArrayList<>();
        for (Candidate c : selected) {
            Draft d = c.phrase().apply(rnd);
            if (c.key() != null) {
                d.fact("balance_key", c.key()).fact("balance_outcome", c.outcome()).fact("balance_keep", keep(c));
            }
            out.add(d);
        }
        return out;
    }

    /** A double in [0, 1) from 64 bits, through SplitMix64's finaliser. */
    static double unit(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 11) * 0x1.0p-53;
    }
}
