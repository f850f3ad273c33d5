package org.rnnprop.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.function.BinaryOperator;

/**
 * Constants that are safe inside an autograd graph.
 *
 * <p>DJL's PyTorch engine creates an array from Java data ({@code NDManager.create}) as a tensor that
 * <em>borrows</em> a direct ByteBuffer: only the Java array object keeps that memory alive. Once the array is
 * closed, the garbage collector frees the buffer, while a tensor that shares it (a view, or a tensor an autograd
 * graph saved for its backward pass) still points to it. {@code NDArray.mul(Number)} is the common case: it
 * creates the scalar that way and closes it as soon as the product is computed, but PyTorch's multiplication
 * saves that scalar to differentiate the other factor. A backward pass that runs after a garbage collection
 * then multiplies by whatever the freed memory holds ({@code NdConstantsTest} shows it). Forward-only code is
 * not affected; code whose constants an autograd graph may keep makes them here.
 */
public final class NdConstants {
    private NdConstants() {
    }

    /** A float32 scalar whose memory PyTorch allocates and reference-counts itself. */
    public static NDArray scalar(NDManager manager, double value) {
        return manager.full(new Shape(), (float) value, DataType.FLOAT32);
    }

    /**
     * {@code x * factor}, differentiable: the factor is an engine-owned scalar, so a graph that keeps it for the
     * backward pass keeps valid memory. The returned array belongs to x's manager.
     */
    public static NDArray times(NDArray x, double factor) {
        return withScalar(x, factor, NDArray::mul);
    }

    /** {@code x / divisor}, differentiable like {@link #times} (and rounded as a division, not a product). */
    public static NDArray quotient(NDArray x, double divisor) {
        return withScalar(x, divisor, NDArray::div);
    }

    /** Element-wise {@code max(x, value)}, differentiable like {@link #times}. */
    public static NDArray maximum(NDArray x, double value) {
        return withScalar(x, value, NDArray::maximum);
    }

    /** Element-wise {@code min(x, value)}, differentiable like {@link #times}. */
    public static NDArray minimum(NDArray x, double value) {
        return withScalar(x, value, NDArray::minimum);
    }

    /** {@code op(x, value)} with value as an engine-owned scalar, closed once the result exists. */
    private static NDArray withScalar(NDArray x, double value, BinaryOperator<NDArray> op) {
        try (NDArray v = scalar(x.getManager(), value)) {
            return op.apply(x, v);
        }
    }

    /** A float32 array holding a copy of {@code data} in memory that PyTorch owns. */
    public static NDArray array(NDManager manager, float[] data, Shape shape) {
        try (NDArray borrowed = manager.create(data, shape)) {
            return borrowed.duplicate();
        }
    }
}
