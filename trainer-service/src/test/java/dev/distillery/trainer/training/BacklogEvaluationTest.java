package dev.distillery.trainer.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class BacklogEvaluationTest {

    @Test
    void behindTheStreamEveryFourthRoundIsEvaluated() {
        BacklogEvaluation backlog = new BacklogEvaluation(4);
        List<Boolean> evaluated = new ArrayList<>();
        for (int round = 0; round < 8; round++) {
            boolean evaluate = backlog.evaluateNext(true, true);
            evaluated.add(evaluate);
            backlog.roundDone(evaluate);
        }
        assertEquals(List.of(false, false, false, true, false, false, false, true), evaluated);
    }

    @Test
    void keepingUpOrBeforeTheFirstCheckpointEveryRoundIs() {
        BacklogEvaluation backlog = new BacklogEvaluation(4);
        assertTrue(backlog.evaluateNext(false, true), "the trainer keeps up");
        assertTrue(backlog.evaluateNext(true, false), "no checkpoint yet: any round may become the first");
        backlog.roundDone(false);
        backlog.roundDone(false);
        assertFalse(backlog.evaluateNext(true, true));
        backlog.roundDone(true);
        backlog.roundDone(false);
        assertFalse(backlog.evaluateNext(true, true), "an evaluated round restarts the count");
    }

    @Test
    void oneEvaluatesEveryRoundAndLessIsRefused() {
        BacklogEvaluation every = new BacklogEvaluation(1);
        assertTrue(every.evaluateNext(true, true));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BacklogEvaluation(0));
        assertTrue(e.getMessage().contains("backlog-evaluation-interval must be >= 1, got 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BacklogEvaluation(-3));
    }
}
