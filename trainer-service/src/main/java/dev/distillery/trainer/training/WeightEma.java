package dev.distillery.trainer.training;

import java.util.HashMap;
import java.util.Map;

import dev.distillery.model.StudentModel;

/**
 * An exponential moving average of the trainable weights over optimizer steps (Polyak averaging): training goes on
 * from the raw weights, while between rounds the model holds the average, so the held-out evaluation, the gate, the
 * cascade calibration and the published checkpoint all see the average. Why: on the demo set the held-out agreement
 * swings by 1-2 points from one round to the next (labels by up to 5) as rounds trade boundary examples the rules
 * decide by a threshold, and the gate then publishes whichever swing scored best on the held-out slice. The average
 * sits in the middle of the swings; measured in trainer-service/README.md ("Stop 17").
 *
 * <p>Folded once per round with the decay of that round's steps, {@code 0.5^(steps / halfLifeSteps)}, so rounds of
 * different sizes weigh by the steps they took. Not thread-safe: the training thread owns it.
 */
final class WeightEma {

    private final double halfLifeSteps;
    /** The average (null: no round folded yet, or averaging off). */
    private Map<String, float[]> average;
    /** The raw weights while the model holds the average (null: the model holds its raw weights). */
    private Map<String, float[]> raw;

    /**
     * @param halfLifeSteps steps after which a round's weights count half as much; 0 turns averaging off (checked by
     *                      {@link TrainingSettings})
     */
    WeightEma(double halfLifeSteps) {
        this.halfLifeSteps = halfLifeSteps;
    }

    boolean enabled() {
        return halfLifeSteps > 0;
    }

    /** Before optimizer steps: the model gets its raw weights back, since training continues from those. */
    void beforeSteps(StudentModel model) {
        if (raw != null) {
            model.setTrainable(raw);
            raw = null;
        }
    }

    /**
     * After a round's steps: folds the raw weights into the average (when the round took steps) and leaves the model
     * holding the average. A round without steps leaves the average as it was.
     */
    void afterSteps(StudentModel model, int steps) {
        if (!enabled() || raw != null) {
            return; // off, or the model holds the average already
        }
        Map<String, float[]> weights = model.trainableSnapshot();
        if (steps > 0) {
            if (average == null) {
                average = new HashMap<>();
                weights.forEach((name, w) -> average.put(name, w.clone()));
            } else {
                fold(average, weights, Math.pow(0.5, steps / halfLifeSteps));
            }
        }
        if (average != null) {
            raw = weights;
            model.setTrainable(average);
        }
    }

    /** {@code average = decay * average + (1 - decay) * weights}, in place. */
    static void fold(Map<String, float[]> average, Map<String, float[]> weights, double decay) {
        for (Map.Entry<String, float[]> e : average.entrySet()) {
            float[] avg = e.getValue();
            float[] w = weights.get(e.getKey());
            if (w == null || w.length != avg.length) {
                throw new IllegalStateException("trainable array " + e.getKey() + " changed shape");
            }
            for (int i = 0; i < avg.length; i++) {
                avg[i] = (float) (decay * avg[i] + (1 - decay) * w[i]);
            }
        }
    }

}
