package dev.distillery.demo.run;

import java.time.Duration;

/**
 * When the launcher stops waiting for the trainer's consolidation rounds after the target was reached: once the
 * budget is spent, or once no new consolidation round was counted for the quiet interval (the trainer's patience ran
 * out, or it is stuck). Times are System.nanoTime() values; the trainer's count may be unknown (-1) when its status
 * could not be read.
 */
final class ConsolidationWait {

    private final long endNanos;
    private final long quietNanos;
    private long rounds;
    private long lastChangeNanos;

    ConsolidationWait(long nowNanos, long rounds, Duration budget, Duration quiet) {
        this.endNanos = nowNanos + budget.toNanos();
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

    /** The last count seen (-1 when never known). */
    long rounds() {
        return rounds;
    }
}
