package dev.distillery.student.serving;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The model being served and the one before it (kept loaded so a rollback is instant). Readers take a lease without
 * locking; swaps and rollbacks are serialised. A model that leaves both slots is closed once its last lease is
 * returned, so requests in flight always finish on the model they started on.
 */
@ApplicationScoped
public class ModelSlots {

    private static final Logger LOG = Logger.getLogger(ModelSlots.class);

    private final AtomicReference<ServedModel> current = new AtomicReference<>();
    /** Guarded by {@code this}. */
    private ServedModel previous;
    private final Counter swaps;
    private final Counter rollbacks;

    public ModelSlots(MeterRegistry registry) {
        this.swaps = Counter.builder("distillery.student.swaps")
                .description("Models put into service (checkpoint loads and the untrained base)").register(registry);
        this.rollbacks = Counter.builder("distillery.student.rollbacks")
                .description("Rollbacks to the previous checkpoint").register(registry);
        Gauge.builder("distillery.student.checkpoint.version", this, ModelSlots::versionOrMinusOne)
                .description("Checkpoint version being served; 0 = the untrained base, -1 = nothing").register(registry);
    }

    /** A lease on the current model, or empty when nothing is served yet. */
    public Optional<ModelLease> acquire() {
        while (true) {
            ServedModel served = current.get();
            if (served == null) {
                return Optional.empty();
            }
            if (served.tryAcquire()) {
                return Optional.of(new ModelLease(served));
            }
            // Retired and drained between the read and the acquire: the slot already holds its successor.
        }
    }

    public Optional<ServedModel> current() {
        return Optional.ofNullable(current.get());
    }

    public synchronized Optional<ServedModel> previous() {
        return Optional.ofNullable(previous);
    }

    /**
     * Puts a loaded, warmed-up model into service. The one it replaces becomes the rollback target (unless it is the
     * untrained base); the former rollback target is retired.
     */
    public synchronized void install(ServedModel next) {
        ServedModel replaced = current.getAndSet(next);
        swaps.increment();
        LOG.infof("serving %s (was %s)", next.describe(), replaced == null ? "nothing" : replaced.describe());
        if (replaced == null) {
            return;
        }
        if (replaced.version() == null) {
            replaced.release();
            return;
        }
        if (previous != null) {
            previous.release();
        }
        previous = replaced;
    }

    /**
     * Serves the previous model again and retires the current one. The next announced checkpoint replaces it as
     * usual: a rollback lasts until the trainer publishes a newer version.
     *
     * @throws NoPreviousModelException when there is nothing to roll back to
     */
    public synchronized ServedModel rollback() {
        if (previous == null) {
            throw new NoPreviousModelException(current.get() == null
                    ? "no checkpoint has been loaded yet"
                    : "no previous checkpoint is kept; serving " + current.get().describe());
        }
        ServedModel target = previous;
        previous = null;
        ServedModel retired = current.getAndSet(target);
        rollbacks.increment();
        LOG.warnf("rolled back from %s to %s", retired == null ? "nothing" : retired.describe(), target.describe());
        if (retired != null) {
            retired.release();
        }
        return target;
    }

    @PreDestroy
    public synchronized void close() {
        ServedModel served = current.getAndSet(null);
        if (served != null) {
            served.release();
        }
        if (previous != null) {
            previous.release();
            previous = null;
        }
    }

    private double versionOrMinusOne() {
        ServedModel served = current.get();
        if (served == null) {
            return -1;
        }
        return served.version() == null ? 0 : served.version();
    }
}
