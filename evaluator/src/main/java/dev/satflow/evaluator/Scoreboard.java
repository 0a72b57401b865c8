package dev.satflow.evaluator;

import dev.satflow.schema.EvalReport;
import dev.satflow.schema.TypeScore;
import dev.satflow.trainer.data.TrainingExample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scores predictions per question type against two baselines: chance (mean of 1/choices) and the
 * answer prior (always answering the type's most frequent correct text). A model that only beats
 * chance by exploiting priors shows up as accuracy ≈ majority.
 */
public final class Scoreboard {
    private Scoreboard() {}

    public static EvalReport score(List<TrainingExample> examples, int[] predicted, String checkpointId, String runId,
            long step, String split, long nowMs) {
        if (examples.size() != predicted.length) {
            throw new IllegalArgumentException(examples.size() + " examples but " + predicted.length + " predictions");
        }
        Map<String, List<Integer>> byType = new TreeMap<>();
        for (int i = 0; i < examples.size(); i++) {
            byType.computeIfAbsent(examples.get(i).questionType(), t -> new ArrayList<>()).add(i);
        }
        List<TypeScore> scores = new ArrayList<>();
        int correctAll = 0;
        double chanceAll = 0;
        for (Map.Entry<String, List<Integer>> e : byType.entrySet()) {
            int correct = 0;
            double chance = 0;
            Map<String, Integer> answerCounts = new HashMap<>();
            for (int i : e.getValue()) {
                TrainingExample ex = examples.get(i);
                if (predicted[i] == ex.correctIndex()) {
                    correct++;
                }
                chance += 1.0 / ex.choices().size();
                answerCounts.merge(ex.choices().get(ex.correctIndex()), 1, Integer::sum);
            }
            int n = e.getValue().size();
            int majority = answerCounts.values().stream().max(Integer::compare).orElse(0);
            scores.add(TypeScore.newBuilder().setQuestionType(e.getKey()).setCount(n).setCorrect(correct)
                    .setAccuracy((float) correct / n).setChance((float) (chance / n))
                    .setMajority((float) majority / n).build());
            correctAll += correct;
            chanceAll += chance;
        }
        int n = examples.size();
        return EvalReport.newBuilder()
                .setCheckpointId(checkpointId).setRunId(runId).setStep(step).setSplit(split)
                .setScores(scores).setCount(n)
                .setAccuracy(n == 0 ? 0 : (float) correctAll / n)
                .setChance(n == 0 ? 0 : (float) (chanceAll / n))
                .setCreatedAtMs(nowMs)
                .build();
    }
}
