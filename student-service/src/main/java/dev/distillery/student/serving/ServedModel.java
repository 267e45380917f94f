package dev.distillery.student.serving;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

import dev.distillery.model.StudentModel;

/**
 * One loaded model and what it is, with a reference count: the registry holds one reference while the model is
 * current or kept for rollback, and every forward pass holds one while it runs. The native model is closed when the
 * count reaches zero, so a retired model is closed only after the requests in flight on it have drained.
 *
 * @param version  the checkpoint version, or {@code null} for the untrained base
 */
public final class ServedModel {

    private static final Logger LOG = Logger.getLogger(ServedModel.class);

    private final StudentModel model;
    private final Long version;
    private final String checkpointSha256;
    private final Map<String, Double> metrics;
    private final Instant loadedAt;
    private final AtomicInteger references = new AtomicInteger(1);

    public ServedModel(StudentModel model, Long version, String checkpointSha256, Map<String, Double> metrics,
            Instant loadedAt) {
        this.model = model;
        this.version = version;
        this.checkpointSha256 = checkpointSha256;
        this.metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
        this.loadedAt = loadedAt;
    }

    public StudentModel model() {
        return model;
    }

    /** {@code null} while the untrained base is served. */
    public Long version() {
        return version;
    }

    public String checkpointSha256() {
        return checkpointSha256;
    }

    public Map<String, Double> metrics() {
        return metrics;
    }

    public Instant loadedAt() {
        return loadedAt;
    }

    /** Takes a reference unless the model is already closed (then the caller must look up the current one again). */
    boolean tryAcquire() {
        while (true) {
            int n = references.get();
            if (n == 0) {
                return false;
            }
            if (references.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Gives a reference back; the last one closes the native model. */
    void release() {
        int n = references.decrementAndGet();
        if (n == 0) {
            LOG.infof("closing model %s: retired and drained", describe());
            model.close();
        } else if (n < 0) {
            throw new IllegalStateException("model " + describe() + " released more often than acquired");
        }
    }

    /** References held now (1 = only the registry's); for tests and diagnostics. */
    public int references() {
        return references.get();
    }

    public boolean isClosed() {
        return references.get() == 0;
    }

    public String describe() {
        return version == null ? "untrained-base" : "v" + version;
    }
}
