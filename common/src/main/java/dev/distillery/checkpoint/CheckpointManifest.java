package dev.distillery.checkpoint;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.distillery.model.LoraConfig;

/**
 * {@code distillery.json}: what a checkpoint is and what it covers.
 *
 * @param adapterSha256 sha256 of {@code adapter_model.safetensors}; filled by {@link CheckpointStore#write}
 * @param offsets       for each {@code topic-partition}, the next offset of {@code distill.labeled} the checkpoint
 *                      covers: on restart the trainer resumes there
 */
public record CheckpointManifest(
        int schema,
        long version,
        String task,
        List<String> labels,
        String promptSha256,
        String baseModelId,
        String baseModelSha256,
        LoraConfig lora,
        Map<String, Double> metrics,
        Map<String, Long> offsets,
        String adapterSha256,
        long adapterSizeBytes,
        Instant createdAt) {

    public static final String FILE = "distillery.json";
    public static final String ADAPTER_FILE = "adapter_model.safetensors";
    public static final String ADAPTER_CONFIG_FILE = "adapter_config.json";

    public CheckpointManifest {
        labels = List.copyOf(labels);
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
        offsets = offsets == null ? Map.of() : Map.copyOf(offsets);
    }

    /**
     * The one rule of checkpoint compatibility: how this checkpoint differs from what a trainer or student runs (task
     * name, labels in head order, prompt sha256, base sha256), in that order; empty when it fits. What to do with a
     * difference is the caller's (the trainer resumes from none of them; a student serves a checkpoint distilled
     * from another prompt, since its adapter still fits).
     */
    public List<Mismatch> mismatches(String runningTask, List<String> runningLabels, String runningPromptSha256,
            String runningBaseSha256) {
        List<Mismatch> out = new ArrayList<>();
        if (!runningTask.equals(task)) {
            out.add(new Mismatch(Mismatch.Field.TASK, "it is for task " + task + ", not " + runningTask));
        }
        if (!runningLabels.equals(labels)) {
            out.add(new Mismatch(Mismatch.Field.LABELS, "its labels " + labels + " differ from the task's "
                    + runningLabels));
        }
        if (!runningPromptSha256.equals(promptSha256)) {
            out.add(new Mismatch(Mismatch.Field.PROMPT, "it was distilled from another prompt (sha256 " + promptSha256
                    + ", the task's is " + runningPromptSha256 + ")"));
        }
        if (!runningBaseSha256.equals(baseModelSha256)) {
            out.add(new Mismatch(Mismatch.Field.BASE, "it was trained on another base (" + baseModelId + " sha256 "
                    + baseModelSha256 + ")"));
        }
        return out;
    }

    /** One way a checkpoint differs from what runs; {@code detail} reads after "checkpoint vN: ". */
    public record Mismatch(Field field, String detail) {

        public enum Field { TASK, LABELS, PROMPT, BASE }
    }
}
