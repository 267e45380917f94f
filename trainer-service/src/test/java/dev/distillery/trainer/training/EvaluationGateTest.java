package dev.distillery.trainer.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import org.junit.jupiter.api.Test;

class EvaluationGateTest {

    private final EvaluationGate gate = new EvaluationGate(0.01, false);

    @Test
    void theFirstCheckpointIsAlwaysPublished() {
        assertTrue(gate.decide(0.1, OptionalDouble.empty(), false).publish());
        assertTrue(gate.decide(Double.NaN, OptionalDouble.empty(), false).publish());
    }

    @Test
    void aWorseCandidateIsRefused() {
        GateDecision d = gate.decide(0.80, OptionalDouble.of(0.90), false);
        assertFalse(d.publish(), d.reason());
    }

    @Test
    void anEqualCandidateIsRefusedWhileADeltaIsRequiredAndABetterOneIsPublished() {
        assertFalse(gate.decide(0.90, OptionalDouble.of(0.90), false).publish());
        assertFalse(gate.decide(0.905, OptionalDouble.of(0.90), false).publish());
        assertTrue(gate.decide(0.91, OptionalDouble.of(0.90), false).publish());
        assertTrue(new EvaluationGate(0.0, false).decide(0.90, OptionalDouble.of(0.90), false).publish());
    }

    @Test
    void aForcedCheckpointWaivesTheDeltaButNeverAcceptsARegression() {
        assertTrue(gate.decide(0.90, OptionalDouble.of(0.90), true).publish());
        assertFalse(gate.decide(0.89, OptionalDouble.of(0.90), true).publish());
    }

    @Test
    void alwaysPublishPublishesAWorseCandidate() {
        assertTrue(new EvaluationGate(0.01, true).decide(0.1, OptionalDouble.of(0.9), false).publish());
    }

    @Test
    void anUnmeasurableCandidateIsRefusedUnlessForced() {
        assertFalse(gate.decide(Double.NaN, OptionalDouble.of(0.9), false).publish());
        assertTrue(gate.decide(Double.NaN, OptionalDouble.of(0.9), true).publish());
        assertTrue(gate.decide(0.2, OptionalDouble.of(Double.NaN), false).publish());
    }

    @Test
    void aRegressionInALengthBucketWithEnoughExamplesRefusesABetterAverage() {
        EvaluationGate lengthGate = new EvaluationGate(0.0, false, 20, 0.02);
        Evaluation last = evaluation(0.90, Map.of("<40", 0.95, "200+", 0.90), Map.of("<40", 200, "200+", 40));
        Evaluation betterShortWorseLong = evaluation(0.93, Map.of("<40", 0.99, "200+", 0.80),
                Map.of("<40", 200, "200+", 40));
        GateDecision d = lengthGate.decide(betterShortWorseLong, Optional.of(last), OptionalDouble.of(0.90), false);
        assertFalse(d.publish());
        assertTrue(d.reason().contains("200+"), d.reason());
        assertFalse(lengthGate.decide(betterShortWorseLong, Optional.of(last), OptionalDouble.of(0.90), true)
                .publish(), "forcing waives the delta, not the no-regression rule");
        // Within the tolerance, or in a bucket too small to trust, a drop does not count.
        Evaluation slightlyWorseLong = evaluation(0.93, Map.of("<40", 0.99, "200+", 0.885),
                Map.of("<40", 200, "200+", 40));
        assertTrue(lengthGate.decide(slightlyWorseLong, Optional.of(last), OptionalDouble.of(0.90), false).publish(),
                "0.015 is within the tolerance and within one text of 40");
        Evaluation twoTextsWorse = evaluation(0.93, Map.of("<40", 0.99, "200+", 0.85), Map.of("<40", 200, "200+", 40));
        assertFalse(lengthGate.decide(twoTextsWorse, Optional.of(last), OptionalDouble.of(0.90), false).publish());
        Evaluation fewLong = evaluation(0.93, Map.of("<40", 0.99, "200+", 0.5), Map.of("<40", 200, "200+", 10));
        assertTrue(lengthGate.decide(fewLong, Optional.of(last), OptionalDouble.of(0.90), false).publish());
        // Without a scored champion only the overall rule applies; the overall rule still refuses first.
        assertTrue(lengthGate.decide(betterShortWorseLong, Optional.empty(), OptionalDouble.of(0.90), false).publish());
        assertFalse(lengthGate.decide(evaluation(0.85, Map.of(), Map.of()), Optional.of(last), OptionalDouble.of(0.90),
                false).publish());
        assertTrue(new EvaluationGate(0.0, true, 20, 0.02).decide(betterShortWorseLong, Optional.of(last),
                OptionalDouble.of(0.90), false).publish(), "always-publish");
    }

    @Test
    void aRegressionOnALabelWithEnoughExamplesRefusesABetterAverage() {
        EvaluationGate labelGate = new EvaluationGate(0.0, false, 20, 0.02);
        Evaluation last = byLabel(0.90, Map.of("en", 0.90, "es", 0.95), Map.of("en", 200, "es", 40));
        Evaluation betterEnWorseEs = byLabel(0.93, Map.of("en", 0.95, "es", 0.85), Map.of("en", 200, "es", 40));
        GateDecision d = labelGate.decide(betterEnWorseEs, Optional.of(last), OptionalDouble.of(0.90), false);
        assertFalse(d.publish());
        assertTrue(d.reason().startsWith("label es: F1 0.8500 vs 0.9500"), d.reason());
        assertFalse(labelGate.decide(betterEnWorseEs, Optional.of(last), OptionalDouble.of(0.90), true).publish(),
                "forcing waives the delta, not the no-regression rule");
        Evaluation slightlyWorseEs = byLabel(0.93, Map.of("en", 0.95, "es", 0.935), Map.of("en", 200, "es", 40));
        assertTrue(labelGate.decide(slightlyWorseEs, Optional.of(last), OptionalDouble.of(0.90), false).publish(),
                "0.015 is within the tolerance and within one example of 40");
        Evaluation fewEs = byLabel(0.93, Map.of("en", 0.95, "es", 0.5), Map.of("en", 200, "es", 10));
        assertTrue(labelGate.decide(fewEs, Optional.of(last), OptionalDouble.of(0.90), false).publish());
        Evaluation esAboveTheFloor = byLabel(0.93, Map.of("en", 0.95, "es", 0.905), Map.of("en", 200, "es", 40));
        assertTrue(labelGate.decide(esAboveTheFloor, Optional.of(last), OptionalDouble.of(0.90), false).publish(),
                "0.95 -> 0.905 is a swing of two examples that stays above the 0.90 floor");
    }

    @Test
    void aStudentThatAnsweredOneLabelForEverythingDoesNotHoldBackABetterOneOnThatLabel() {
        EvaluationGate labelGate = new EvaluationGate(0.0, false, 20, 0.02);
        // 100 ot and 100 en held out. The early student answered ot for all 200: ot agreement 1.0, en 0.
        Evaluation allOt = new Evaluation(0.50, Map.of("en", 0.0, "ot", 1.0), 200, Map.of(), Map.of(),
                Map.of("en", 100, "ot", 100), Map.of("ot", 200), Double.NaN);
        // The candidate misses 12 ot texts (answered en) and 2 en texts (answered ot): ot agreement 0.88 < 0.90.
        Evaluation better = new Evaluation(0.93, Map.of("en", 0.98, "ot", 0.88), 200, Map.of(), Map.of(),
                Map.of("en", 100, "ot", 100), Map.of("en", 110, "ot", 90), Double.NaN);
        assertEquals(2 * 100 / 300.0, allOt.f1ByLabel().get("ot"), 1e-9);
        assertEquals(2 * 88 / 190.0, better.f1ByLabel().get("ot"), 1e-9);
        GateDecision d = labelGate.decide(better, Optional.of(allOt), OptionalDouble.of(0.50), false);
        assertTrue(d.publish(), d.reason());
        // Against a student that was right on ot without answering it for everything, a real drop still refuses.
        Evaluation goodOt = new Evaluation(0.96, Map.of("en", 0.96, "ot", 0.96), 200, Map.of(), Map.of(),
                Map.of("en", 100, "ot", 100), Map.of("en", 100, "ot", 100), Double.NaN);
        Evaluation worseOt = new Evaluation(0.90, Map.of("en", 1.0, "ot", 0.80), 200, Map.of(), Map.of(),
                Map.of("en", 100, "ot", 100), Map.of("en", 120, "ot", 80), Double.NaN);
        GateDecision refused = labelGate.decide(worseOt, Optional.of(goodOt), OptionalDouble.of(0.90), false);
        assertFalse(refused.publish());
        assertTrue(refused.reason().startsWith("label ot: F1 0.8889 vs 0.9600"), refused.reason());
    }

    @Test
    void aCandidateThatAgreesAsWellButCoversLessIsRefused() {
        EvaluationGate coverageGate = new EvaluationGate(0.0, false);
        // The demo run that motivated the rule: 0.9555 / 0.844 served, then 0.9566 / 0.713 offered.
        Evaluation served = covering(0.9555, 0.844);
        GateDecision d = coverageGate.decide(covering(0.9566, 0.713), Optional.of(served), OptionalDouble.of(0.9555),
                false);
        assertFalse(d.publish(), d.reason());
        assertTrue(d.reason().startsWith("cascade coverage 0.7130 vs 0.8440"), d.reason());
        assertFalse(coverageGate.decide(covering(0.9566, 0.713), Optional.of(served), OptionalDouble.of(0.9555), true)
                .publish(), "forcing waives the delta, not a loss of coverage");
        // Within the tolerance a loss of coverage does not count; a better candidate is published.
        GateDecision within = coverageGate.decide(covering(0.9566, 0.836), Optional.of(served),
                OptionalDouble.of(0.9555), false);
        assertTrue(within.publish(), within.reason());
        assertTrue(within.reason().contains("cascade coverage 0.8360 vs 0.8440"), within.reason());
        // A clearly better student is published whatever the coverage.
        assertTrue(coverageGate.decide(covering(0.9655, 0.713), Optional.of(served), OptionalDouble.of(0.9555), false)
                .publish());
    }

    @Test
    void aCandidateThatCoversMoreIsPublishedWithinTheAgreementTolerance() {
        EvaluationGate coverageGate = new EvaluationGate(0.0, false);
        Evaluation served = covering(0.9600, 0.790);
        GateDecision more = coverageGate.decide(covering(0.9585, 0.829), Optional.of(served), OptionalDouble.of(0.96),
                false);
        assertTrue(more.publish(), more.reason());
        assertTrue(more.reason().startsWith("cascade coverage 0.8290 vs 0.7900"), more.reason());
        // Beyond the agreement tolerance, or too small a gain, the agreement rule's refusal stands.
        assertFalse(coverageGate.decide(covering(0.9537, 0.829), Optional.of(served), OptionalDouble.of(0.96), false)
                .publish());
        assertFalse(coverageGate.decide(covering(0.9585, 0.795), Optional.of(served), OptionalDouble.of(0.96), false)
                .publish());
        // A candidate covering more still meets the slice rules.
        Evaluation lastBySlice = new Evaluation(0.96, Map.of(), 1752, Map.of("200+", 0.95), Map.of("200+", 100),
                Map.of(), Map.of(), 0.79);
        Evaluation worseLong = new Evaluation(0.9585, Map.of(), 1752, Map.of("200+", 0.85), Map.of("200+", 100),
                Map.of(), Map.of(), 0.83);
        GateDecision slice = coverageGate.decide(worseLong, Optional.of(lastBySlice), OptionalDouble.of(0.96), false);
        assertFalse(slice.publish(), slice.reason());
        assertTrue(slice.reason().contains("200+"), slice.reason());
        // Without coverage figures (a checkpoint from before them), only agreement counts.
        assertFalse(coverageGate.decide(covering(0.9585, 0.9), Optional.of(covering(0.96, Double.NaN)),
                OptionalDouble.of(0.96), false).publish());
    }

    @Test
    void toleranceSettingsOutsideZeroToOneAreRefusedByName() {
        for (double[] bad : new double[][] {{-0.01, 0.002}, {1.0, 0.002}, {0.01, -0.001}, {0.01, Double.NaN}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new EvaluationGate(0.0, false, 20, 0.02, bad[0], bad[1]));
            assertTrue(e.getMessage().contains("coverage-tolerance and agreement-tolerance"), e.getMessage());
        }
    }

    private static Evaluation byLabel(double agreement, Map<String, Double> byLabel, Map<String, Integer> counts) {
        return new Evaluation(agreement, byLabel, 240, Map.of(), Map.of(), counts, Map.of(), Double.NaN); // F1 = agr.
    }

    private static Evaluation evaluation(double agreement, Map<String, Double> byLength, Map<String, Integer> counts) {
        return new Evaluation(agreement, Map.of(), 240, byLength, counts, Map.of(), Map.of(), Double.NaN);
    }

    private static Evaluation covering(double agreement, double cascadeCoverage) {
        return new Evaluation(agreement, Map.of(), 1752, Map.of(), Map.of(), Map.of(), Map.of(), cascadeCoverage);
    }
}
