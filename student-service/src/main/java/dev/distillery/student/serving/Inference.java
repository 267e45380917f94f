package dev.distillery.student.serving;

import java.util.List;

import dev.distillery.model.Prediction;

/**
 * The answers for one request's texts, all from the same model.
 *
 * @param version    checkpoint version that answered, {@code null} for the untrained base
 * @param batchTexts texts in the forward pass this request shared
 */
public record Inference(List<Prediction> predictions, Long version, int batchTexts) {
}
