package dev.distillery.trainer.runtime;

import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

import dev.distillery.trainer.training.Distiller;
import dev.distillery.trainer.training.PublishedCheckpoint;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The trainer's Micrometer meters (at {@code /q/metrics}). The training thread hands over what it measured; the
 * meters read those copies, never the training thread's own state.
 */
final class TrainerMeters {

    private final Timer stepTimer;
    private volatile Distiller.Snapshot counters;
    private volatile long trainedDeferrals;
    private volatile double examplesPerSecond = Double.NaN;
    private volatile long queued;

    TrainerMeters(MeterRegistry registry) {
        this.stepTimer = Timer.builder("distillery.trainer.step")
                .description("Wall time of one optimizer step")
                .publishPercentileHistogram()
                .register(registry);
        FunctionCounter.builder("distillery.trainer.examples", this, m -> m.count(Distiller.Snapshot::examplesSeen))
                .description("Distinct valid labeled examples taken").register(registry);
        FunctionCounter.builder("distillery.trainer.duplicates", this, m -> m.count(Distiller.Snapshot::duplicates))
                .description("Labeled examples whose id was seen before").register(registry);
        FunctionCounter.builder("distillery.trainer.rejected", this, m -> m.count(Distiller.Snapshot::rejected))
                .description("Labeled records rejected").register(registry);
        FunctionCounter.builder("distillery.trainer.trained.examples", this,
                m -> m.count(Distiller.Snapshot::trainedExamples))
                .description("Training examples covered by a round").register(registry);
        FunctionCounter.builder("distillery.trainer.deferrals.trained", this, m -> m.trainedDeferrals)
                .description("Training examples from a student's deferral covered by a round").register(registry);
        FunctionCounter.builder("distillery.trainer.rounds", this, m -> m.count(Distiller.Snapshot::rounds))
                .register(registry);
        Gauge.builder("distillery.trainer.loss", this, m -> m.counters == null ? Double.NaN : m.counters.lastLoss())
                .description("Mean training loss of the last round").register(registry);
        Gauge.builder("distillery.trainer.heldout.agreement", this,
                m -> m.counters == null ? Double.NaN : m.counters.evaluation().agreement())
                .description("Held-out agreement with the teacher after the last round").register(registry);
        Gauge.builder("distillery.trainer.examples.per.second", this, m -> m.examplesPerSecond)
                .description("Example slots trained per second of step time in the last round").register(registry);
        Gauge.builder("distillery.trainer.queue.size", this, m -> m.queued)
                .description("Records handed over by the consumer, waiting for the training thread").register(registry);
        Gauge.builder("distillery.trainer.checkpoint.version", this,
                m -> m.counters == null ? 0 : m.counters.lastPublished().map(PublishedCheckpoint::version).orElse(0L))
                .register(registry);
    }

    void step(long nanos) {
        stepTimer.record(nanos, TimeUnit.NANOSECONDS);
    }

    void counters(Distiller.Snapshot snapshot, CascadeStatus cascade) {
        counters = snapshot;
        trainedDeferrals = cascade.trainedDeferrals();
    }

    void round(double examplesPerSecond) {
        this.examplesPerSecond = examplesPerSecond;
    }

    void queued(long size) {
        queued = size;
    }

    private double count(ToLongFunction<Distiller.Snapshot> f) {
        Distiller.Snapshot s = counters;
        return s == null ? 0 : f.applyAsLong(s);
    }
}
