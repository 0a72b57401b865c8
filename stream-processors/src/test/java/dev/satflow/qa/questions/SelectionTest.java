package dev.satflow.qa.questions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Selection against an answer-prior table: outcomes come out in the shares their weights ask for,
 * keys the words decide or the census barely saw are not asked, and nothing is relabelled.
 */
class SelectionTest {
    private static AnswerPriors table(String keysJson) throws IOException {
        String json = "{\"generator\": \"g\", \"deriver\": \"d\", \"scenes\": 10, \"keys\": {" + keysJson + "}}";
        return AnswerPriors.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static Candidate candidate(String type, String key, String outcome, int i) {
        return new Candidate(type, key, outcome, type + ":" + i, r -> {
            throw new AssertionError("not phrased here");
        });
    }

    @Test
    void aSkewedKeyComesOutBalancedAndADecidedOrRareKeyNotAtAll() throws IOException {
        AnswerPriors priors = table("\"height|mug|table\": {\"first\": 300, \"second\": 100},"
                + " \"height|rug|sofa\": {\"first\": 0, \"second\": 500}, \"height|cup|lamp\": {\"first\": 5}");
        Map<String, Integer> kept = new TreeMap<>();
        for (int i = 0; i < 20_000; i++) {
            // the candidates arrive with the census's skew: 3 of 4 "first"
            String outcome = i % 4 == 3 ? "second" : "first";
            Selection s = new Selection(priors, i * 7919L, new HashSet<>());
            for (Candidate c : s.take(List.of(candidate("height", "height|mug|table", outcome, i),
                    candidate("height", "height|rug|sofa", "second", i + 1_000_000),
                    candidate("height", "height|cup|lamp", "first", i + 2_000_000)), 3)) {
                kept.merge(c.key() + "=" + c.outcome(), 1, Integer::sum);
            }
        }
        int first = kept.getOrDefault("height|mug|table=first", 0);
        int second = kept.getOrDefault("height|mug|table=second", 0);
        double share = first / (double) (first + second);
        assertTrue(Math.abs(share - 0.5) < 0.02, "first share after selection " + share + " " + kept);
        assertEquals(0, kept.getOrDefault("height|rug|sofa=second", 0), "decided by the categories: never asked");
        assertEquals(0, kept.getOrDefault("height|cup|lamp=first", 0), "seen 5 times: unknown, not asked");
    }

    @Test
    void weightedOutcomesAndTheNoneTable() throws IOException {
        AnswerPriors priors = table("\"goal_aim\": {\"straight\": 100, \"turn\": 900}");
        Map<String, Integer> kept = new TreeMap<>();
        List<Candidate> all = new ArrayList<>();
        for (int i = 0; i < 30_000; i++) {
            all.add(candidate("goal_aim", "goal_aim", i % 10 == 0 ? "straight" : "turn", i));
        }
        Selection s = new Selection(priors, 42, new HashSet<>());
        for (Candidate c : s.take(all, all.size())) {
            kept.merge(c.outcome(), 1, Integer::sum);
        }
        double straight = kept.get("straight") / (double) (kept.get("straight") + kept.get("turn"));
        assertTrue(Math.abs(straight - 1 / 3.0) < 0.02, "straight is one answer of three: " + straight);
        Selection none = new Selection(AnswerPriors.NONE, 42, new HashSet<>());
        assertEquals(all.size(), none.take(all, all.size()).size(), "the NONE table keeps everything");
    }

    @Test
    void contrastGivesTwoDifferentOutcomesOrNothing() {
        Selection s = new Selection(AnswerPriors.NONE, 1, new HashSet<>());
        List<Candidate> same = List.of(candidate("t", null, "closer", 1), candidate("t", null, "closer", 2));
        assertEquals(List.of(), s.contrast(same));
        List<Candidate> mixed = List.of(candidate("t", null, "closer", 3), candidate("t", null, "closer", 4),
                candidate("t", null, "further", 5));
        List<Candidate> pair = s.contrast(mixed);
        assertEquals(List.of("closer", "further"), pair.stream().map(Candidate::outcome).toList());
        assertEquals(List.of(), s.contrast(mixed.subList(0, 1)), "one candidate is no pair");
    }

    @Test
    void theShippedTableIsForTheCurrentDeriver() {
        AnswerPriors shipped = AnswerPriors.standard();
        assertEquals(SatQuestionDeriver.VERSION, shipped.deriverVersion());
        assertTrue(shipped.scenes() >= 1000 && shipped.keys() > 100, shipped.scenes() + " scenes, " + shipped.keys()
                + " keys: rebuild it with `satflow dataset priors`");
    }
}
