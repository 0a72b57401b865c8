package dev.satflow.trainer.data;

import java.util.Locale;

/** SAT question family: static questions see one view, dynamic ones reason about motion (usually two views). */
public enum Family {
    STATIC,
    DYNAMIC;

    /** Parses the wire value ("static" | "dynamic", case-insensitive). */
    public static Family parse(String wire) {
        if (wire != null) {
            switch (wire.trim().toLowerCase(Locale.ROOT)) {
                case "static":
                    return STATIC;
                case "dynamic":
                    return DYNAMIC;
                default:
                    break;
            }
        }
        throw new IllegalArgumentException("unknown question family: " + wire);
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
