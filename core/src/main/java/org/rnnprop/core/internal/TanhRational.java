package org.rnnprop.core.internal;

/**
 * The coefficients of the float tanh the library's kernels share, scalar ({@code FloatMath.tanh}) and vector
 * ({@link VectorActivations}): {@code tanh(x) = x P(x^2) / Q(x^2)} on {@code [-CLAMP, CLAMP]}, odd degree 13
 * over even degree 6, the approximation TensorFlow and Eigen use for float tanh (absolute error below 4e-7).
 */
public final class TanhRational {
    /** Beyond this magnitude float tanh is +-1 to within 3e-7. */
    public static final float CLAMP = 7.90531110763549805f;
    public static final float P6 = -2.76076847742355e-16f;
    public static final float P5 = 2.00018790482477e-13f;
    public static final float P4 = -8.60467152213735e-11f;
    public static final float P3 = 5.12229709037114e-08f;
    public static final float P2 = 1.48572235717979e-05f;
    public static final float P1 = 6.37261928875436e-04f;
    public static final float P0 = 4.89352455891786e-03f;
    public static final float Q3 = 1.19825839466702e-06f;
    public static final float Q2 = 1.18534705686654e-04f;
    public static final float Q1 = 2.26843463243900e-03f;
    public static final float Q0 = 4.89352518554385e-03f;

    private TanhRational() {
    }
}
