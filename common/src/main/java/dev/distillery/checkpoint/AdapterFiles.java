package dev.distillery.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.distillery.messages.MessageCodec;
import dev.distillery.model.BaseModel;
import dev.distillery.model.FloatTensor;
import dev.distillery.model.LoraConfig;
import dev.distillery.model.SafetensorsFile;
import dev.distillery.model.SafetensorsWriter;
import dev.distillery.model.StudentModel;

/**
 * A student's adapter as files: {@code adapter_config.json} and {@code adapter_model.safetensors} with PEFT's names
 * ({@link PeftLayout}), so PEFT and other tools load what the trainer writes. The model itself only knows tensors.
 *
 * <p>Reading does not hash the adapter: a checkpoint is verified once, by {@link CheckpointStore#open}, and
 * {@link #load(BaseModel, StoredCheckpoint, String)} takes what it opened.
 */
public final class AdapterFiles {

    private AdapterFiles() {
    }

    /**
     * Writes the adapter files into the directory, which must exist (a {@link CheckpointStore.AdapterWriter}).
     * Metadata ({@code distillery.json}) is the checkpoint store's job.
     */
    public static void write(StudentModel model, Path directory) throws IOException {
        BaseModel base = model.base();
        SortedMap<String, FloatTensor> tensors = new TreeMap<>();
        model.trainableTensors().forEach((name, t) -> tensors.put(PeftLayout.fileKey(base.config().modelType(), name), t));
        Map<String, String> metadata = new TreeMap<>();
        metadata.put("format", "pt");
        metadata.put("base_model", base.id());
        metadata.put("base_model_sha256", base.sha256());
        metadata.put("labels", MessageCodec.encodeToString(model.labels()));
        SafetensorsWriter.write(directory.resolve(CheckpointManifest.ADAPTER_FILE), tensors, metadata);
        Files.write(directory.resolve(CheckpointManifest.ADAPTER_CONFIG_FILE),
                MessageCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(adapterConfig(model)));
    }

    /** PEFT's {@code adapter_config.json} for a student's adapter. */
    public static ObjectNode adapterConfig(StudentModel model) {
        return PeftLayout.adapterConfig(model.base().id(), model.lora(), model.labels(), StudentModel.POOLING);
    }

    /**
     * A student restored from a checkpoint {@link CheckpointStore#open} verified: base and labels as its manifest
     * records them.
     */
    public static StudentModel load(BaseModel base, StoredCheckpoint checkpoint, String device)
            throws CheckpointException {
        CheckpointManifest m = checkpoint.manifest();
        return load(base, checkpoint.directory(), device, new Origin(m.baseModelId(), m.baseModelSha256(), m.labels()));
    }

    /**
     * A student restored from a bare adapter directory (written by {@link #write}, no manifest): base and labels as the
     * adapter file's metadata records them.
     */
    public static StudentModel load(BaseModel base, Path directory, String device) throws CheckpointException {
        return load(base, directory, device, null);
    }

    /** Which base an adapter was trained on and its head's labels; null: read them from the adapter's metadata. */
    private record Origin(String baseId, String baseSha256, List<String> labels) {
    }

    private static StudentModel load(BaseModel base, Path directory, String device, Origin origin)
            throws CheckpointException {
        Path adapterFile = directory.resolve(CheckpointManifest.ADAPTER_FILE);
        Path configFile = directory.resolve(CheckpointManifest.ADAPTER_CONFIG_FILE);
        if (!Files.isRegularFile(adapterFile) || !Files.isRegularFile(configFile)) {
            throw new CheckpointException(directory + " lacks " + CheckpointManifest.ADAPTER_FILE + " or "
                    + CheckpointManifest.ADAPTER_CONFIG_FILE);
        }
        try {
            LoraConfig lora = loraConfigOf(MessageCodec.mapper().readTree(Files.readAllBytes(configFile)));
            Map<String, FloatTensor> tensors = new TreeMap<>();
            Map<String, String> metadata;
            try (SafetensorsFile file = SafetensorsFile.open(adapterFile)) {
                metadata = file.metadata();
                for (String name : file.names()) {
                    String modelName = PeftLayout.modelName(base.config().modelType(), name);
                    if (modelName == null || tensors.put(modelName, file.read(name)) != null) {
                        throw new CheckpointException(adapterFile + ": unexpected tensor " + name);
                    }
                }
            }
            if (origin == null) {
                origin = new Origin(metadata.get("base_model"), metadata.get("base_model_sha256"),
                        Arrays.asList(MessageCodec.mapper().readValue(metadata.getOrDefault("labels", "[]"),
                                String[].class)));
            }
            if (origin.baseSha256() == null || !origin.baseSha256().equals(base.sha256())) {
                throw new CheckpointException("checkpoint " + directory + " was trained on base " + origin.baseId()
                        + " (sha256 " + origin.baseSha256() + "), not on " + base.id() + " (sha256 " + base.sha256()
                        + ")");
            }
            try {
                return StudentModel.fromTensors(base, lora, origin.labels(), device, tensors);
            } catch (IllegalArgumentException e) {
                throw new CheckpointException(directory + ": " + e.getMessage(), e);
            }
        } catch (IOException e) {
            throw new CheckpointException("cannot read checkpoint " + directory + ": " + e.getMessage(), e);
        }
    }

    static LoraConfig loraConfigOf(JsonNode adapterConfig) throws IOException {
        if (!"LORA".equals(adapterConfig.path("peft_type").asText())) {
            throw new IOException("adapter_config.json: peft_type is not LORA");
        }
        List<String> targets = new ArrayList<>();
        adapterConfig.path("target_modules").forEach(t -> targets.add(t.asText()));
        boolean embeddings = false;
        for (JsonNode m : adapterConfig.path("modules_to_save")) {
            embeddings |= m.asText().equals("word_embeddings");
        }
        if (!adapterConfig.path("r").canConvertToInt()) {
            throw new IOException("adapter_config.json: r is missing");
        }
        return new LoraConfig(adapterConfig.path("r").asInt(), adapterConfig.path("lora_alpha").asDouble(),
                adapterConfig.path("lora_dropout").asDouble(0), targets, embeddings,
                adapterConfig.path(PeftLayout.TOKEN_EVIDENCE_KEY).asBoolean(false));
    }
}
