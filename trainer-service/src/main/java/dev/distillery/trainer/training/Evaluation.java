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
 * @param answeredByLabel how often the student answered each label on the same examples (empty when not counted)
 * @param cascadeCoverage the share of the slice the cascade would let the student answer: the coverage of the
 *                        threshold calibrated on it for {@link dev.distillery.cascade.ConfidenceScore#defaultScore()}
 *                        (0 when no threshold reaches the target; NaN when not calibrated)
 */
public record Evaluation(double agreement, Map<String, Double> byLabel, int examples, Map<String, Double> byLength,
        Map<String, Integer> countByLength, Map<String, Integer> countByLabel, Map<String, Integer> answeredByLabel,
        double cascadeCoverage) {

    public static final Evaluation NONE = new Evaluation(Double.NaN, Map.of(), 0, Map.of(), Map.of(), Map.of(),
            Map.of(), Double.NaN);

    public Evaluation {
        byLabel = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(byLabel));
        byLength = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(byLength));
        countByLength = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(countByLength));
        countByLabel = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(countByLabel));
        answeredByLabel = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(answeredByLabel));
    }

    /** Without length figures (a checkpoint stored before they were measured). */
    public Evaluation(double agreement, Map<String, Double> byLabel, int examples) {
        this(agreement, byLabel, examples, Map.of(), Map.of(), Map.of(), Map.of(), Double.NaN);
    }

    /**
     * For each label of {@code byLabel}, F1 of the student's answers against the teacher's: it falls when the student
     * misses the label's examples and when it answers the label for others, so a student that answers one label for
     * nearly everything has a high agreement on that label but a low F1. Without answer counts, the agreement.
     */
    public Map<String, Double> f1ByLabel() {
        if (answeredByLabel.isEmpty()) {
            return byLabel;
        }
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        byLabel.forEach((label, recall) -> {
            int n = countByLabel.getOrDefault(label, 0);
            double agreed = recall * n;
            int answered = answeredByLabel.getOrDefault(label, 0);
            out.put(label, n + answered == 0 ? Double.NaN : 2 * agreed / (n + answered));
        });
        return out;
    }

    public boolean measured() {
        return examples > 0;
    }
}
