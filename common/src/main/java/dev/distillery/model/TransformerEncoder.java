package dev.distillery.model;

import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.SparseFormat;

/**
 * Embeddings, then the encoder layers, then mean pooling over the real (non-padding) tokens.
 * Mean pooling rather than [CLS]: a frozen random encoder gives [CLS] no reason to summarise the sentence, while the
 * mean of the token states carries every token's evidence to the head (and it is what e5/MiniLM-style bases use).
 */
final class TransformerEncoder {

    /** Added to attention scores at padded keys; finite so that softmax never sees -inf - -inf. */
    private static final float MASKED = -1e9f;

    private final BertConfig config;
    private final NDArray wordEmbeddings;
    private final NDArray positionEmbeddings;
    private final NDArray tokenTypeEmbeddings;
    private final NDArray embeddingNormWeight;
    private final NDArray embeddingNormBias;
    private final List<EncoderLayer> layers;

    TransformerEncoder(BertConfig config, NDArray wordEmbeddings, NDArray positionEmbeddings,
            NDArray tokenTypeEmbeddings, NDArray embeddingNormWeight, NDArray embeddingNormBias,
            List<EncoderLayer> layers) {
        this.config = config;
        this.wordEmbeddings = wordEmbeddings;
        this.positionEmbeddings = positionEmbeddings;
        this.tokenTypeEmbeddings = tokenTypeEmbeddings;
        this.embeddingNormWeight = embeddingNormWeight;
        this.embeddingNormBias = embeddingNormBias;
        this.layers = List.copyOf(layers);
    }

    /**
     * @param ids  [B, T] int64 token ids
     * @param mask [B, T] float32, 1 for tokens and 0 for padding
     * @return [B, d] sentence vectors
     */
    NDArray forward(NDArray ids, NDArray mask, boolean training) {
        NDArray x = hiddenStates(ids, mask, training);                            // [B, T, d]

        // Mean over real tokens.
        NDArray weights = mask.expandDims(2);                                    // [B, T, 1]
        return x.mul(weights).sum(new int[] {1})                                  // [B, d]
                .div(weights.sum(new int[] {1}));                                // / [B, 1]
    }

    /**
     * The last layer's token states, what Hugging Face calls {@code last_hidden_state}.
     *
     * @return [B, T, d]
     */
    NDArray hiddenStates(NDArray ids, NDArray mask, boolean training) {
        NDManager m = ids.getManager();
        long t = ids.getShape().get(1);

        // Embeddings: word + position (+ token type 0), then LayerNorm.
        NDArray positions = m.arange(config.positionOffset(), config.positionOffset() + t, 1, DataType.INT64); // [T]
        NDArray x = embed(ids, wordEmbeddings)                                   // [B, T, d]
                .add(embed(positions, positionEmbeddings));                      // + [T, d]
        if (tokenTypeEmbeddings != null) {
            x = x.add(tokenTypeEmbeddings.get(0));                               // + [d]
        }
        x = EncoderLayer.layerNorm(x, embeddingNormWeight, embeddingNormBias, (float) config.layerNormEps());

        // Encoder layers; padded keys get a large negative attention score.
        NDArray maskBias = mask.sub(1f).neg().muli(MASKED)                        // [B, T]
                .expandDims(1).expandDims(1);                                    // [B, 1, 1, T]
        for (EncoderLayer layer : layers) {
            x = layer.forward(x, maskBias, training);                            // [B, T, d]
        }
        return x;
    }

    private static NDArray embed(NDArray ids, NDArray table) {
        return ids.getNDArrayInternal().embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
    }
}
