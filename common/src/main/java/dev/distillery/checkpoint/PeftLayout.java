package dev.distillery.checkpoint;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.distillery.messages.MessageCodec;
import dev.distillery.model.LoraConfig;
import dev.distillery.model.StudentModel;

/**
 * How an adapter is named on disk: as Hugging Face PEFT's {@code get_peft_model_state_dict} names the adapter of the
 * equivalent {@code transformers} model, so PEFT ({@code PeftModel.from_pretrained}) and other tools can load it.
 *
 * <p>For a {@code BertForSequenceClassification} wrapped by {@code get_peft_model}, PEFT prefixes every key with
 * {@code base_model.model.}, keeps the model's own path ({@code bert.encoder.layer.0.attention.self.query}), drops the
 * adapter name from {@code lora_A.default.weight}, and saves each {@code modules_to_save} module under its own path
 * without the wrapper's {@code modules_to_save.default.} ({@code base_model.model.classifier.weight},
 * {@code base_model.model.bert.embeddings.word_embeddings.weight}). The encoder's path is {@code bert.} for BERT
 * layouts (and for the BERT-shaped {@code tiny}), {@code roberta.} for RoBERTa/XLM-R.
 *
 * <p>The model itself uses the names without {@code base_model.model.} and without the encoder prefix.
 */
public final class PeftLayout {

    /** PEFT's prefix of every key in {@code adapter_model.safetensors}. */
    public static final String PREFIX = "base_model.model.";
    /** The sequence-classification head, at the top of the Hugging Face model (not under the encoder). */
    public static final String CLASSIFIER = StudentModel.CLASSIFIER;
    /**
     * The adapter config's flag for the head's token-evidence table ({@code classifier.token_evidence.weight}, saved
     * with the head). Not PEFT's: PEFT ignores unknown keys; absent means no table, as adapters written before it.
     */
    public static final String TOKEN_EVIDENCE_KEY = "token_evidence";

    private PeftLayout() {
    }

    /** {@code bert.} or {@code roberta.}: where the encoder sits in the Hugging Face classification model. */
    public static String encoderPrefix(String modelType) {
        return modelType != null && modelType.contains("roberta") ? "roberta." : "bert.";
    }

    /** The key written for a trainable array ({@code encoder.layer.0...lora_A.weight}, {@code classifier.weight}). */
    public static String fileKey(String modelType, String name) {
        return name.startsWith(CLASSIFIER + ".") ? PREFIX + name : PREFIX + encoderPrefix(modelType) + name;
    }

    /**
     * The model's name for a key read from a file, or null when the key is not PEFT's. Keys written before the encoder
     * prefix was added ({@code base_model.model.encoder...}) are still read.
     */
    public static String modelName(String modelType, String key) {
        if (!key.startsWith(PREFIX)) {
            return null;
        }
        String name = key.substring(PREFIX.length());
        String encoder = encoderPrefix(modelType);
        return name.startsWith(encoder) ? name.substring(encoder.length()) : name;
    }

    /**
     * PEFT's {@code adapter_config.json} for a LoRA sequence classifier, plus {@code id2label}/{@code label2id} (the
     * head's label order, which {@code transformers} keeps in a model's config: PEFT ignores unknown keys with a
     * warning) and {@code pooling} (how the head's input is made; see common/MODEL.md).
     *
     * @param baseNameOrPath the base as the user configured it: a directory path, or {@code tiny}
     */
    public static ObjectNode adapterConfig(String baseNameOrPath, LoraConfig lora, List<String> labels,
            String pooling) {
        ObjectNode n = MessageCodec.mapper().createObjectNode();
        n.put("peft_type", "LORA");
        n.put("task_type", "SEQ_CLS");
        n.put("base_model_name_or_path", baseNameOrPath);
        n.putNull("revision");
        n.put("r", lora.rank());
        n.put("lora_alpha", lora.alpha());
        n.put("lora_dropout", lora.dropout());
        var targets = n.putArray("target_modules");
        lora.targetModules().forEach(targets::add);
        var modules = n.putArray("modules_to_save");
        modules.add(CLASSIFIER);
        if (lora.trainEmbeddings()) {
            modules.add("word_embeddings");
        }
        n.put("bias", "none");
        n.put("fan_in_fan_out", false);
        n.put("inference_mode", true);
        ObjectNode id2label = n.putObject("id2label");
        ObjectNode label2id = n.putObject("label2id");
        for (int i = 0; i < labels.size(); i++) {
            id2label.put(Integer.toString(i), labels.get(i));
            label2id.put(labels.get(i), i);
        }
        n.put("pooling", pooling);
        n.put(TOKEN_EVIDENCE_KEY, lora.tokenEvidence());
        return n;
    }
}
