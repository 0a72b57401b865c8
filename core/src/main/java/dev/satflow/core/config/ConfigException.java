package dev.satflow.core.config;

/** A setting is missing or malformed; the message names the key, the value and where it came from. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
