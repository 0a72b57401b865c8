package dev.satflow.trainer.plan;

import java.util.Locale;

/**
 * A stage's learning-rate schedule, evaluated per optimisation step counted from the stage's start.
 *
 * <ul>
 *   <li>{@code constant}: {@code peak} every step.</li>
 *   <li>{@code warmup}: linear warm-up, {@code peak·(s+1)/warmup} for the stage's first {@code warmup} steps
 *       (s = 0, 1, ...), then {@code peak}.</li>
 *   <li>{@code cosine}: the same warm-up (if {@code warmup > 0}), then a half cosine from {@code peak} down to
 *       {@code floor} over {@code decaySteps} steps, then {@code floor}.</li>
 * </ul>
 *
 * @param kind       constant, warmup or cosine
 * @param peak       the stage's top rate; null = the run's {@code train.learning-rate}
 * @param floor      where cosine ends; null = a tenth of the peak
 * @param warmup     warm-up steps (warmup and cosine)
 * @param decaySteps cosine steps after the warm-up; 0 = the rest of a fixed-length stage
 */
public record LrSchedule(Kind kind, Double peak, Double floor, long warmup, long decaySteps) {

    public enum Kind {
        CONSTANT, WARMUP, COSINE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final LrSchedule CONSTANT = new LrSchedule(Kind.CONSTANT, null, null, 0, 0);

    public LrSchedule {
        if (kind == null) {
            throw new IllegalArgumentException("schedule: missing");
        }
        if (peak != null && !(peak > 0 && Double.isFinite(peak))) {
            throw new IllegalArgumentException("peak = " + peak + ": expected a positive number");
        }
        if (floor != null && !(floor >= 0 && Double.isFinite(floor))) {
            throw new IllegalArgumentException("floor = " + floor + ": expected a number >= 0");
        }
        if (peak != null && floor != null && floor > peak) {
            throw new IllegalArgumentException("floor = " + floor + " is above peak = " + peak);
        }
        if (warmup < 0 || decaySteps < 0) {
            throw new IllegalArgumentException("warmup and decay_steps must be >= 0");
        }
        if (kind == Kind.WARMUP && warmup == 0) {
            throw new IllegalArgumentException("schedule 'warmup' needs warmup > 0");
        }
    }

    /**
     * The rate of the stage's step {@code s} (0 = its first).
     *
     * @param stageLength the stage's fixed length in steps, or 0 when it has none (until-stages, the open last
     *                    stage); only used by cosine without {@code decaySteps}
     * @param base        the run's learning rate, used when {@code peak} is unset
     */
    public float rate(long s, long stageLength, float base) {
        double top = peak != null ? peak : base;
        if (kind == Kind.CONSTANT) {
            return (float) top;
        }
        if (s < warmup) {
            return (float) (top * (s + 1) / warmup);
        }
        if (kind == Kind.WARMUP) {
            return (float) top;
        }
        double bottom = floor != null ? floor : top / 10;
        long span = decaySteps > 0 ? decaySteps : Math.max(1, stageLength - warmup);
        long t = s - warmup;
        if (t >= span) {
            return (float) bottom;
        }
        return (float) (bottom + (top - bottom) * 0.5 * (1 + Math.cos(Math.PI * t / span)));
    }
}
