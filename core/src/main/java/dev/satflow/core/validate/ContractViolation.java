package dev.satflow.core.validate;

/** A record breaks its contract; names the offending field path and value. */
public class ContractViolation extends RuntimeException {
    private final String field;

    public ContractViolation(String field, Object value, String rule) {
        super(field + " = " + value + ": " + rule);
        this.field = field;
    }

    /**
     * The decoded value of a record, or a violation naming it: a record without a value (a tombstone)
     * decodes to null, which would otherwise surface later as a null pointer that names nothing.
     */
    public static <T> T requireValue(T value, String what) {
        if (value == null) {
            throw new ContractViolation("value", "null", what + " record needs a value");
        }
        return value;
    }

    public String field() {
        return field;
    }
}
