package dev.distillery.trainer.training;

/**
 * What one training round did.
 *
 * @param newExamples       new training examples the round covered
 * @param replayedExamples  replayed example slots over all its steps
 * @param meanLoss          mean of the steps' losses (NaN when no step ran)
 * @param meanStepMillis    mean wall time of one optimizer step
 * @param examplesPerSecond example slots trained per second of step time
 */
public record RoundResult(long round, int steps, int newExamples, int replayedExamples, double meanLoss,
        double meanStepMillis, double examplesPerSecond, Evaluation evaluation) {
}
