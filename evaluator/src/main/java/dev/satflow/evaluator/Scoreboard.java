package dev.satflow.evaluator;

import dev.satflow.schema.EvalReport;
import dev.satflow.schema.QaRecord;
import dev.satflow.schema.TypeScore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Adds up outcomes per question type as they stream past, and turns them into an {@link EvalReport}:
 * plain accuracy next to circular accuracy (right under every rotation of the options), chance (mean of
 * 1/choices), the answer prior (always giving the type's most common right answer), the blind baselines,
 * and accuracy on held-out against seen phrasing. A model that reads the answer off the words or the
 * option position shows up as accuracy near the blind or prior figure, or as circular far below plain.
 * Holds a few counters per type, nothing per question.
 */
public final class Scoreboard {
    private final Map<String, Tally> types = new TreeMap<>();

    /** Adds one scored question. */
    public void add(QaRecord q, CircularScorer.Outcome o) {
        String answer = q.getChoices().get(q.getCorrectIndex());
        add(q.getQuestionType(), q.getChoices().size(), answer, q.getHeldOutPhrasing(), o);
    }

    public void add(String type, int choices, String correctAnswer, boolean heldOutPhrasing, CircularScorer.Outcome o) {
        types.computeIfAbsent(type, t -> new Tally()).add(choices, correctAnswer, heldOutPhrasing, o);
    }

    /** Questions added so far. */
    public int count() {
        return types.values().stream().mapToInt(t -> t.n).sum();
    }

    /** The report; {@code reportPath} is left empty for the caller. */
    public EvalReport report(String checkpointId, String runId, long step, String split, BlindReference blind,
            long nowMs) {
        List<TypeScore> scores = new ArrayList<>();
        Tally all = new Tally();
        int majorityAll = 0;
        for (Map.Entry<String, Tally> e : types.entrySet()) {
            Tally t = e.getValue();
            scores.add(t.score(e.getKey(), t.majority(), blind.type(e.getKey())));
            all.merge(t);
            majorityAll += t.majority();
        }
        TypeScore overall = all.score("all", majorityAll, blind.all());
        return EvalReport.newBuilder()
                .setCheckpointId(checkpointId).setRunId(runId).setStep(step).setSplit(split)
                .setScores(scores).setCount(all.n)
                .setAccuracy(overall.getAccuracy()).setChance(overall.getChance())
                .setCircularAccuracy(overall.getCircularAccuracy())
                .setOverall(overall)
                .setBlindRecords(blind.records())
                .setCreatedAtMs(nowMs)
                .build();
    }

    private static final class Tally {
        int n;
        int correct;
        int circular;
        double chance;
        final Map<String, Integer> answers = new HashMap<>();
        int heldN;
        int heldCorrect;
        int heldCircular;
        int seenN;
        int seenCorrect;

        void add(int choices, String answer, boolean heldOut, CircularScorer.Outcome o) {
            n++;
            chance += 1.0 / choices;
            answers.merge(answer, 1, Integer::sum);
            int right = o.correct() ? 1 : 0;
            int circ = o.circularCorrect() ? 1 : 0;
            correct += right;
            circular += circ;
            if (heldOut) {
                heldN++;
                heldCorrect += right;
                heldCircular += circ;
            } else {
                seenN++;
                seenCorrect += right;
            }
        }

        void merge(Tally t) {
            n += t.n;
            correct += t.correct;
            circular += t.circular;
            chance += t.chance;
            heldN += t.heldN;
            heldCorrect += t.heldCorrect;
            heldCircular += t.heldCircular;
            seenN += t.seenN;
            seenCorrect += t.seenCorrect;
        }

        int majority() {
            return answers.values().stream().max(Integer::compare).orElse(0);
        }

        TypeScore score(String type, int majority, BlindReference.Numbers b) {
            return TypeScore.newBuilder()
                    .setQuestionType(type).setCount(n).setCorrect(correct)
                    .setAccuracy(share(correct, n)).setChance(n == 0 ? 0f : (float) (chance / n))
                    .setMajority(share(majority, n))
                    .setCircularCorrect(circular).setCircularAccuracy(n == 0 ? null : share(circular, n))
                    .setHeldOutPhrasingCount(heldN)
                    .setHeldOutPhrasingAccuracy(heldN == 0 ? null : share(heldCorrect, heldN))
                    .setHeldOutPhrasingCircularAccuracy(heldN == 0 ? null : share(heldCircular, heldN))
                    .setSeenPhrasingCount(seenN)
                    .setSeenPhrasingAccuracy(seenN == 0 ? null : share(seenCorrect, seenN))
                    .setBlindText(f(b.text())).setBlindCategory(f(b.category())).setBlindCount(b.n())
                    .setBlindTextCv(f(b.textCv())).setBlindCategoryCv(f(b.categoryCv())).setBlindCvCount(b.cvN())
                    .setBlindCvNoise(f(b.cvNoise()))
                    .build();
        }

        private static float share(int k, int n) {
            return n == 0 ? 0f : (float) k / n;
        }

        private static Float f(Double d) {
            return d == null || d.isNaN() ? null : d.floatValue();
        }
    }
}
