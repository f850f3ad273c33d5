package org.rnnprop.core.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The network's activations over arrays, in vectors of the JDK's Vector API ({@code jdk.incubator.vector}) of
 * the preferred width, for the library's vector kernels: tanh by {@link TanhRational}, ELU by an exponential
 * with range reduction, both in plain vector arithmetic. Load it only where the JVM reads the module.
 *
 * <p>Neither method takes or returns a vector: the JIT may decline to inline a method into a large caller, and a
 * vector passed across such a call becomes an object on the heap.
 */
public final class VectorActivations {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    // exp(r) - 1 on |r| <= ln2 / 2 (Cephes expf): r + r^2 (E0 + E1 r + ... + E5 r^5).
    private static final float E0 = 5.0000001201e-1f;
    private static final float E1 = 1.6666665459e-1f;
    private static final float E2 = 4.1665795894e-2f;
    private static final float E3 = 8.3334519073e-3f;
    private static final float E4 = 1.3981999507e-3f;
    private static final float E5 = 1.9875691500e-4f;
    private static final float LOG2E = 1.44269504088896341f;
    /** ln 2 split in two, the first part exact in few bits, so that {@code x - n ln2} is exact. */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5 * 2^23: adding it rounds a float of magnitude below 2^22 to an integer, held in the low bits. */
    private static final float ROUND = 12582912f;
    private static final int ROUND_BITS = 0x4B400000;

    private VectorActivations() {
    }

    /**
     * {@code dst[d+k] = tanh(src[s+k]) * mul[m+k] + add[a+k]} for k below {@code count} (at least one vector),
     * with the rational function of {@link TanhRational}. When count is not a whole number of vectors the last
     * one overlaps the one before, so src and dst must then not overlap.
     */
    public static void tanhLanes(float[] src, int s, float[] dst, int d, float[] mul, int m, float[] add, int a,
            int count) {
        for (int k0 = 0; k0 < count; k0 += L) {
            int k = Math.min(k0, count - L);
            FloatVector x = FloatVector.fromArray(S, src, s + k)
                    .max(-TanhRational.CLAMP).min(TanhRational.CLAMP);
            FloatVector x2 = x.mul(x);
            FloatVector p = x2.fma(TanhRational.P6, TanhRational.P5);
            p = p.fma(x2, FloatVector.broadcast(S, TanhRational.P4));
            p = p.fma(x2, FloatVector.broadcast(S, TanhRational.P3));
            p = p.fma(x2, FloatVector.broadcast(S, TanhRational.P2));
            p = p.fma(x2, FloatVector.broadcast(S, TanhRational.P1));
            p = p.fma(x2, FloatVector.broadcast(S, TanhRational.P0));
            FloatVector q = x2.fma(TanhRational.Q3, TanhRational.Q2);
            q = q.fma(x2, FloatVector.broadcast(S, TanhRational.Q1));
            q = q.fma(x2, FloatVector.broadcast(S, TanhRational.Q0));
            x.mul(p).div(q).fma(FloatVector.fromArray(S, mul, m + k), FloatVector.fromArray(S, add, a + k))
                    .intoArray(dst, d + k);
        }
    }

    /**
     * ELU with alpha 1 in place over {@code count} floats (a whole number of vectors):
     * {@code max(x, 0) + expm1(min(x, 0))}, where {@code expm1(u) = 2^n (e^r - 1) + (2^n - 1)} with
     * {@code u = n ln2 + r}: the absolute error is about one float ulp of the result, 0 maps to 0 exactly, and
     * below -87 the result is -1.
     */
    public static void eluLanes(float[] a, int from, int count) {
        for (int k = from; k < from + count; k += L) {
            FloatVector z = FloatVector.fromArray(S, a, k);
            FloatVector x = z.min(0f).max(-87f);
            FloatVector t = x.fma(LOG2E, ROUND); // low bits: n = round(x / ln2)
            FloatVector n = t.sub(ROUND);
            FloatVector r = n.fma(FloatVector.broadcast(S, -LN2_HI), x);
            r = n.fma(FloatVector.broadcast(S, -LN2_LO), r);
            FloatVector p = r.fma(E5, E4);
            p = p.fma(r, FloatVector.broadcast(S, E3));
            p = p.fma(r, FloatVector.broadcast(S, E2));
            p = p.fma(r, FloatVector.broadcast(S, E1));
            p = p.fma(r, FloatVector.broadcast(S, E0));
            FloatVector q = p.mul(r.mul(r)).add(r); // e^r - 1
            FloatVector scale = t.reinterpretAsInts().sub(ROUND_BITS - 127).lanewise(VectorOperators.LSHL, 23)
                    .reinterpretAsFloats(); // 2^n
            z.max(0f).add(q.fma(scale, scale.sub(1f))).intoArray(a, k);
        }
    }
}
