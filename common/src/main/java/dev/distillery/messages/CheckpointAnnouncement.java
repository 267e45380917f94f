package dev.distillery.messages;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Published on {@code distill.checkpoints} (compacted, keyed by task) once a checkpoint's files are durable.
 *
 * @param uri       where the checkpoint directory lives, e.g. {@code file:///checkpoints/language-id/v000007}
 * @param sha256    sha256 of the checkpoint's adapter file, verified by every loader
 * @param baseModel base model id and its sha256, so a student refuses an adapter for another base
 * @param metrics   held-out agreement, loss, examples seen, ...
 */
public record CheckpointAnnouncement(
        int schema,
        long version,
        String uri,
        String sha256,
        long sizeBytes,
        BaseModel baseModel,
        String task,
        String promptSha256,
        List<String> labels,
        Map<String, Double> metrics,
        Instant createdAt) {

    public CheckpointAnnouncement {
        labels = labels == null ? List.of() : List.copyOf(labels);
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }

    /** Identity of the frozen base the adapter was trained on. */
    public record BaseModel(String id, String sha256) {
    }
}
