package dev.distillery.student.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.distillery.student.cascade.CascadeMetrics;
import dev.distillery.student.checkpoint.Refusal;

/**
 * What the student serves.
 *
 * @param checkpoint   the served checkpoint, {@code null} before the first one (also while the untrained base is served)
 * @param ready        whether {@code /v1/classify} answers (a checkpoint, or the untrained base when configured)
 * @param promptTokens tokens of the task prompt P under the base's tokenizer: what each query no longer carries
 * @param previous     version a rollback would return to, if one is kept
 * @param cascade      the serving policy and what it did since start
 */
public record ModelInfo(String base, String baseSha256, String task, List<String> labels, Checkpoint checkpoint,
        boolean ready, int promptTokens, boolean untrainedBase, Long previous, String device, int maxLength,
        Refusal lastRefusal, Cascade cascade) {

    /**
     * @param policy     default policy ({@code student} or {@code cascade})
     * @param score      the confidence score compared with the threshold
     * @param threshold  the served checkpoint's threshold on that score; null when it has none (everything defers)
     * @param totals     answers, coverage, deferrals, teacher failures, prompt tokens saved, shadow-audit agreement
     */
    public record Cascade(String policy, boolean teacherConfigured, String score, Double threshold,
            CascadeMetrics.Totals totals) {
    }

    public record Checkpoint(long version, Map<String, Double> metrics, Instant loadedAt, String sha256) {
    }
}
