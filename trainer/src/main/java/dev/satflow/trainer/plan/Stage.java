package dev.satflow.trainer.plan;

import dev.satflow.trainer.data.Family;
import dev.satflow.trainer.data.QuestionCatalog;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One stage of a {@link MixingPlan}.
 *
 * @param name      for logs and checkpoints
 * @param steps     fixed length in optimisation steps, or 0 for none
 * @param until     an end condition on running statistics, or null; with {@code steps} too, whichever comes first
 * @param weights   share of each question type among the fresh examples of a batch, summing to 1, in
 *                  {@link QuestionCatalog#ALL} order; types left out have weight 0 (their examples are passed
 *                  over while the stage runs)
 * @param rehearsal share of each batch drawn from the reservoir of older examples, in [0, 1)
 * @param lr        the learning-rate schedule
 */
public record Stage(String name, long steps, Until until, Map<String, Double> weights, double rehearsal,
        LrSchedule lr) {

    public Stage {
        if (steps < 0) {
            throw new IllegalArgumentException("steps = " + steps + ": expected >= 1");
        }
        if (!(rehearsal >= 0 && rehearsal < 1)) {
            throw new IllegalArgumentException("rehearsal = " + rehearsal + ": expected a fraction in [0, 1)");
        }
        double sum = 0;
        Map<String, Double> ordered = new LinkedHashMap<>();
        for (String type : QuestionCatalog.ALL) {
            Double w = weights.get(type);
            if (w != null && w > 0) {
                ordered.put(type, w);
                sum += w;
            }
        }
        for (Map.Entry<String, Double> e : weights.entrySet()) {
            if (!QuestionCatalog.known(e.getKey())) {
                throw new IllegalArgumentException("weights: unknown question type '" + e.getKey() + "' (one of "
                        + QuestionCatalog.ALL + ", or static/dynamic)");
            }
            if (!(e.getValue() >= 0) || !Double.isFinite(e.getValue())) {
                throw new IllegalArgumentException("weights." + e.getKey() + " = " + e.getValue()
                        + ": expected a number >= 0");
            }
        }
        if (!(sum > 0)) {
            throw new IllegalArgumentException("weights: at least one question type needs a weight > 0");
        }
        if (Math.abs(sum - 1) > 1e-12) { // already normalised weights (a stored plan) stay bit-identical
            for (Map.Entry<String, Double> e : ordered.entrySet()) {
                e.setValue(e.getValue() / sum);
            }
        }
        weights = Collections.unmodifiableMap(ordered);
        if (lr == null) {
            lr = LrSchedule.CONSTANT;
        }
        if (lr.kind() == LrSchedule.Kind.COSINE && lr.decaySteps() == 0 && (steps == 0 || steps <= lr.warmup())) {
            throw new IllegalArgumentException("lr: a cosine schedule needs decay_steps when the stage has no fixed "
                    + "length beyond its warm-up");
        }
    }

    /** Whether the stage ends on its own (by steps or a condition); only the last stage may be open. */
    public boolean bounded() {
        return steps > 0 || until != null;
    }

    public double weight(String type) {
        return weights.getOrDefault(type, 0.0);
    }

    /** The share of {@code family} among fresh examples, derived from the type weights. */
    public double familyShare(Family family) {
        return QuestionCatalog.of(family).stream().mapToDouble(this::weight).sum();
    }

    /** The same stage with its weights rescaled so the dynamic family gets {@code dynamicShare}. */
    public Stage withDynamicShare(double dynamicShare) {
        double st = familyShare(Family.STATIC);
        double dy = familyShare(Family.DYNAMIC);
        Map<String, Double> w = new LinkedHashMap<>();
        for (String type : QuestionCatalog.ALL) {
            boolean dynamic = QuestionCatalog.family(type) == Family.DYNAMIC;
            double own = dynamic ? dy : st;
            double target = dynamic ? dynamicShare : 1 - dynamicShare;
            if (own > 0) {
                w.put(type, weight(type) / own * target);
            } else if (target > 0) {
                w.put(type, target / QuestionCatalog.of(QuestionCatalog.family(type)).size()); // spread evenly
            }
        }
        return new Stage(name, steps, until, w, rehearsal, lr);
    }
}
