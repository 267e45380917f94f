package dev.distillery.model;

import java.util.HashMap;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * AdamW (Loshchilov and Hutter 2019) over named arrays, updated in place. Call with grad mode off: an in-place update
 * of a leaf that requires a gradient is otherwise recorded (or refused) by autograd.
 */
final class AdamW {

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final Map<String, NDArray[]> moments = new HashMap<>();
    private long step;
    /** Parameters whose gradient was not finite in the last skipped step, for the log. */
    private java.util.List<String> lastNonFinite = java.util.List.of();

    AdamW(double beta1, double beta2, double eps, double weightDecay) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    /**
     * Applies one update from each parameter's gradient, then zeroes the gradients (PyTorch accumulates them).
     * Gradients are first clipped to a global L2 norm of {@code maxNorm}; a step whose gradients are not finite is
     * skipped entirely, so one bad batch cannot turn the weights into NaN.
     *
     * @return the global gradient norm before clipping (NaN or infinite when the step was skipped)
     */
    double step(Map<String, NDArray> parameters, double learningRate, double maxNorm) {
        Map<String, NDArray> grads = new java.util.LinkedHashMap<>();
        NDArray squares = null;
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            NDArray g = e.getValue().getGradient();
            grads.put(e.getKey(), g);
            NDArray sq = g.square().sum();
            squares = squares == null ? sq : squares.add(sq);
        }
        double norm = squares == null ? 0 : Math.sqrt(squares.getFloat());
        if (!Double.isFinite(norm)) {
            lastNonFinite = new java.util.ArrayList<>();
            for (Map.Entry<String, NDArray> e : grads.entrySet()) {
                if (!Float.isFinite(e.getValue().square().sum().getFloat())) {
                    lastNonFinite.add(e.getKey());
                }
            }
            zeroGradients(parameters);
            return norm;
        }
        float clip = (float) (norm > maxNorm ? maxNorm / norm : 1.0);
        step++;
        double correction1 = 1 - Math.pow(beta1, step);
        double correction2 = 1 - Math.pow(beta2, step);
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            NDArray p = e.getValue();
            NDArray[] mv = moments.computeIfAbsent(e.getKey(), k -> {
                NDArray m = p.zerosLike();
                NDArray v = p.zerosLike();
                NDScope.unregister(m, v); // optimizer state outlives the step's scope
                return new NDArray[] {m, v};
            });
            NDArray g = clip < 1f ? grads.get(e.getKey()).mul(clip) : grads.get(e.getKey());
            mv[0].muli(beta1).addi(g.mul(1 - beta1));                     // m = b1 m + (1 - b1) g
            mv[1].muli(beta2).addi(g.square().muli(1 - beta2));           // v = b2 v + (1 - b2) g^2
            NDArray update = mv[0].div(correction1)
                    .divi(mv[1].div(correction2).sqrt().addi(eps));        // m^ / (sqrt(v^) + eps)
            if (weightDecay > 0) {
                p.muli(1 - learningRate * weightDecay);                    // decoupled weight decay
            }
            p.subi(update.muli(learningRate));
            JniUtils.zeroGrad((PtNDArray) p);                              // PyTorch accumulates gradients
        }
        return norm;
    }

    /** Drops the accumulated gradients without updating (a skipped step). */
    void zeroGradients(Map<String, NDArray> parameters) {
        for (NDArray p : parameters.values()) {
            JniUtils.zeroGrad((PtNDArray) p);
        }
    }

    java.util.List<String> lastNonFinite() {
        return lastNonFinite;
    }

    long steps() {
        return step;
    }
}
