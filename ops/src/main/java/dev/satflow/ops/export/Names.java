package dev.satflow.ops.export;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * File names from record content. Only letters, digits and {@code ._-} survive (anything else becomes '_');
 * values that try to leave their directory are refused, naming the field and value.
 */
final class Names {
    private Names() {}

    /** Longest name part made from one id; longer ones keep a prefix and a hash of the whole id. */
    static final int MAX_LENGTH = 80;

    /**
     * One directory or file-name part (split, scene id): no separators, no {@code ..}, not empty.
     *
     * @throws IllegalArgumentException naming {@code field} and the value
     */
    static String segment(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw refuse(field, value, "is empty");
        }
        if (value.indexOf('/') >= 0 || value.indexOf('\\') >= 0) {
            throw refuse(field, value, "contains a path separator: it must name one directory");
        }
        if (value.contains("..") || value.equals(".")) {
            throw refuse(field, value, "is or contains '..' or is '.' (would leave its directory)");
        }
        return shorten(clean(value, true), value);
    }

    /**
     * A flat key from a hierarchical id (qa id {@code scene-17/perspective/0}, view id {@code scene-17/v0}): the
     * '/' separated elements joined with '_', no dots (WebDataset keys end at the first dot). Refuses empty
     * elements (a leading '/', '//'), '.' and '..' elements and any {@code ..}.
     *
     * @throws IllegalArgumentException naming {@code field} and the value
     */
    static String key(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw refuse(field, value, "is empty");
        }
        if (value.contains("..")) {
            throw refuse(field, value, "contains '..' (would leave the export directory)");
        }
        for (String element : value.split("[/\\\\]", -1)) {
            if (element.isEmpty()) {
                throw refuse(field, value, "has an empty path element (absolute, or '//')");
            }
            if (element.equals(".")) {
                throw refuse(field, value, "has a '.' path element");
            }
        }
        return shorten(clean(value, false), value);
    }

    private static String clean(String value, boolean keepDots) {
        StringBuilder b = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '_' || (keepDots && c == '.');
            b.append(ok ? c : '_');
        }
        return b.toString();
    }

    private static String shorten(String clean, String original) {
        if (clean.length() <= MAX_LENGTH) {
            return clean;
        }
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(original.getBytes(StandardCharsets.UTF_8));
            return clean.substring(0, MAX_LENGTH - 17) + "_" + HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static IllegalArgumentException refuse(String field, String value, String why) {
        return new IllegalArgumentException(field + " = " + (value == null ? "null" : "'" + value + "'") + ": " + why);
    }
}
