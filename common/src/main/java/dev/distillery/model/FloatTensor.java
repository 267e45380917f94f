package dev.distillery.model;

import java.util.Arrays;

/** A dense F32 tensor on the Java heap, row-major: what crosses between files and the engine. */
public record FloatTensor(long[] shape, float[] data) {

    public FloatTensor {
        shape = shape.clone();
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got "
                    + data.length);
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }
}
