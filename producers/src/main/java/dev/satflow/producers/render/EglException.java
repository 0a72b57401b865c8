package dev.satflow.producers.render;

/** No usable headless GL context: the message names the EGL platform and the call that failed. */
public final class EglException extends RuntimeException {
    public EglException(String message) {
        super(message);
    }

    public EglException(String message, Throwable cause) {
        super(message, cause);
    }
}
