package dev.distillery.cascade;

import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The confidence threshold a checkpoint is served with under the cascade: the smallest score at which the student's
 * answers at or above it agree with the teacher at the target rate <em>with statistical confidence</em>, i.e. the
 * one-sided Wilson score lower bound (95% by default) of their agreement reaches the target. The smallest such threshold
 * gives the largest coverage (share of answers the student keeps). When no threshold qualifies, for instance when there
 * are too few examples for any bound to reach the target, there is none and everything defers to the teacher.
 *
 * <p>Why Wilson: it is closed-form, never exceeds [0, 1] and keeps its nominal coverage near p = 1 far better than the
 * normal approximation; Clopper-Pearson is slightly more conservative (it needs 299 perfect answers for 0.99 at 95%,
 * Wilson 268). Scanning every threshold and keeping the lowest that passes is a mild multiple comparison; the shadow
 * audit in the student measures the live agreement of confident answers, so drift or optimism shows.
 *
 * @param score       which confidence score was calibrated
 * @param threshold   the smallest qualifying score, empty when none qualifies
 * @param coverage    share of the calibration examples at or above the threshold (0 without one)
 * @param agreement   their agreement with the teacher (NaN without a threshold)
 * @param lowerBound  the one-sided lower confidence bound that reached the target: of that agreement, or of all
 *                    served answers' when calibrated for {@link AgreementOf#SERVED} (NaN without a threshold)
 * @param examples    calibration examples
 */
public record CascadeCalibration(ConfidenceScore score, Optional<Double> threshold, double coverage, double agreement,
        double lowerBound, int examples) {

    /** z of a one-sided 95% bound. */
    public static final double Z95 = 1.6448536269514722;

    /**
     * @param scores the student's confidence score per calibration example
     * @param agrees whether its answer agreed with the teacher, per example
     * @param target agreement the answers kept must reach (lower bound), in (0, 1)
     * @param z      z-value of the one-sided bound ({@link #Z95})
     */
    public static CascadeCalibration calibrate(ConfidenceScore score, double[] scores, boolean[] agrees, double target,
            double z) {
        return calibrate(score, scores, agrees, target, z, AgreementOf.ANSWERED);
    }

    /**
     * As {@link #calibrate(ConfidenceScore, double[], boolean[], double, double)}, bounding the agreement of
     * {@code of}: the kept answers, or every served answer (kept errors against all examples, see {@link AgreementOf}).
     */
    public static CascadeCalibration calibrate(ConfidenceScore score, double[] scores, boolean[] agrees, double target,
            double z, AgreementOf of) {
        if (scores.length != agrees.length) {
            throw new IllegalArgumentException("one agreement per score is needed");
        }
        if (!(target > 0 && target < 1)) {
            throw new IllegalArgumentException("target agreement must be in (0, 1), got " + target);
        }
        int n = scores.length;
        Integer[] order = new Integer[n];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
        int kept = 0;
        int agreeing = 0;
        int best = -1;
        int bestAgreeing = 0;
        for (int rank = 0; rank < n; rank++) {
            int i = order[rank];
            kept++;
            if (agrees[i]) {
                agreeing++;
            }
            boolean lastOfTie = rank + 1 == n || scores[order[rank + 1]] < scores[i];
            // A threshold keeps every answer at or above it: only the last of equal scores is a possible cut.
            if (lastOfTie && bound(of, agreeing, kept, n, z) >= target) {
                best = rank;
                bestAgreeing = agreeing;
            }
        }
        if (best < 0) {
            return new CascadeCalibration(score, Optional.empty(), 0, Double.NaN, Double.NaN, n);
        }
        int count = best + 1;
        return new CascadeCalibration(score, Optional.of(scores[order[best]]), count / (double) n,
                bestAgreeing / (double) count, bound(of, bestAgreeing, count, n, z), n);
    }

    /** The lower bound of the kept answers' agreement, or of all {@code n} served answers' (deferred ones agree). */
    private static double bound(AgreementOf of, int agreeing, int kept, int n, double z) {
        return of == AgreementOf.SERVED ? wilsonLowerBound(n - (kept - agreeing), n, z)
                : wilsonLowerBound(agreeing, kept, z);
    }

    /** One-sided Wilson score lower bound of a proportion of {@code successes} in {@code n} trials (0 when n = 0). */
    public static double wilsonLowerBound(long successes, long n, double z) {
        if (n == 0) {
            return 0;
        }
        double p = successes / (double) n;
        double z2 = z * z;
        double centre = p + z2 / (2.0 * n);
        double spread = z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return Math.max(0, (centre - spread) / (1 + z2 / n));
    }

    /**
     * The fewest examples for which even perfect agreement has a lower bound at the target: fewer calibration examples
     * can never give a threshold.
     */
    public static int minimumExamples(double target, double z) {
        return (int) Math.ceil(z * z * target / (1 - target) - 1e-9);
    }

    /** Metric key of the served threshold of a score, e.g. {@code cascadeThreshold.margin}. */
    public static String thresholdKey(ConfidenceScore score) {
        return "cascadeThreshold." + score.key();
    }

    /**
     * Checkpoint metrics ({@code cascadeThreshold.<score>} only when there is one, {@code cascadeCoverage.<score>},
     * {@code cascadeLowerBound.<score>}, {@code cascadeExamples}).
     */
    public Map<String, Double> metrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        threshold.ifPresent(t -> m.put(thresholdKey(score), t));
        m.put("cascadeCoverage." + score.key(), coverage);
        if (threshold.isPresent()) {
            m.put("cascadeAgreement." + score.key(), agreement);
            m.put("cascadeLowerBound." + score.key(), lowerBound);
        }
        m.put("cascadeExamples", (double) examples);
        return m;
    }
}
