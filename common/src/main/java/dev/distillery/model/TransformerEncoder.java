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
 *
 * <p>Each token comes with a weight: 1 for a token, 0 for padding, or how many times the token occurs when a
 * position-free base's window is read as a multiset ({@link WindowBatch}). A token of weight c counts as c copies of
 * itself: its attention score gets {@code + log c} (softmax over keys then weighs it c times) and pooling weighs its
 * state c times. Without positions, copies of a token have the same state in every layer, so this computes exactly
 * what reading every copy would, at the cost of the distinct tokens only.
 */
final class TransformerEncoder {

    /** Attention score at padded keys (weight 0); finite so that softmax never sees -inf - -inf. */
    private static final float MASKED = -1e9f;

    private final BertConfig config;
    private final NDArray wordEmbeddings;
    /** Null when the base's position embeddings are all zero: a window is then a set of tokens. */
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
        this.positionEmbeddings = isZero(positionEmbeddings) ? null : positionEmbeddings;
        this.tokenTypeEmbeddings = tokenTypeEmbeddings;
        this.embeddingNormWeight = embeddingNormWeight;
        this.embeddingNormBias = embeddingNormBias;
        this.layers = List.copyOf(layers);
    }

    /**
     * The base has no positions (all zero), so a token's meaning does not depend on where it stands: windows may be
     * read as multisets and need not be bounded by the position table.
     */
    boolean positionFree() {
        return positionEmbeddings == null;
    }

    /**
     * @param ids     [B, T] int64 token ids
     * @param weights [B, T] float32, the times each token counts (1 for a token, 0 for padding)
     * @return [B, d] sentence vectors: the weighted mean of the token states
     */
    NDArray forward(NDArray ids, NDArray weights, boolean training) {
        NDArray x = hiddenStates(ids, weights, training);                        // [B, T, d]
        NDArray w = weights.expandDims(2);                                       // [B, T, 1]
        return x.mul(w).sum(new int[] {1})                                       // [B, d]
                .divi(w.sum(new int[] {1}));                                     // / [B, 1]
    }

    /**
     * The last layer's token states, what Hugging Face calls {@code last_hidden_state}.
     *
     * @return [B, T, d]
     */
    NDArray hiddenStates(NDArray ids, NDArray weights, boolean training) {
        long b = ids.getShape().get(0);
        long t = ids.getShape().get(1);

        // Embeddings: word + position (+ token type 0), then LayerNorm.
        NDArray x = embed(ids, wordEmbeddings);                                  // [B, T, d]
        if (positionEmbeddings != null) {
            NDManager m = ids.getManager();
            NDArray positions = m.arange(config.positionOffset(), config.positionOffset() + t, 1, DataType.INT64);
            x = x.add(embed(positions, positionEmbeddings));                     // + [T, d]
        }
        if (tokenTypeEmbeddings != null) {
            x = x.add(tokenTypeEmbeddings.get(0));                               // + [d]
        }
        x = EncoderLayer.layerNorm(x, embeddingNormWeight, embeddingNormBias, (float) config.layerNormEps());

        // Attention bias per key: log of its weight (0 for a single token), a large negative number for padding.
        NDArray keyBias = weights.log().maximum(MASKED).reshape(b, 1, 1, t);     // [B, 1, 1, T]
        for (EncoderLayer layer : layers) {
            x = layer.forward(x, keyBias, training);                             // [B, T, d]
        }
        return x;
    }

    /** Frees arrays derived from the adapters for inference; call whenever the adapters change. */
    void adaptersChanged() {
        layers.forEach(EncoderLayer::adaptersChanged);
    }

    private static boolean isZero(NDArray a) {
        if (a == null) {
            return false;
        }
        try (NDArray abs = a.abs(); NDArray max = abs.max()) {
            return max.getFloat() == 0f;
        }
    }

    /** Rows of {@code table} by id: [..., dim] for ids [...]. */
    static NDArray embed(NDArray ids, NDArray table) {
        return ids.getNDArrayInternal().embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
    }
}
