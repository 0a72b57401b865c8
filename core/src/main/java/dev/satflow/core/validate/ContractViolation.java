package dev.satflow.core.validate;

/** A record breaks its contract; names the offending field path and value. */
public class ContractViolation extends RuntimeException {
    private final String field;

    public ContractViolation(String field, Object value, String rule) {
        super(field + " = " + value + ": " + rule);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
