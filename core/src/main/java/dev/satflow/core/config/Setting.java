package dev.satflow.core.config;

/**
 * One known setting: its key (dotted, lower-case, dashes allowed), default (null = none) and a
 * one-line description. The env name is derived: {@code SATFLOW_} + key upper-cased with dots and
 * dashes turned into underscores.
 */
public record Setting(String key, String defaultValue, String description) {
    public String envName() {
        return envName(key);
    }

    public static String envName(String key) {
        return "SATFLOW_" + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
