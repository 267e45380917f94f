package dev.distillery.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;

import dev.distillery.messages.MessageCodec;

/**
 * The shape of a BERT-family encoder, read from a Hugging Face {@code config.json} or built in code for {@code tiny}.
 *
 * @param positionOffset first position id: 0 for BERT, {@code pad_token_id + 1} for RoBERTa/XLM-R layouts
 */
public record BertConfig(
        String modelType,
        int vocabSize,
        int hiddenSize,
        int numLayers,
        int numHeads,
        int intermediateSize,
        int maxPositions,
        int typeVocabSize,
        double layerNormEps,
        int padTokenId,
        int positionOffset) {

    public BertConfig {
        if (hiddenSize % numHeads != 0) {
            throw new IllegalArgumentException("hidden_size " + hiddenSize + " is not a multiple of heads " + numHeads);
        }
        if (maxPositions - positionOffset < 2) {
            throw new IllegalArgumentException("max_position_embeddings too small: " + maxPositions);
        }
    }

    /**
     * The embedded base: one encoder layer (a second cost 1.7x the training time and agreed no better on text the
     * student never saw; see MODEL.md), wide enough (4 heads of 32) that adapters on a random encoder still separate
     * 13 languages. Windows of 128 tokens.
     */
    public static BertConfig tiny() {
        return new BertConfig("distillery-tiny", ByteLevelTokenizer.VOCAB_SIZE, 128, 1, 4, 512, 128, 0, 1e-12,
                ByteLevelTokenizer.PAD, 0);
    }

    public int headSize() {
        return hiddenSize / numHeads;
    }

    /** Longest input in tokens, special tokens included. */
    public int maxLength() {
        return maxPositions - positionOffset;
    }

    public static BertConfig read(Path configJson) throws IOException {
        JsonNode n = MessageCodec.mapper().readTree(Files.readAllBytes(configJson));
        String type = n.path("model_type").asText("bert");
        if (n.hasNonNull("hidden_act") && !n.get("hidden_act").asText().equals("gelu")) {
            throw new IOException("unsupported hidden_act " + n.get("hidden_act").asText() + " (only exact gelu)");
        }
        if (n.hasNonNull("position_embedding_type")
                && !n.get("position_embedding_type").asText().equals("absolute")) {
            throw new IOException("unsupported position_embedding_type " + n.get("position_embedding_type").asText());
        }
        int pad = n.path("pad_token_id").asInt(0);
        boolean roberta = type.contains("roberta");
        return new BertConfig(type,
                required(n, "vocab_size"),
                required(n, "hidden_size"),
                required(n, "num_hidden_layers"),
                required(n, "num_attention_heads"),
                required(n, "intermediate_size"),
                required(n, "max_position_embeddings"),
                n.path("type_vocab_size").asInt(0),
                n.path("layer_norm_eps").asDouble(1e-12),
                pad,
                roberta ? pad + 1 : 0);
    }

    private static int required(JsonNode n, String field) throws IOException {
        if (!n.hasNonNull(field) || !n.get(field).canConvertToInt()) {
            throw new IOException("config.json lacks integer field " + field);
        }
        return n.get(field).asInt();
    }
}
