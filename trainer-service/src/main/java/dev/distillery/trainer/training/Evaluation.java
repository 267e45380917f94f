package dev.distillery.trainer.training;

import java.util.Map;

/**
 * Agreement of the student with the teacher on the held-out slice.
 *
 * @param agreement overall share of held-out examples where the student's arg-max equals the teacher's label;
 *                  NaN when there are none
 * @param byLabel   for each teacher label present in the slice, the share of its examples the student agrees on
 */
public record Evaluation(double agreement, Map<String, Double> byLabel, int examples) {

    public static final Evaluation NONE = new Evaluation(Double.NaN, Map.of(), 0);

    public Evaluation {
        byLabel = Map.copyOf(byLabel);
    }

    public boolean measured() {
        return examples > 0;
    }
}
