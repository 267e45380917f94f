package dev.distillery.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

/**
 * One BERT encoder layer (Vaswani et al. 2017, post-LN as in Devlin et al. 2019):
 * {@code h = LN(x + Attn(x))}, {@code out = LN(h + W2 gelu(W1 h))}.
 */
final class EncoderLayer {

    private final LoraLinear query;
    private final LoraLinear key;
    private final LoraLinear value;
    private final LoraLinear attentionOutput;
    private final NDArray attentionNormWeight;
    private final NDArray attentionNormBias;
    private final LoraLinear intermediate;
    private final LoraLinear output;
    private final NDArray outputNormWeight;
    private final NDArray outputNormBias;
    private final int heads;
    private final float eps;

    EncoderLayer(LoraLinear query, LoraLinear key, LoraLinear value, LoraLinear attentionOutput,
            NDArray attentionNormWeight, NDArray attentionNormBias, LoraLinear intermediate, LoraLinear output,
            NDArray outputNormWeight, NDArray outputNormBias, int heads, float eps) {
        this.query = query;
        this.key = key;
        this.value = value;
        this.attentionOutput = attentionOutput;
        this.attentionNormWeight = attentionNormWeight;
        this.attentionNormBias = attentionNormBias;
        this.intermediate = intermediate;
        this.output = output;
        this.outputNormWeight = outputNormWeight;
        this.outputNormBias = outputNormBias;
        this.heads = heads;
        this.eps = eps;
    }

    /**
     * @param x        [B, T, d]
     * @param maskBias [B, 1, 1, T]: added to every query's score for each key (log of the key's weight, a large
     *                 negative number for padding)
     */
    NDArray forward(NDArray x, NDArray maskBias, boolean training) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        long d = x.getShape().get(2);
        long dh = d / heads;

        // Multi-head self-attention: softmax(Q K^T / sqrt(dh) + mask) V, per head.
        // The 1/sqrt(dh) scale goes on Q, d values a token instead of T scores.
        NDArray q = splitHeads(query.forward(x, training).divi((float) Math.sqrt(dh)), b, t, dh); // [B, H, T, dh]
        NDArray k = splitHeads(key.forward(x, training), b, t, dh);          // [B, H, T, dh]
        NDArray v = splitHeads(value.forward(x, training), b, t, dh);        // [B, H, T, dh]
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2))                    // [B, H, T, T]
                .addi(maskBias);
        NDArray context = scores.softmax(-1).matMul(v)                       // [B, H, T, dh]
                .transpose(0, 2, 1, 3)                                      // [B, T, H, dh]
                .reshape(b, t, d);                                          // [B, T, d]
        NDArray h = layerNorm(x.add(attentionOutput.forward(context, training)),
                attentionNormWeight, attentionNormBias);                    // [B, T, d]

        // Position-wise feed-forward with GELU.
        NDArray inner = Activation.gelu(intermediate.forward(h, training)); // [B, T, I]
        return layerNorm(h.add(output.forward(inner, training)), outputNormWeight, outputNormBias); // [B, T, d]
    }

    /** Frees arrays derived from the adapters for inference; call whenever the adapters change. */
    void adaptersChanged() {
        for (LoraLinear l : new LoraLinear[] {query, key, value, attentionOutput, intermediate, output}) {
            l.adaptersChanged();
        }
    }

    private NDArray splitHeads(NDArray x, long b, long t, long dh) {
        return x.reshape(b, t, heads, dh).transpose(0, 2, 1, 3);
    }

    private NDArray layerNorm(NDArray x, NDArray weight, NDArray bias) {
        return layerNorm(x, weight, bias, eps);
    }

    static NDArray layerNorm(NDArray x, NDArray weight, NDArray bias, float eps) {
        return x.getNDArrayInternal()
                .layerNorm(x, new Shape(x.getShape().get(x.getShape().dimension() - 1)), weight, bias, eps)
                .singletonOrThrow();
    }
}
