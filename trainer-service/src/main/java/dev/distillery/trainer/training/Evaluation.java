package dev.distillery.trainer.training;

import java.util.Map;

/**
 * Agreement of the student with the teacher on the held-out slice.
 *
 * @param agreement     overall share of held-out examples where the student's arg-max equals the teacher's label;
 *                      NaN when there are none
 * @param byLabel       for each teacher label present in the slice, the share of its examples the student agrees on
 * @param byLength      for each {@link dev.distillery.agreement.LengthBucket} present, the share agreed on
 * @param countByLength examples in each of those buckets
 * @param countByLabel  examples of each label in {@code byLabel}
 */
public record Evaluation(double agreement, Map<String, Double> byLabel, int examples, Map<String, Double> byLength,
        Map<String, Integer> countByLength, Map<String, Integer> countByLabel) {

    public static final Evaluation NONE = new Evaluation(Double.NaN, Map.of(), 0, Map.of(), Map.of(), Map.of());

    public Evaluation {
        byLabel = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(byLabel));
        byLength = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(byLength));
        countByLength = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(countByLength));
        countByLabel = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(countByLabel));
    }

    /** Without per-label counts: the gate's label rule then has no label with enough examples to apply to. */
    public Evaluation(double agreement, Map<String, Double> byLabel, int examples, Map<String, Double> byLength,
            Map<String, Integer> countByLength) {
        this(agreement, byLabel, examples, byLength, countByLength, Map.of());
    }

    /** Without length figures (a checkpoint stored before they were measured). */
    public Evaluation(double agreement, Map<String, Double> byLabel, int examples) {
        this(agreement, byLabel, examples, Map.of(), Map.of(), Map.of());
    }

    public boolean measured() {
        return examples > 0;
    }
}
