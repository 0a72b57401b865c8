package dev.satflow.evaluator.blind;

import dev.satflow.schema.QaRecord;

/** Turns a record's options into sparse binary feature vectors (hashed ids), one per option. */
public interface Featurizer {
    /** Short name used in reports ("blind", "blind_category"). */
    String name();

    /**
     * The active feature ids of every option of {@code r}, {@code result[k]} for {@code choices[k]}; each id
     * in {@code [0, hasher.size())}. Must not look at {@code correctIndex} or {@code correctAnswer}. A pure
     * function of (r, hasher) and thread-safe: training featurizes records in parallel.
     */
    int[][] features(QaRecord r, FeatureHasher hasher);

    /** Question and option text only. */
    Featurizer TEXT = new TextFeaturizer();

    /** Type, template, the named subjects' categories in role order, and the role-normalised options. */
    Featurizer CATEGORY = new CategoryFeaturizer();
}
