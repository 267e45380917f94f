package dev.distillery.trainer.training;

/**
 * Which rounds of new examples are evaluated on the held-out slice (and so gated): every round while the trainer
 * keeps up with the stream and until the first checkpoint is published; while it is behind (a whole round of examples
 * already waits), only every {@code interval}-th. The evaluation of a large held-out slice can cost as much as the
 * round's steps, and a checkpoint gated one round later is superseded a few seconds later anyway
 * ({@code distillery.trainer.backlog-evaluation-interval}). Owned by the training thread.
 */
public final class BacklogEvaluation {

    private final int interval;
    /** Rounds of new examples since the last evaluated one. */
    private int unevaluated;

    /** @param interval 1 evaluates every round */
    public BacklogEvaluation(int interval) {
        if (interval < 1) {
            throw new IllegalArgumentException("backlog-evaluation-interval must be >= 1, got " + interval);
        }
        this.interval = interval;
    }

    /**
     * @param behind    a whole round of examples already waits
     * @param published a checkpoint has been published (before the first one, every round may become it)
     */
    public boolean evaluateNext(boolean behind, boolean published) {
        return !behind || !published || unevaluated + 1 >= interval;
    }

    public void roundDone(boolean evaluated) {
        unevaluated = evaluated ? 0 : unevaluated + 1;
    }
}
