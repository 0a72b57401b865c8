package dev.satflow.trainer.plan;

import java.util.List;

/**
 * Where a run is in its {@link MixingPlan}: the stage, the steps taken in it, and the running window its
 * {@code until} condition is evaluated on. The trainer asks it for the stage and learning rate of the next step,
 * then reports the step's per-example outcomes; the step that reaches a stage's {@code steps} or meets its
 * {@code until} is that stage's last, and the next step belongs to the next stage. The last stage never ends:
 * when it reaches its length it is marked finished and training stays in it.
 *
 * <p>{@link #state()} / {@link #restore} carry the position through a checkpoint, so a resumed run continues the
 * plan where it was (same stage, same step in it, same window). Not thread-safe.
 */
public final class PlanCursor {

    /**
     * A cursor's persistent state.
     *
     * @param stage        index of the current stage
     * @param stepsInStage steps taken in it
     * @param finished     the last stage reached its length
     * @param window       the until-window's values, oldest first (empty without an until)
     */
    public record State(int stage, long stepsInStage, boolean finished, double[] window) {}

    private final MixingPlan plan;
    private int stage;
    private long stepsInStage;
    private boolean finished;
    private double[] ring = new double[0];
    private int head;
    private int count;
    private double sum;
    private long pushes;

    public PlanCursor(MixingPlan plan) {
        this.plan = plan;
        resetWindow();
    }

    /** A cursor at {@code state}; a stage index beyond a (changed) plan's end is clamped to its last stage. */
    public static PlanCursor restore(MixingPlan plan, State state) {
        PlanCursor c = new PlanCursor(plan);
        if (state.stage() >= plan.size()) {
            c.stage = plan.size() - 1;
            c.stepsInStage = 0;
            c.finished = true;
            c.resetWindow();
            return c;
        }
        c.stage = Math.max(0, state.stage());
        c.stepsInStage = Math.max(0, state.stepsInStage());
        c.finished = state.finished();
        c.resetWindow();
        for (double v : state.window()) {
            c.push(v);
        }
        return c;
    }

    public MixingPlan plan() {
        return plan;
    }

    public int stageIndex() {
        return stage;
    }

    public Stage stage() {
        return plan.stage(stage);
    }

    public long stepsInStage() {
        return stepsInStage;
    }

    /** The last stage reached its own length (training goes on in it). */
    public boolean finished() {
        return finished;
    }

    /** The learning rate of the next step. */
    public float learningRate(float base) {
        Stage s = stage();
        return s.lr().rate(stepsInStage, s.steps(), base);
    }

    /** The until-window's mean, or NaN when it is not full yet (or the stage has no until). */
    public double windowMean() {
        Stage s = stage();
        if (s.until() == null || count < s.until().window()) {
            return Double.NaN;
        }
        return sum / count;
    }

    /**
     * Records one step taken in the current stage.
     *
     * @param types   question type per example of the batch
     * @param losses  cross-entropy per example
     * @param correct whether each example was answered right (before the update)
     * @return true when this step ended the stage and the cursor moved to the next one
     */
    public boolean afterStep(List<String> types, float[] losses, boolean[] correct) {
        Stage s = stage();
        stepsInStage++;
        if (s.until() != null && !finished) {
            Until u = s.until();
            for (int i = 0; i < types.size(); i++) {
                if (u.matches(types.get(i))) {
                    push(u.metric() == Until.Metric.LOSS ? losses[i] : (correct[i] ? 1.0 : 0.0));
                }
            }
        }
        if (finished) {
            return false;
        }
        boolean byLength = s.steps() > 0 && stepsInStage >= s.steps();
        boolean byCondition = s.until() != null && count >= s.until().window() && s.until().met(sum / count);
        if (!byLength && !byCondition) {
            return false;
        }
        if (stage == plan.size() - 1) {
            finished = true;
            return false;
        }
        stage++;
        stepsInStage = 0;
        resetWindow();
        return true;
    }

    public State state() {
        double[] w = new double[count];
        for (int i = 0; i < count; i++) {
            w[i] = ring[(head - count + i + ring.length * 2) % Math.max(1, ring.length)];
        }
        return new State(stage, stepsInStage, finished, w);
    }

    private void resetWindow() {
        Until u = plan.stage(stage).until();
        ring = new double[u == null ? 0 : u.window()];
        head = 0;
        count = 0;
        sum = 0;
        pushes = 0;
    }

    private void push(double v) {
        if (ring.length == 0) {
            return;
        }
        if (count == ring.length) {
            sum -= ring[head];
        } else {
            count++;
        }
        ring[head] = v;
        sum += v;
        head = (head + 1) % ring.length;
        if (++pushes % ring.length == 0) {
            double exact = 0; // drop accumulated rounding once per window
            for (int i = 0; i < count; i++) {
                exact += ring[i];
            }
            sum = exact;
        }
    }
}
