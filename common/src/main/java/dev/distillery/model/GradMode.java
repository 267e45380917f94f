package dev.distillery.model;

import org.jboss.logging.Logger;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch records gradients per thread and starts every thread with recording on: a thread that only runs inference
 * turns it off once, before its first forward pass, or each pass would keep a graph alive.
 */
public final class GradMode {

    private static final Logger LOG = Logger.getLogger(GradMode.class);

    private GradMode() {
    }

    /**
     * Turns gradient recording off on the calling thread, loading the native library first if this thread is its
     * first user. A failure is logged (naming {@code thread}) and not thrown: the thread still serves, only less
     * frugally.
     */
    public static void offForThisThread(String thread) {
        try {
            Engine.getEngine("PyTorch");
            JniUtils.setGradMode(false);
        } catch (LinkageError | RuntimeException e) {
            LOG.warnf("cannot turn grad mode off on the %s thread: %s", thread, e.toString());
        }
    }
}
