package dev.distillery.model;

import java.util.List;

/**
 * The student's answer for one text.
 *
 * @param label         the arg-max label
 * @param confidence    its probability
 * @param probabilities one probability per label, in the task's label order
 * @param tokens        tokens the model actually processed for this text (after truncation)
 */
public record Prediction(String label, double confidence, List<Double> probabilities, int tokens) {
    public Prediction {
        probabilities = List.copyOf(probabilities);
    }
}
