package org.rnnprop.core;

/**
 * The float activations of the optimizer network in plain arithmetic: no call to {@code Math.exp}, which the
 * JIT does not vectorize, so loops that apply them over an array compile to SIMD code. Shared by the
 * library's hand-written kernels; the inference kernels' own copies give the same values.
 */
public final class FloatMath {
    /** Beyond this magnitude float tanh is +-1 to within 3e-7. */
    static final float TANH_CLAMP = 7.90531110763549805f;
    // tanh(x) = x P(x^2) / Q(x^2) on [-TANH_CLAMP, TANH_CLAMP]; shared with VectorStep.
    static final float TANH_P6 = -2.76076847742355e-16f;
    static final float TANH_P5 = 2.00018790482477e-13f;
    static final float TANH_P4 = -8.60467152213735e-11f;
    static final float TANH_P3 = 5.12229709037114e-08f;
    static final float TANH_P2 = 1.48572235717979e-05f;
    static final float TANH_P1 = 6.37261928875436e-04f;
    static final float TANH_P0 = 4.89352455891786e-03f;
    static final float TANH_Q3 = 1.19825839466702e-06f;
    static final float TANH_Q2 = 1.18534705686654e-04f;
    static final float TANH_Q1 = 2.26843463243900e-03f;
    static final float TANH_Q0 = 4.89352518554385e-03f;

    private FloatMath() {
    }

    /**
     * tanh as a rational function (odd degree 13 over even degree 6) on [-7.9, 7.9], the approximation
     * TensorFlow and Eigen use for float tanh. Absolute error below 4e-7.
     */
    public static float tanh(float a) {
        float x = Math.max(-TANH_CLAMP, Math.min(TANH_CLAMP, a));
        float x2 = x * x;
        float p = x2 * TANH_P6 + TANH_P5;
        p = x2 * p + TANH_P4;
        p = x2 * p + TANH_P3;
        p = x2 * p + TANH_P2;
        p = x2 * p + TANH_P1;
        p = x2 * p + TANH_P0;
        float q = x2 * TANH_Q3 + TANH_Q2;
        q = x2 * q + TANH_Q1;
        q = x2 * q + TANH_Q0;
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
