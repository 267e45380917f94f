package dev.distillery.model;

import java.util.SplittableRandom;

/**
 * How a fresh student's trainable weights are drawn, reproducibly from a seed and the module's name: the head as BERT's
 * classifier (N(0, 0.02)), LoRA's A as PEFT's {@code kaiming_uniform(a=sqrt(5))}; LoRA's B starts at zero.
 */
final class FreshWeights {

    private FreshWeights() {
    }

    static long seedFor(String name, long seed) {
        return seed * 0x9E3779B97F4A7C15L + name.hashCode();
    }

    static FloatTensor gaussian(long[] shape, double std, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] data = new float[(int) (shape[0] * shape[1])];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (random.nextGaussian() * std);
        }
        return new FloatTensor(shape, data);
    }

    static FloatTensor uniform(long[] shape, double bound, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] data = new float[(int) (shape[0] * shape[1])];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        return new FloatTensor(shape, data);
    }
}
