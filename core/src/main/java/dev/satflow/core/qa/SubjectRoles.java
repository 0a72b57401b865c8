package dev.satflow.core.qa;

/**
 * Roles a {@code Subject} of a QA record can play beyond the lettered ones (A, B, C, 1, 2, subject, probe).
 * Shared by the deriver that writes them and the readers that must treat them apart.
 */
public final class SubjectRoles {
    private SubjectRoles() {}

    /** The category a counting question asks about (object id 0). */
    public static final String CATEGORY = "category";

    /**
     * One instance a counting question counted. Their number is the answer, so they are training labels (where
     * the counted objects are), never input: blind baselines and model inputs must skip them.
     */
    public static final String COUNTED = "counted";
}
