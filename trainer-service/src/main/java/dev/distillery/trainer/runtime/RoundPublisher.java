package dev.distillery.trainer.runtime;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import dev.distillery.cascade.CascadeCalibration;
import dev.distillery.checkpoint.StoredCheckpoint;
import dev.distillery.trainer.checkpoint.CheckpointPublisher;
import dev.distillery.trainer.intake.LabeledTopicConsumer;
import dev.distillery.trainer.intake.RejectionPublisher;
import dev.distillery.trainer.training.Distiller;
import dev.distillery.trainer.training.EvaluationGate;
import dev.distillery.trainer.training.GateDecision;
import dev.distillery.trainer.training.PublishedCheckpoint;
import dev.distillery.trainer.training.RoundResult;

/**
 * What follows a round on the training thread: the gate decides, a passing model is written as the next checkpoint
 * version, announced (retried until the broker takes it), and only then are the offsets it covers committed.
 */
final class RoundPublisher {

    private static final Logger LOG = Logger.getLogger(RoundPublisher.class);
    private static final long RETRY_ANNOUNCE_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final Distiller distiller;
    private final EvaluationGate gate;
    private final CheckpointPublisher publisher;
    private final RejectionPublisher rejections;
    private final LabeledTopicConsumer consumer;
    private long nextVersion;
    private StoredCheckpoint unannounced;
    private long lastAnnounceAttempt;
    private String lastDecision = "no round yet";
    private String lastRoundKind;
    private Map<String, Long> lastPublishedOffsets = Map.of();
    /** Metrics of the last written checkpoint (its calibration), for the status. */
    private Map<String, Double> publishedMetrics = Map.of();

    /**
     * @param restored the checkpoint the model resumed from: announced again (the process may have stopped between
     *                 writing and announcing it)
     */
    RoundPublisher(Distiller distiller, EvaluationGate gate, CheckpointPublisher publisher,
            RejectionPublisher rejections, LabeledTopicConsumer consumer, long nextVersion,
            Optional<StoredCheckpoint> restored) {
        this.distiller = distiller;
        this.gate = gate;
        this.publisher = publisher;
        this.rejections = rejections;
        this.consumer = consumer;
        restored.ifPresent(r -> {
            unannounced = r;
            lastPublishedOffsets = r.manifest().offsets();
            publishedMetrics = r.manifest().metrics();
        });
        this.nextVersion = nextVersion;
    }

    void gateAndPublish(RoundResult r, boolean forced) {
        GateDecision decision = gate.decide(r.evaluation(), distiller.lastPublishedEvaluation(),
                distiller.lastPublishedAgreement(), forced);
        lastRoundKind = r.kind().label();
        LOG.infof("round %d (%s%s): %d steps, %d new + %d replayed, loss %.4f, step %.1f ms, %.0f examples/s, "
                + "held-out agreement %.4f on %d %s, cascade coverage %s -> %s %s", r.round(), r.kind().label(),
                forced ? ", forced" : "", r.steps(), r.newExamples(), r.replayedExamples(), r.meanLoss(),
                r.meanStepMillis(), r.examplesPerSecond(), r.evaluation().agreement(), r.evaluation().examples(),
                r.evaluation().byLabel(), coverages(), decision.publish() ? "publish" : "refuse", decision.reason());
        if (!decision.publish()) {
            lastDecision = "refused: " + decision.reason();
        } else {
            publish(decision);
        }
    }

    /** The current model's calibrated coverage per confidence score, for the round's log line. */
    private String coverages() {
        StringBuilder b = new StringBuilder();
        for (CascadeCalibration c : distiller.calibration()) {
            b.append(b.isEmpty() ? "" : " ").append(c.score().key()).append(' ')
                    .append(String.format(java.util.Locale.ROOT, "%.3f", c.coverage()));
        }
        return b.isEmpty() ? "none" : b.toString();
    }

    /** A round that skipped its held-out evaluation (the trainer is behind the stream): logged, never gated. */
    void notEvaluated(RoundResult r, int waiting) {
        lastRoundKind = r.kind().label();
        lastDecision = "not evaluated: " + waiting + " examples wait (behind the stream)";
        LOG.infof("round %d (%s): %d steps, %d new + %d replayed, loss %.4f, step %.1f ms, %.0f examples/s, "
                + "not evaluated or gated: %d examples wait", r.round(), r.kind().label(), r.steps(), r.newExamples(),
                r.replayedExamples(), r.meanLoss(), r.meanStepMillis(), r.examplesPerSecond(), waiting);
    }

    private void publish(GateDecision decision) {
        Map<String, Long> offsets = distiller.positions();
        StoredCheckpoint written;
        try {
            rejections.flush(); // rejections of covered records must be on the broker before offsets move past them
            written = publisher.write(nextVersion, distiller.model(), distiller.checkpointMetrics(), offsets);
        } catch (IOException | RuntimeException e) {
            lastDecision = "checkpoint failed: " + e.getMessage();
            LOG.error("cannot write checkpoint v" + nextVersion + "; the next round tries again", e);
            return;
        }
        nextVersion = written.version() + 1;
        lastPublishedOffsets = offsets;
        publishedMetrics = written.manifest().metrics();
        distiller.markPublished(published(written));
        lastDecision = "published v" + written.version() + ": " + decision.reason();
        unannounced = written;
        retryAnnouncement(true);
        consumer.requestCommit(offsets);
    }

    /** Announces a written checkpoint the broker has not taken yet; at most every few seconds unless {@code now}. */
    void retryAnnouncement(boolean now) {
        if (unannounced == null || (!now && System.nanoTime() - lastAnnounceAttempt < RETRY_ANNOUNCE_NANOS)) {
            return;
        }
        lastAnnounceAttempt = System.nanoTime();
        try {
            publisher.announce(unannounced);
            LOG.infof("announced checkpoint v%d at %s", unannounced.version(), uri(unannounced));
            unannounced = null;
        } catch (IOException e) {
            LOG.warnf("announcement of v%d failed (%s); retrying", unannounced.version(), e.getMessage());
        }
    }

    /** Whether nothing changed since the last checkpoint: no training and no offset taken beyond what it covers. */
    boolean nothingSinceLastCheckpoint() {
        return !distiller.trainedSinceCheckpoint() && distiller.positions().equals(lastPublishedOffsets);
    }

    /** Records a decision made outside the gate (a forced checkpoint with nothing to do). */
    void decided(String decision, String roundKind) {
        if (decision != null) {
            lastDecision = decision;
        }
        if (roundKind != null) {
            lastRoundKind = roundKind;
        }
    }

    String lastDecision() {
        return lastDecision;
    }

    String lastRoundKind() {
        return lastRoundKind;
    }

    Map<String, Double> publishedMetrics() {
        return publishedMetrics;
    }

    static PublishedCheckpoint published(StoredCheckpoint checkpoint) {
        Double agreement = checkpoint.manifest().metrics().get("heldOutAgreement");
        return new PublishedCheckpoint(checkpoint.version(), uri(checkpoint), agreement == null ? Double.NaN : agreement);
    }

    private static String uri(StoredCheckpoint checkpoint) {
        return checkpoint.directory().toAbsolutePath().toUri().toString();
    }
}
