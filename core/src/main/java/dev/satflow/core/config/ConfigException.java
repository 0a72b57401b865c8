package dev.satflow.core.config;

/**
 * A setting or command-line argument is missing or malformed; the message names the key, the value and where
 * it came from. The CLI's usage error (exit code 2); an IllegalArgumentException, so code that checks its
 * arguments may throw it where callers expect one.
 */
public class ConfigException extends IllegalArgumentException {
    public ConfigException(String message) {
        super(message);
    }
}
