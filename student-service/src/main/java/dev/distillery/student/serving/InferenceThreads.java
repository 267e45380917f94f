package dev.distillery.student.serving;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import dev.distillery.student.config.StudentConfig;
import io.quarkus.runtime.Startup;

/**
 * Sizes libtorch's intra-op thread pool at start ({@code distillery.student.inference-threads}). The pool defaults to
 * one thread per core, but a served pass is small (a few windows of at most 128 tokens, d=128 on the tiny base):
 * splitting it gains little, while the HTTP threads and the load on a shared machine take the other core, and a pass
 * then waits for a descheduled pool thread at every parallel region. Measured on 2 cores (32 tinker lines, passes of
 * ~512 padded tokens): one thread 710-750 texts/s and 2.6 ms a line alone, two threads 660-700 texts/s and 2.9-3.1 ms.
 * The setting is process-wide, which suits a service whose only torch work is serving.
 */
@Startup
@ApplicationScoped
public class InferenceThreads {

    private static final Logger LOG = Logger.getLogger(InferenceThreads.class);

    public InferenceThreads(StudentConfig config) {
        int threads = config.student().inferenceThreads();
        if (threads < 0) {
            throw new IllegalStateException("distillery.student.inference-threads must be >= 0, got " + threads);
        }
        if (threads > 0) {
            Engine.getEngine("PyTorch");
            JniUtils.setNumThreads(threads);
        }
        LOG.infof("libtorch intra-op threads: %d", JniUtils.getNumThreads());
    }
}
