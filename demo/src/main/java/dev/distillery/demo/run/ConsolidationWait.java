package dev.distillery.demo.run;

import java.time.Duration;

/**
 * When the launcher stops waiting for the trainer's consolidation rounds after the target was reached: once the
 * budget is spent or the latest end has come (whichever is first), or once no new consolidation round was counted for
 * the quiet interval (the trainer's patience ran out, or it is stuck). Times are System.nanoTime() values; the
 * trainer's count may be unknown (-1) when its status could not be read.
 */
final class ConsolidationWait {

    private final long endNanos;
    private final long quietNanos;
    private long rounds;
    private long lastChangeNanos;

    /**
     * @param latestEndNanos when the wait ends however much of the budget is left: a slower machine reaches the target
     *                       later, and the run must still report within its time
     */
    ConsolidationWait(long nowNanos, long rounds, Duration budget, Duration quiet, long latestEndNanos) {
        this.endNanos = Math.min(nowNanos + budget.toNanos(), latestEndNanos);
        this.quietNanos = quiet.toNanos();
        this.rounds = rounds;
        this.lastChangeNanos = nowNanos;
    }

    /** Takes the trainer's consolidation-round count at {@code nowNanos}; true when the wait is over. */
    boolean over(long nowNanos, long roundsNow) {
        if (roundsNow >= 0 && roundsNow != rounds) {
            rounds = roundsNow;
            lastChangeNanos = nowNanos;
        }
        return nowNanos >= endNanos || nowNanos - lastChangeNanos >= quietNanos;
    }

    /** Seconds the wait may last from {@code nowNanos} at most (0 when the latest end has passed). */
    long secondsLeft(long nowNanos) {
        return Math.max(0, (endNanos - nowNanos) / 1_000_000_000L);
    }

    /** The last count seen (-1 when never known). */
    long rounds() {
        return rounds;
    }
}
