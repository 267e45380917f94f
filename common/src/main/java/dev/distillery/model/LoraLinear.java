package dev.distillery.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.core.Linear;

/**
 * A frozen linear layer with an optional low-rank adapter (Hu et al. 2021):
 * {@code y = x W^T + b + (alpha / r) * dropout(x) A^T B^T}, W [out, in] frozen, A [r, in], B [out, r] trainable.
 * B starts at zero, so a fresh adapter leaves the layer's output unchanged.
 *
 * <p>For inference the adapter is merged, {@code W' = W + (alpha / r) B A}, computed once and kept until the adapters
 * change: one matrix product per token instead of three, and four fewer engine calls per layer, which is most of a
 * short text's cost. Training keeps the factored form, through which gradients reach A and B.
 */
final class LoraLinear {

    private final String name;
    private final NDArray weight;
    private final NDArray bias;
    private final NDArray loraA;
    private final NDArray loraB;
    private final float scaling;
    private final float dropout;
    /** W + scaling B A for inference; null until first needed and after {@link #adaptersChanged}. */
    private NDArray merged;

    /**
     * @param name  Hugging Face module path, e.g. {@code encoder.layer.0.attention.self.query}
     * @param loraA null when this module has no adapter
     */
    LoraLinear(String name, NDArray weight, NDArray bias, NDArray loraA, NDArray loraB, float scaling, float dropout) {
        this.name = name;
        this.weight = weight;
        this.bias = bias;
        this.loraA = loraA;
        this.loraB = loraB;
        this.scaling = scaling;
        this.dropout = dropout;
    }

    String name() {
        return name;
    }

    NDArray forward(NDArray x, boolean training) {
        if (loraA == null) {
            return Linear.linear(x, weight, bias).singletonOrThrow();      // [..., out]
        }
        if (!training) {
            return Linear.linear(x, mergedWeight(), bias).singletonOrThrow();
        }
        NDArray y = Linear.linear(x, weight, bias).singletonOrThrow();     // [..., out]
        NDArray in = dropout > 0 ? x.getNDArrayInternal().dropout(x, dropout, true).singletonOrThrow() : x;
        NDArray low = Linear.linear(in, loraA, null).singletonOrThrow();   // [..., r]
        NDArray delta = Linear.linear(low, loraB, null).singletonOrThrow(); // [..., out]
        return y.add(delta.muli(scaling));
    }

    /** Drops the merged weight: the next inference merges the adapters as they are now. */
    synchronized void adaptersChanged() {
        if (merged != null) {
            merged.close();
            merged = null;
        }
    }

    private synchronized NDArray mergedWeight() {
        if (merged == null) {
            // B A lives on the student's manager (B's); it outlives the caller's scope until the adapters change.
            NDArray m = loraB.matMul(loraA).muli(scaling).addi(weight);    // [out, in]
            NDScope.unregister(m);
            merged = m;
        }
        return merged;
    }
}
