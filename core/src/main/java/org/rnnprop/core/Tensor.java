package org.rnnprop.core;

import java.util.Arrays;

/**
 * A named float32 tensor in row-major order. Kernels are stored as (in, out): {@code y = x · W + b}.
 *
 * @param shape dimensions, outermost first
 * @param data values, row-major; the array is owned by this tensor and must not be changed
 */
public record Tensor(int[] shape, float[] data) {

    /** Checks that {@code data} has as many elements as {@code shape} says. */
    public Tensor {
        long n = 1;
        for (int d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException("tensor dimension must be positive, got " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException(
                    "tensor shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
        }
    }

    /** Number of elements. */
    public int size() {
        return data.length;
    }

    /** Element (r, c) of a 2-D tensor. */
    public float get(int r, int c) {
        return data[r * shape[1] + c];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}
