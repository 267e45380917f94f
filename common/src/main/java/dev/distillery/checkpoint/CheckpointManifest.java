package dev.distillery.checkpoint;

import java.time.Instant;
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
}
