package dev.distillery.trainer.training;

/**
 * What one training round did.
 *
 * @param kind              {@link Kind#NEW} (new examples mixed with replay) or {@link Kind#CONSOLIDATION} (replay
 *                          only, while the stream pauses)
 * @param newExamples       new training examples the round covered
 * @param replayedExamples  replayed example slots over all its steps
 * @param meanLoss          mean of the steps' losses (NaN when no step ran)
 * @param meanStepMillis    mean wall time of one optimizer step
 * @param examplesPerSecond example slots trained per second of step time
 * @param evaluation        the held-out evaluation of the weights after the round ({@link Evaluation#NONE} when the
 *                          round was not evaluated)
 * @param evaluated         false when the evaluation was skipped (the trainer is behind the stream): such a round is
 *                          never gated
 */
public record RoundResult(long round, Kind kind, int steps, int newExamples, int replayedExamples, double meanLoss,
        double meanStepMillis, double examplesPerSecond, Evaluation evaluation, boolean evaluated) {

    public enum Kind {
        NEW, CONSOLIDATION;

        /** {@code new} or {@code consolidation}, as logged and reported. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
