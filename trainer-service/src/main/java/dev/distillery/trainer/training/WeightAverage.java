package dev.distillery.trainer.training;

import java.util.Map;

import dev.distillery.model.StudentModel;

/**
 * Stochastic weight averaging over the ends of consolidation rounds since new data: held-out agreement swings by
 * several points between consecutive rounds, and the running mean of the round-end weights sits in the middle of
 * those swings. The model keeps whichever of the current and the averaged weights agrees better (training then goes
 * on from it); the same held-out slice the gate uses decides, as for early stopping.
 */
final class WeightAverage {

    /** Running mean of the trainable weights at round ends since new data (null: none yet). */
    private Map<String, float[]> average;
    private int averaged;

    /**
     * Folds the model's round-end weights into the mean and keeps the better of the two on the held-out slice.
     *
     * @param current the evaluation of the model's weights as they are
     * @return the evaluation of the weights the model now holds
     */
    Evaluation roundEnd(StudentModel model, Evaluation current, HeldOutEvaluator heldOut) {
        Map<String, float[]> weights = model.trainableSnapshot();
        if (average == null) {
            average = weights;
            averaged = 1;
            return current;
        }
        averaged++;
        WeightEma.fold(average, weights, 1 - 1.0 / averaged); // the running mean of the round ends
        HeldOutEvaluator.Answers currentAnswers = heldOut.lastAnswers();
        model.setTrainable(average);
        Evaluation averagedEvaluation = heldOut.evaluate(model);
        if (averagedEvaluation.agreement() + 1e-9 >= current.agreement()) {
            return averagedEvaluation;
        }
        model.setTrainable(weights);
        heldOut.restore(currentAnswers);
        return current;
    }

    /** New data arrived: the next consolidation phase averages from scratch. */
    void reset() {
        average = null;
    }
}
