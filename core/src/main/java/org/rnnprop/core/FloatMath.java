package org.rnnprop.core;

import org.rnnprop.core.internal.TanhRational;

/**
 * The float activations of the optimizer network in plain arithmetic: no call to {@code Math.exp}, which the
 * JIT does not vectorize, so loops that apply them over an array compile to SIMD code. Shared by the
 * library's hand-written kernels; the inference kernels' own copies give the same values.
 */
public final class FloatMath {
    private FloatMath() {
    }

    /**
     * tanh as a rational function (odd degree 13 over even degree 6) on [-7.9, 7.9], the approximation
     * TensorFlow and Eigen use for float tanh. Absolute error below 4e-7.
     */
    public static float tanh(float a) {
        float x = Math.max(-TanhRational.CLAMP, Math.min(TanhRational.CLAMP, a));
        float x2 = x * x;
        float p = x2 * TanhRational.P6 + TanhRational.P5;
        p = x2 * p + TanhRational.P4;
        p = x2 * p + TanhRational.P3;
        p = x2 * p + TanhRational.P2;
        p = x2 * p + TanhRational.P1;
        p = x2 * p + TanhRational.P0;
        float q = x2 * TanhRational.Q3 + TanhRational.Q2;
        q = x2 * q + TanhRational.Q1;
        q = x2 * q + TanhRational.Q0;
        return x * p / q;
    }

    /** The logistic function, as (1 + tanh(x / 2)) / 2. Absolute error below 2e-7. */
    public static float sigmoid(float x) {
        return 0.5f + 0.5f * tanh(0.5f * x);
    }

    /**
     * ELU with alpha 1: {@code x} for positive {@code x}, else {@code e^x - 1}, computed without a branch as
     * {@code max(x, 0) + 2 tanh(u/2) / (1 - tanh(u/2))} with {@code u = min(x, 0)} (an exact identity; the
     * denominator is in [1, 2), so nothing cancels). Absolute error below 1e-6. Its derivative is
     * {@code min(elu(x), 0) + 1}.
     */
    public static float elu(float x) {
        float t = tanh(0.5f * Math.min(x, 0f));
        return Math.max(x, 0f) + 2 * t / (1 - t);
    }
}
