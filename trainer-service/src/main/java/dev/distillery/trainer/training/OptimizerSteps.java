package dev.distillery.trainer.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

import dev.distillery.model.StudentModel;
import dev.distillery.trainer.intake.Example;

/**
 * The optimizer-step loop both kinds of round share: K times take a batch, lengthen a share of it
 * ({@link LengthAugmentation}), take one step with token dropout; the round's mean loss, step time and throughput
 * come back. The steps start from the raw weights and leave the model holding their moving average ({@link WeightEma}).
 */
final class OptimizerSteps {

    private final StudentModel model;
    private final LengthAugmentation augmentation;
    private final double tokenDropout;
    private final WeightEma average;
    private final Random random;
    private final LongConsumer stepNanosSink;

    /**
     * @param tokenDropout  share of each text's tokens the model leaves out at each step
     * @param average       the moving average of the weights the model holds between rounds
     * @param stepNanosSink receives every step's duration (metrics)
     */
    OptimizerSteps(StudentModel model, LengthAugmentation augmentation, double tokenDropout, WeightEma average,
            Random random, LongConsumer stepNanosSink) {
        this.model = model;
        this.augmentation = augmentation;
        this.tokenDropout = tokenDropout;
        this.average = average;
        this.random = random;
        this.stepNanosSink = stepNanosSink;
    }

    Run run(int steps, Supplier<List<Example>> nextBatch, double learningRate) {
        int slots = 0;
        double lossSum = 0;
        int finiteSteps = 0;
        long stepNanos = 0;
        average.beforeSteps(model);
        for (int s = 0; s < steps; s++) {
            List<Example> batch = augmentation.apply(nextBatch.get(), random);
            long start = System.nanoTime();
            double loss = model.trainStep(texts(batch), targets(batch), learningRate, tokenDropout, random);
            long took = System.nanoTime() - start;
            stepNanos += took;
            stepNanosSink.accept(took);
            if (Double.isFinite(loss)) { // the model skips a non-finite step; it must not blank the round's loss
                lossSum += loss;
                finiteSteps++;
            }
            slots += batch.size();
        }
        average.afterSteps(model, steps);
        return new Run(steps, slots, finiteSteps == 0 ? Double.NaN : lossSum / finiteSteps, stepNanos);
    }

    /**
     * What the steps of one round did.
     *
     * @param slots    example slots trained, augmented texts included
     * @param meanLoss mean of the finite steps' losses (NaN when none)
     */
    record Run(int steps, int slots, double meanLoss, long stepNanos) {

        double meanStepMillis() {
            return steps == 0 ? Double.NaN : stepNanos / 1e6 / steps;
        }

        double examplesPerSecond() {
            return stepNanos == 0 ? Double.NaN : slots / (stepNanos / 1e9);
        }
    }

    static List<String> texts(List<Example> examples) {
        List<String> texts = new ArrayList<>(examples.size());
        for (Example e : examples) {
            texts.add(e.text());
        }
        return texts;
    }

    private static float[][] targets(List<Example> examples) {
        float[][] targets = new float[examples.size()][];
        for (int i = 0; i < targets.length; i++) {
            targets[i] = examples.get(i).target();
        }
        return targets;
    }
}
