package dev.satflow.evaluator;

import dev.satflow.trainer.data.TrainingExample;
import java.util.ArrayList;
import java.util.List;

/**
 * Cyclic rotations of a question's options, for circular evaluation: rotation {@code k} of options
 * {@code [o0 .. oC-1]} lists {@code [ok, ok+1, .., ok-1]}, so every option takes every position once
 * (C orders for C options, not all C! permutations). What belongs to an option (its text, the role of
 * the object it names) moves with it; images, marks, grounding and the question are shared, not copied.
 */
public final class Rotations {
    private Rotations() {}

    /** Rotation {@code k} (0 = the record's own order) of {@code e}'s options, its right answer moved along. */
    public static TrainingExample rotate(TrainingExample e, int k) {
        int c = e.choices().size();
        int shift = Math.floorMod(k, c);
        if (shift == 0) {
            return e;
        }
        List<String> choices = new ArrayList<>(c);
        List<Integer> roles = new ArrayList<>(c);
        for (int j = 0; j < c; j++) {
            choices.add(e.choices().get((j + shift) % c));
            roles.add(e.choiceRoles().get((j + shift) % c)); // the object an option names travels with it
        }
        return new TrainingExample(e.qaId(), e.family(), e.questionType(), e.question(), choices,
                Math.floorMod(e.correctIndex() - shift, c), e.images(), e.marks(), e.grounding(), roles);
    }

    /** The option, in the original order, that position {@code picked} of rotation {@code k} shows. */
    public static int original(int picked, int k, int choices) {
        return Math.floorMod(picked + k, choices);
    }
}
