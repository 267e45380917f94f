package dev.distillery.trainer.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.distillery.cascade.CascadeCalibration;
import dev.distillery.cascade.ConfidenceScore;
import dev.distillery.trainer.training.Distiller;

/**
 * The cascade part of GET /v1/trainer. Numbers are null rather than NaN.
 *
 * @param targetAgreement   the lower bound the kept (or served) answers must reach
 * @param agreementOf       whose agreement it bounds: {@code answered} (the kept answers) or {@code served}
 * @param minimumExamples   held-out examples below which no threshold can exist at that target
 * @param checkpoint        the last written checkpoint's calibration, per score, as stored in its manifest
 * @param current           the current model's calibration on the held-out slice after its last evaluation
 * @param deferralsSeen     examples taken that a student deferred to the teacher
 * @param trainedDeferrals  of those, training examples covered by a round
 */
public record CascadeStatus(double targetAgreement, String agreementOf, int minimumExamples, List<Calibration> checkpoint,
        List<Calibration> current, long deferralsSeen, long trainedDeferrals) {

    /** One score's calibration; {@code threshold} null when no threshold reaches the target (everything defers). */
    public record Calibration(String score, Double threshold, Double coverage, Double agreement, Double lowerBound,
            Long examples) {
    }

    static CascadeStatus of(Distiller distiller, Map<String, Double> publishedMetrics) {
        double targetAgreement = distiller.cascade().targetAgreement();
        List<Calibration> current = new ArrayList<>();
        for (CascadeCalibration c : distiller.calibration()) {
            current.add(new Calibration(c.score().key(), c.threshold().orElse(null), c.coverage(),
                    TrainerStatus.finite(c.agreement()), TrainerStatus.finite(c.lowerBound()), (long) c.examples()));
        }
        List<Calibration> checkpoint = new ArrayList<>();
        if (publishedMetrics.containsKey("cascadeExamples")) {
            for (ConfidenceScore score : ConfidenceScore.values()) {
                checkpoint.add(new Calibration(score.key(), publishedMetrics.get(CascadeCalibration.thresholdKey(score)),
                        publishedMetrics.get("cascadeCoverage." + score.key()),
                        publishedMetrics.get("cascadeAgreement." + score.key()),
                        publishedMetrics.get("cascadeLowerBound." + score.key()),
                        publishedMetrics.get("cascadeExamples").longValue()));
            }
        }
        return new CascadeStatus(targetAgreement, distiller.cascade().agreementOf().key(),
                CascadeCalibration.minimumExamples(targetAgreement, CascadeCalibration.Z95), checkpoint, current,
                distiller.snapshot().deferralsSeen(), distiller.snapshot().trainedDeferrals());
    }
}
