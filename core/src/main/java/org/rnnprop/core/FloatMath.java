package org.rnnprop.core;

/**
 * The float activations of the optimizer network in plain arithmetic: no call to {@code Math.exp}, which the
 * JIT does not vectorize, so loops that apply them over an array compile to SIMD code. Shared by the
 * library's hand-written kernels; the inference kernels' own copies give the same values.
 */
public final class FloatMath {
    /** Beyond this magnitude float tanh is +-1 to within 3e-7. */
    private static final float TANH_CLAMP = 7.90531110763549805f;

    private FloatMath() {
    }

    /**
     * tanh as a rational function (odd degree 13 over even degree 6) on [-7.9, 7.9], the approximation
     * TensorFlow and Eigen use for float tanh. Absolute error below 4e-7.
     */
    public static float tanh(float a) {
        float x = Math.max(-TANH_CLAMP, Math.min(TANH_CLAMP, a));
        float x2 = x * x;
        float p = x2 * -2.76076847742355e-16f + 2.00018790482477e-13f;
        p = x2 * p + -8.60467152213735e-11f;
        p = x2 * p + 5.12229709037114e-08f;
        p = x2 * p + 1.48572235717979e-05f;
        p = x2 * p + 6.37261928875436e-04f;
        p = x2 * p + 4.89352455891786e-03f;
        float q = x2 * 1.19825839466702e-06f + 1.18534705686654e-04f;
        q = x2 * q + 2.26843463243900e-03f;
        q = x2 * q + 4.89352518554385e-03f;
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
