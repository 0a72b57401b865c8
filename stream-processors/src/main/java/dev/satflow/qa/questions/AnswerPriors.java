package dev.satflow.qa.questions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * How often each answer comes up for what a question's text reveals (its type and the categories it
 * names), measured over many generated scenes before any selection: the table that lets the deriver
 * select questions so the answer cannot be read off the text. A candidate whose outcome is the
 * common one for its key is kept with probability (rarest share / its share), so after selection
 * every outcome of a key is equally likely; a key whose rare outcome is too rare (the categories
 * decide the answer, e.g. a rug is always below a table) is not asked at all. Nothing is relabelled.
 *
 * <p>The table is a resource built by {@code satflow dataset priors} for one generator version.
 * A key it has seen fewer than {@link #MIN_SEEN} times is not asked: its prior is unknown, and rare
 * category pairs are exactly where a question-only model would find answers decided by the words.
 * (A new catalog needs a new census.)
 */
public final class AnswerPriors {
    /** Below this many candidates a key's shares are not trusted: the key is not asked. */
    static final int MIN_SEEN = 20;
    public static final String RESOURCE = "answer-priors.json";

    /** A table that keeps every candidate: for measuring the raw distribution. */
    public static final AnswerPriors NONE = new AnswerPriors("", "", 0, Map.of(), true);

    private final String generatorVersion;
    private final String deriverVersion;
    private final int scenes;
    private final Map<String, Map<String, Integer>> counts;
    private final boolean keepUnknown;

    AnswerPriors(String generatorVersion, String deriverVersion, int scenes, Map<String, Map<String, Integer>> counts,
            boolean keepUnknown) {
        this.generatorVersion = generatorVersion;
        this.deriverVersion = deriverVersion;
        this.scenes = scenes;
        this.counts = counts;
        this.keepUnknown = keepUnknown;
    }

    /** The table shipped with this deriver version. */
    public static AnswerPriors standard() {
        try (InputStream in = AnswerPriors.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " missing next to " + AnswerPriors.class);
            }
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    public static AnswerPriors read(InputStream in) throws IOException {
        JsonNode root = new ObjectMapper().readTree(in);
        Map<String, Map<String, Integer>> counts = new HashMap<>();
        Iterator<Map.Entry<String, JsonNode>> keys = root.path("keys").fields();
        while (keys.hasNext()) {
            Map.Entry<String, JsonNode> k = keys.next();
            Map<String, Integer> byOutcome = new HashMap<>();
            k.getValue().fields().forEachRemaining(o -> byOutcome.put(o.getKey(), o.getValue().asInt()));
            counts.put(k.getKey(), byOutcome);
        }
        return new AnswerPriors(root.path("generator").asText(), root.path("deriver").asText(),
                root.path("scenes").asInt(), counts, false);
    }

    public String generatorVersion() {
        return generatorVersion;
    }

    public String deriverVersion() {
        return deriverVersion;
    }

    public int scenes() {
        return scenes;
    }

    public int keys() {
        return counts.size();
    }

    /**
     * The probability of keeping a candidate: 0 for a key seen too rarely to know (1 in the
     * {@link #NONE} table), 0 for a key whose answer the text decides or an outcome too rare to
     * balance, else chosen so that after selection the kept outcomes have shares proportional to
     * their weights.
     *
     * @param outcomes every outcome the key's type can have (so unseen ones count as rare)
     * @param weights  the share each outcome should end up with, relative
     * @param floor    shares below this are too rare to keep (and a key with fewer than
     *                 {@code minOutcomes} outcomes at or above it is not asked)
     */
    public double keep(String key, String outcome, List<String> outcomes, List<Double> weights, double floor,
            int minOutcomes) {
        Map<String, Integer> c = counts.getOrDefault(key, Map.of());
        int n = c.values().stream().mapToInt(Integer::intValue).sum();
        if (n < MIN_SEEN) {
            return keepUnknown ? 1 : 0;
        }
        double smooth = 0.5;
        double total = n + smooth * outcomes.size();
        double scarcest = Double.MAX_VALUE; // smallest share per unit of weight among kept outcomes
        int kept = 0;
        double mine = -1;
        for (int i = 0; i < outcomes.size(); i++) {
            double share = (c.getOrDefault(outcomes.get(i), 0) + smooth) / total;
            if (share >= floor) {
                kept++;
                scarcest = Math.min(scarcest, share / weights.get(i));
            }
            if (outcomes.get(i).equals(outcome)) {
                mine = share >= floor ? share / weights.get(i) : -1;
            }
        }
        if (kept < minOutcomes || mine < 0) {
            return 0;
        }
        return Math.min(1, scarcest / mine);
    }
}
