package dev.distillery.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.core.Linear;

/**
 * A frozen linear layer with an optional low-rank adapter (Hu et al. 2021):
 * {@code y = x W^T + b + (alpha / r) * dropout(x) A^T B^T}, W [out, in] frozen, A [r, in], B [out, r] trainable.
 * B starts at zero, so a fresh adapter leaves the layer's output unchanged.
 *
 * @param name  Hugging Face module path, e.g. {@code encoder.layer.0.attention.self.query}
 * @param loraA null when this module has no adapter
 */
record LoraLinear(String name, NDArray weight, NDArray bias, NDArray loraA, NDArray loraB, float scaling,
        float dropout) {

    NDArray forward(NDArray x, boolean training) {
        NDArray y = Linear.linear(x, weight, bias).singletonOrThrow();   // [..., out]
        if (loraA == null) {
            return y;
        }
        NDArray in = training && dropout > 0
                ? x.getNDArrayInternal().dropout(x, dropout, true).singletonOrThrow()
                : x;
        NDArray low = Linear.linear(in, loraA, null).singletonOrThrow();   // [..., r]
        NDArray delta = Linear.linear(low, loraB, null).singletonOrThrow(); // [..., out]
        return y.add(delta.muli(scaling));
    }
}
