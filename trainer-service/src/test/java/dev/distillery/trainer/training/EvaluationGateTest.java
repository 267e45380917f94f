package dev.distillery.trainer.training;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
