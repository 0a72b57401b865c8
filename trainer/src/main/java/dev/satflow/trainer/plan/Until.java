package dev.satflow.trainer.plan;

import java.util.Locale;

/**
 * A stage's end condition on the trainer's own running statistics: the mean of {@code metric} over the last
 * {@code window} trained examples (only those of {@code type} when set; rehearsal examples count too) is above
 * or below {@code threshold}. Checked after every step once the stage has trained {@code window} matching
 * examples; the step that makes it true is the stage's last.
 *
 * @param metric    train_accuracy (1 for a right answer, 0 for a wrong one, before the update) or loss (the
 *                  example's cross-entropy)
 * @param type      a question type, or null for every example
 * @param above     true: ends when the mean is &gt; threshold; false: when it is &lt; threshold
 * @param threshold the bound
 * @param window    examples averaged over, at least 1
 */
public record Until(Metric metric, String type, boolean above, double threshold, int window) {

    public enum Metric {
        TRAIN_ACCURACY, LOSS;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Metric parse(String wire) {
            for (Metric m : values()) {
                if (m.wireName().equals(wire)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("metric = '" + wire + "': expected train_accuracy or loss");
        }
    }

    public Until {
        if (metric == null) {
            throw new IllegalArgumentException("metric: missing (train_accuracy or loss)");
        }
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("above/below: expected a finite number");
        }
        if (window < 1) {
            throw new IllegalArgumentException("window = " + window + ": expected at least 1");
        }
    }

    /** Whether the running mean meets the condition. */
    public boolean met(double mean) {
        return above ? mean > threshold : mean < threshold;
    }

    public boolean matches(String questionType) {
        return type == null || type.equals(questionType);
    }

    @Override
    public String toString() {
        return "mean " + metric.wireName() + (type == null ? "" : " of " + type) + " over " + window + " examples "
                + (above ? "> " : "< ") + threshold;
    }
}
