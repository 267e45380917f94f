package dev.distillery.demo.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class ConsolidationWaitTest {

    private static final long S = 1_000_000_000L;

    @Test
    void endsWhenTheTrainerStopsCountingRounds() {
        ConsolidationWait wait = new ConsolidationWait(0, 3, Duration.ofSeconds(45), Duration.ofSeconds(15),
                Long.MAX_VALUE);
        assertFalse(wait.over(5 * S, 4));
        assertFalse(wait.over(10 * S, 5));
        assertFalse(wait.over(24 * S, 5), "14 s since the last new round");
        assertTrue(wait.over(25 * S, 5), "15 s without a new round: the trainer's patience ran out");
        assertEquals(5, wait.rounds());
    }

    @Test
    void endsAtTheBudgetWhileRoundsKeepComing() {
        ConsolidationWait wait = new ConsolidationWait(0, 0, Duration.ofSeconds(45), Duration.ofSeconds(15),
                Long.MAX_VALUE);
        for (int t = 5; t < 45; t += 5) {
            assertFalse(wait.over(t * S, t / 5), "round " + t / 5 + " at " + t + " s");
        }
        assertTrue(wait.over(45 * S, 9));
    }

    @Test
    void anUnreadableStatusIsNotANewRound() {
        ConsolidationWait wait = new ConsolidationWait(0, 2, Duration.ofSeconds(45), Duration.ofSeconds(15),
                Long.MAX_VALUE);
        assertFalse(wait.over(10 * S, -1));
        assertTrue(wait.over(15 * S, -1), "no round counted for 15 s");
        assertEquals(2, wait.rounds());
    }

    @Test
    void endsAtTheLatestEndWhenThatComesBeforeTheBudget() {
        ConsolidationWait wait = new ConsolidationWait(0, 0, Duration.ofSeconds(45), Duration.ofSeconds(15), 20 * S);
        assertEquals(20, wait.secondsLeft(0));
        assertFalse(wait.over(10 * S, 1));
        assertFalse(wait.over(19 * S, 2));
        assertTrue(wait.over(20 * S, 3), "the run must report in time, rounds or not");
        assertEquals(0, wait.secondsLeft(30 * S));
    }

    @Test
    void aLatestEndAlreadyPastEndsTheWaitAtOnce() {
        ConsolidationWait wait = new ConsolidationWait(100 * S, 0, Duration.ofSeconds(45), Duration.ofSeconds(15),
                90 * S);
        assertEquals(0, wait.secondsLeft(100 * S));
        assertTrue(wait.over(100 * S, 0));
    }
}
