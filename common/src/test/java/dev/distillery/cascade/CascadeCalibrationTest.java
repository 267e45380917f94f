package dev.distillery.cascade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class CascadeCalibrationTest {

    private static final double Z = CascadeCalibration.Z95;

    @Test
    void tooFewExamplesGiveNoThresholdEvenWhenAllAgree() {
        int n = CascadeCalibration.minimumExamples(0.99, Z) - 1;
        double[] scores = new double[n];
        boolean[] agrees = new boolean[n];
        for (int i = 0; i < n; i++) {
            scores[i] = 0.5 + i / (2.0 * n);
            agrees[i] = true;
        }
        CascadeCalibration c = CascadeCalibration.calibrate(ConfidenceScore.MARGIN, scores, agrees, 0.99, Z);
        assertTrue(c.threshold().isEmpty());
        assertEquals(0, c.coverage());
        assertFalse(c.metrics().containsKey("cascadeThreshold.margin"));
        assertEquals(n, c.metrics().get("cascadeExamples"));
    }

    @Test
    void emptySliceGivesNoThreshold() {
        CascadeCalibration c = CascadeCalibration.calibrate(ConfidenceScore.PROBABILITY, new double[0], new boolean[0],
                0.99, Z);
        assertTrue(c.threshold().isEmpty());
    }

    @Test
    void minimumExamplesMatchTheWilsonBoundOfPerfectAgreement() {
        int n = CascadeCalibration.minimumExamples(0.99, Z);
        assertEquals(268, n);
        assertTrue(CascadeCalibration.wilsonLowerBound(n, n, Z) >= 0.99);
        assertTrue(CascadeCalibration.wilsonLowerBound(n - 1, n - 1, Z) < 0.99);
    }

    @Test
    void wilsonBoundIsBelowTheRateAndTightensWithMoreData() {
        double small = CascadeCalibration.wilsonLowerBound(99, 100, Z);
        double large = CascadeCalibration.wilsonLowerBound(9900, 10000, Z);
        assertTrue(small < large && large < 0.99, small + " " + large);
        assertEquals(0.9884, large, 5e-4); // 0.99 - 1.645 * sqrt(0.99 * 0.01 / 10000), near the normal approximation
    }

    @Test
    void thresholdSitsAboveTheDisagreementsAndKeepsTheLargestQualifyingShare() {
        // 1000 perfect answers with scores 0.5..1.0, then 100 wrong answers all below 0.4 and 10 wrong ones mixed in
        // among the lowest confident answers: the cut must exclude the low wrong ones, may keep a few mixed ones.
        int n = 1110;
        double[] scores = new double[n];
        boolean[] agrees = new boolean[n];
        for (int i = 0; i < 1000; i++) {
            scores[i] = 0.5 + 0.5 * i / 1000.0;
            agrees[i] = true;
        }
        for (int i = 1000; i < 1100; i++) {
            scores[i] = 0.3 + 0.001 * (i - 1000);
        }
        for (int i = 1100; i < n; i++) {
            scores[i] = 0.5 + 0.01 * (i - 1100) + 0.0005; // wrong answers between 0.5 and 0.6
        }
        CascadeCalibration c = CascadeCalibration.calibrate(ConfidenceScore.PROBABILITY, scores, agrees, 0.99, Z);
        assertTrue(c.threshold().isPresent());
        double t = c.threshold().get();
        assertTrue(t >= 0.5 && t < 0.6, "threshold " + t);
        assertTrue(c.lowerBound() >= 0.99);
        long kept = java.util.stream.IntStream.range(0, n).filter(i -> scores[i] >= t).count();
        long right = java.util.stream.IntStream.range(0, n).filter(i -> scores[i] >= t && agrees[i]).count();
        assertEquals(kept / (double) n, c.coverage(), 1e-12);
        assertEquals(right / (double) kept, c.agreement(), 1e-12);
        // one step lower would fail the bound: the threshold is the smallest that qualifies
        long keptLower = java.util.stream.IntStream.range(0, n).filter(i -> scores[i] >= t - 0.0006).count();
        long rightLower = java.util.stream.IntStream.range(0, n).filter(i -> scores[i] >= t - 0.0006 && agrees[i]).count();
        assertTrue(keptLower == kept || CascadeCalibration.wilsonLowerBound(rightLower, keptLower, Z) < 0.99);
    }

    @Test
    void errorsSpreadOverTheTopLeaveNoThresholdForTheKeptAnswersButOneForTheServedOnes() {
        // 1,000 answers by falling score: 5 wrong among the 600 most confident (ranks 59, 159, ..., 459), then every
        // 4th of the rest wrong.
        int n = 1000;
        double[] scores = new double[n];
        boolean[] agrees = new boolean[n];
        for (int i = 0; i < n; i++) {
            scores[i] = 1.0 - i / (double) n;
            agrees[i] = i < 600 ? i % 100 != 59 : i % 4 != 0;
        }
        CascadeCalibration answered = CascadeCalibration.calibrate(ConfidenceScore.MARGIN, scores, agrees, 0.99, Z,
                AgreementOf.ANSWERED);
        assertTrue(answered.threshold().isEmpty(), "no kept share reaches 0.99 as a bound: " + answered);
        CascadeCalibration served = CascadeCalibration.calibrate(ConfidenceScore.MARGIN, scores, agrees, 0.99, Z,
                AgreementOf.SERVED);
        // 4 errors among all 1,000 served answers keep the bound at 0.99, 5 do not: keep up to the 5th error.
        assertTrue(CascadeCalibration.wilsonLowerBound(n - 4, n, Z) >= 0.99);
        assertTrue(CascadeCalibration.wilsonLowerBound(n - 5, n, Z) < 0.99);
        assertEquals(scores[458], served.threshold().orElseThrow(), 1e-12);
        assertEquals(0.459, served.coverage(), 1e-12);
        assertEquals(455 / 459.0, served.agreement(), 1e-12, "the kept answers' own agreement is still reported");
        assertEquals(CascadeCalibration.wilsonLowerBound(n - 4, n, Z), served.lowerBound(), 1e-12);
        assertEquals(AgreementOf.SERVED, AgreementOf.fromKey(" Served "));
        assertThrows(IllegalArgumentException.class, () -> AgreementOf.fromKey("all"));
    }

    @Test
    void tiedScoresAreKeptOrDeferredTogether() {
        // 400 answers all at score 1.0 with 20 wrong: no cut can split the tie, and the whole group fails 0.99.
        double[] scores = new double[400];
        boolean[] agrees = new boolean[400];
        java.util.Arrays.fill(scores, 1.0);
        for (int i = 20; i < 400; i++) {
            agrees[i] = true;
        }
        assertTrue(CascadeCalibration.calibrate(ConfidenceScore.MARGIN, scores, agrees, 0.99, Z).threshold().isEmpty());
    }

    @Test
    void scoresReadTheSoftmax() {
        List<Double> p = List.of(0.1, 0.6, 0.3);
        assertEquals(0.6, ConfidenceScore.PROBABILITY.of(p), 1e-12);
        assertEquals(0.3, ConfidenceScore.MARGIN.of(p), 1e-12);
        assertEquals(ConfidenceScore.MARGIN, ConfidenceScore.fromKey(" Margin "));
        assertEquals(Math.log(2), ConfidenceScore.LOG_ODDS.of(p), 1e-12);
        assertEquals(ConfidenceScore.LOG_ODDS, ConfidenceScore.fromKey("log-odds"));
    }

    @Test
    void logOddsKeepsOrderingWhereTheMarginSaturates() {
        // Two confident answers whose margins round to the same double near 1 (the runner-up underflows in float
        // arithmetic); the log-odds still tells them apart, and a runner-up of exactly 0 stays finite.
        List<Double> sure = List.of(1.0, 1e-12, 0.0);
        List<Double> surer = List.of(1.0, 1e-18, 0.0);
        assertEquals(ConfidenceScore.MARGIN.of(sure), ConfidenceScore.MARGIN.of(surer), 1e-11);
        assertTrue(ConfidenceScore.LOG_ODDS.of(surer) > ConfidenceScore.LOG_ODDS.of(sure) + 10);
        assertTrue(Double.isFinite(ConfidenceScore.LOG_ODDS.of(List.of(1.0, 0.0, 0.0))));
    }
}
