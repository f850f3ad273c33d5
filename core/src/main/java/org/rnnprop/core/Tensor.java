package org.rnnprop.core;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * A named float32 tensor in row-major order. Kernels are stored as (in, out): {@code y = x · W + b}.
 *
 * <p>Immutable: the constructor copies the arrays it is given and the accessors hand out copies, so weights
 * that kernels and checksum-keyed caches hold cannot change under them. Read single values with {@link #get},
 * or all of them without a copy through {@link #values()}.
 *
 * @param shape dimensions, outermost first
 * @param data values, row-major
 */
public record Tensor(int[] shape, float[] data) {

    /** Checks that {@code data} has as many elements as {@code shape} says, and keeps copies of both. */
    public Tensor {
        shape = shape.clone();
        data = data.clone();
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

    /** A copy of the dimensions, outermost first. */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** A copy of the values, row-major (a fresh array on every call: copy once, outside loops). */
    @Override
    public float[] data() {
        return data.clone();
    }

    /** The values, row-major, as a read-only buffer over this tensor's own memory (no copy). */
    public FloatBuffer values() {
        return FloatBuffer.wrap(data).asReadOnlyBuffer();
    }

    /** Size of dimension {@code i}. */
    public int dim(int i) {
        return shape[i];
    }

    /** Number of elements. */
    public int size() {
        return data.length;
    }

    /** Element {@code i} in row-major order. */
    public float get(int i) {
        return data[i];
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
