package dev.distillery.trainer.runtime;

import java.util.Map;

import dev.distillery.model.StudentModel;
import dev.distillery.trainer.training.Distiller;
import dev.distillery.trainer.training.Evaluation;

/**
 * Body of GET /v1/trainer (a contract with the demo launcher: keep the field names). Unknown numbers are null, never
 * NaN, so the body is always valid JSON.
 *
 * @param state        {@code starting}, {@code running} or {@code failed}
 * @param trainedExamples training examples covered by a round (or by the checkpoint the trainer resumed from)
 * @param lastDecision the evaluation gate's last decision, e.g. "published v3: agreement 0.95 vs threshold 0.94"
 * @param consolidationRounds rounds (of {@code rounds}) that trained on the replay buffer only, while the stream paused
 *                     or for a forced checkpoint with nothing new
 * @param lastRoundKind {@code new} or {@code consolidation}; null before the first round
 * @param heldOutAgreementByLength the current model's agreement by length bucket ({@code <40}, {@code 40-80},
 *                     {@code 80-120}, {@code 120-200}, {@code 200+} characters), over the held-out queries and the longer
 *                     texts joined from them
 * @param heldOutExamplesByLength the held-out texts in each of those buckets
 * @param cascade      the confidence calibration of the last checkpoint and of the current model, and the deferral
 *                     examples taken and trained on; null before the model is loaded
 */
public record TrainerStatus(
        long examplesSeen,
        long trainExamples,
        long heldOutExamples,
        long duplicates,
        long rejected,
        long rounds,
        Double lastLoss,
        Double heldOutAgreement,
        Map<String, Double> heldOutAgreementByLabel,
        CheckpointRef lastCheckpoint,
        String device,
        String state,
        String task,
        String baseModel,
        long pendingExamples,
        long replayExamples,
        long trainedExamples,
        String lastDecision,
        long consolidationRounds,
        String lastRoundKind,
        Map<String, Double> heldOutAgreementByLength,
        Map<String, Integer> heldOutExamplesByLength,
        CascadeStatus cascade) {

    /**
     * @param heldOutAgreement the checkpoint's agreement when it was published; null when unmeasured
     * @param currentAgreement the same checkpoint on the held-out slice as it is now ({@code currentHeldOutExamples}
     *                         examples; the slice grows with the stream), so that its figure is comparable with the
     *                         current model's; null when it could not be scored
     * @param currentAgreementByLabel that figure per teacher label
     * @param currentCascadeCoverage  the share of that slice its cascade threshold, calibrated on the slice as it is
     *                                now, lets the student answer (what the gate's coverage rule compares); null when
     *                                it could not be scored
     */
    public record CheckpointRef(long version, String uri, Double heldOutAgreement, Double currentAgreement,
            Map<String, Double> currentAgreementByLabel, long currentHeldOutExamples, Double currentCascadeCoverage) {
    }

    /** The running trainer's status from the training thread's counters. */
    static TrainerStatus running(Distiller.Snapshot s, Evaluation lastPublishedNow, StudentModel model, String task,
            String lastDecision, String lastRoundKind, CascadeStatus cascade) {
        CheckpointRef ref = s.lastPublished()
                .map(p -> new CheckpointRef(p.version(), p.uri(), finite(p.heldOutAgreement()),
                        finite(lastPublishedNow.agreement()), lastPublishedNow.byLabel(), lastPublishedNow.examples(),
                        finite(lastPublishedNow.cascadeCoverage())))
                .orElse(null);
        return new TrainerStatus(s.examplesSeen(), s.trainExamples(), s.heldOutExamples(), s.duplicates(),
                s.rejected(), s.rounds(), finite(s.lastLoss()), finite(s.evaluation().agreement()),
                s.evaluation().byLabel(), ref, model.device(), "running", task, model.base().id(),
                s.pendingExamples(), s.replayExamples(), s.trainedExamples(), lastDecision, s.consolidationRounds(),
                lastRoundKind, s.evaluation().byLength(), s.evaluation().countByLength(), cascade);
    }

    static TrainerStatus starting(String state, String detail) {
        return new TrainerStatus(0, 0, 0, 0, 0, 0, null, null, Map.of(), null, null, state, null, null, 0, 0, 0, detail, 0, null, Map.of(),
                Map.of(), null);
    }

    static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
