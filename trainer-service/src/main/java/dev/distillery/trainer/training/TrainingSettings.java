package dev.distillery.trainer.training;

import dev.distillery.model.TokenDropout;

/**
 * The round and split parameters (from {@code distillery.trainer.*}).
 *
 * @param idleIntervalNanos       the stream counts as paused when nothing new arrived for this long
 * @param patience                consolidation rounds in a row without a better held-out agreement after which
 *                                consolidation stops until new data arrives (0: no consolidation rounds)
 * @param consolidationLrDecay    learning-rate factor per consolidation round since new data (1: constant)
 * @param consolidationMinLrFactor floor of that factor
 * @param averageWeights          keep a running mean of the weights over consolidation rounds and use it when it
 *                                agrees at least as well as the current weights
 * @param tokenDropout            share of a training text's tokens left out at each step ({@code TokenDropout})
 * @param emaHalfLifeSteps        half-life, in optimizer steps, of the moving average of the weights that is evaluated
 *                                and published ({@code WeightEma}); 0: the raw weights are
 */
public record TrainingSettings(int batchSize, long roundIntervalNanos, int stepsPerRound, int stepBatchSize,
        double replayFraction, int replaySize, double learningRate, double heldOutPercent, int heldOutMax,
        long seed, long idleIntervalNanos, int patience, double consolidationLrDecay,
        double consolidationMinLrFactor, boolean averageWeights, double tokenDropout, double emaHalfLifeSteps) {

    /** The trainer's default token dropout (measured in common/MODEL.md). */
    public static final double DEFAULT_TOKEN_DROPOUT = 0.2;
    /** The trainer's default half-life of the weight average (measured in trainer-service/README.md, "Stop 17"). */
    public static final double DEFAULT_EMA_HALF_LIFE_STEPS = 18;

    /** Without consolidation rounds (idle interval never reached). */
    public TrainingSettings(int batchSize, long roundIntervalNanos, int stepsPerRound, int stepBatchSize,
            double replayFraction, int replaySize, double learningRate, double heldOutPercent, int heldOutMax,
            long seed) {
        this(batchSize, roundIntervalNanos, stepsPerRound, stepBatchSize, replayFraction, replaySize, learningRate,
                heldOutPercent, heldOutMax, seed, Long.MAX_VALUE, 0, 1.0, 1.0, false, DEFAULT_TOKEN_DROPOUT, 0);
    }

    public TrainingSettings {
        if (patience < 0 || idleIntervalNanos < 0) {
            throw new IllegalArgumentException("patience and idle-interval must be >= 0");
        }
        if (!(consolidationLrDecay > 0 && consolidationLrDecay <= 1 && consolidationMinLrFactor > 0
                && consolidationMinLrFactor <= 1)) {
            throw new IllegalArgumentException("consolidation lr decay and its floor must be in (0, 1]");
        }
        if (batchSize < 1 || stepsPerRound < 1 || stepBatchSize < 1) {
            throw new IllegalArgumentException("batch-size, steps-per-round and step-batch-size must be >= 1");
        }
        if (!(replayFraction >= 0 && replayFraction < 1)) {
            throw new IllegalArgumentException("replay-fraction must be in [0, 1), got " + replayFraction);
        }
        TokenDropout.requireRate(tokenDropout);
        if (!(emaHalfLifeSteps >= 0) || Double.isInfinite(emaHalfLifeSteps)) {
            throw new IllegalArgumentException("ema-half-life-steps must be >= 0, got " + emaHalfLifeSteps);
        }
        if (averageWeights && emaHalfLifeSteps > 0) {
            // Both would set the model's weights between rounds, each from its own average.
            throw new IllegalArgumentException("consolidation-average-weights and ema-half-life-steps > 0 exclude each"
                    + " other; set ema-half-life-steps=0 to average over consolidation rounds");
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learning-rate must be > 0, got " + learningRate);
        }
    }
}
