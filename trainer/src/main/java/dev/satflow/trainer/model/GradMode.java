package dev.satflow.trainer.model;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Turns autograd recording off for inference on the calling thread. libtorch's grad mode is thread-local and
 * DJL only switches it off on the thread that loaded the engine, so an inference call from any other thread
 * (a Kafka poll loop, a test) would otherwise build a backward graph it never uses.
 */
public final class GradMode implements AutoCloseable {

    private final boolean restore;

    private GradMode(boolean restore) {
        this.restore = restore;
    }

    public static GradMode disabled() {
        if (!"PyTorch".equals(Engine.getInstance().getEngineName()) || !JniUtils.isGradMode()) {
            return new GradMode(false);
        }
        JniUtils.setGradMode(false);
        return new GradMode(true);
    }

    @Override
    public void close() {
        if (restore) {
            JniUtils.setGradMode(true);
        }
    }
}
