package dev.distillery.student.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.distillery.student.checkpoint.Refusal;

/**
 * What the student serves.
 *
 * @param checkpoint   the served checkpoint, {@code null} before the first one (also while the untrained base is served)
 * @param ready        whether {@code /v1/classify} answers (a checkpoint, or the untrained base when configured)
 * @param promptTokens tokens of the task prompt P under the base's tokenizer: what each query no longer carries
 * @param previous     version a rollback would return to, if one is kept
 */
public record ModelInfo(String base, String baseSha256, String task, List<String> labels, Checkpoint checkpoint,
        boolean ready, int promptTokens, boolean untrainedBase, Long previous, String device, int maxLength,
        Refusal lastRefusal) {

    public record Checkpoint(long version, Map<String, Double> metrics, Instant loadedAt, String sha256) {
    }
}
