package org.rnnprop.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rnnprop.core.StatePrecision;

/** The 8-bit blockwise round trip: its error bounds, and what it does with zeros, tiny, huge and non-finite blocks. */
class BlockwiseInt8Test {
    private static final int H = 20;

    /** Random blocks of 20 with magnitudes from 2^-14 (float16's smallest normal) to 1e4, some values zero. */
    @Test
    void eachValueMovesByAtMostHalfACodeStepOfTheBlocksLargestMagnitude() {
        Random r = new Random(7);
        for (int trial = 0; trial < 20_000; trial++) {
            float spread = (float) Math.pow(10, -4.2 + 8.2 * r.nextDouble());
            float[] x = new float[H];
            for (int i = 0; i < H; i++) {
                x[i] = r.nextInt(10) == 0 ? 0 : (float) (spread * r.nextGaussian() * Math.pow(10, -3 * r.nextDouble()));
            }
            float absmax = absmax(x);
            if (absmax < 0x1p-14f) {
                continue;
            }
            float[] q = x.clone();
            BlockwiseInt8.roundTrip(q, 0, H);
            float s = BlockwiseInt8.scale(absmax);
            assertTrue(Math.abs(s - absmax) <= 0x1p-11 * absmax, "float16 scale " + s + " of " + absmax);
            for (int i = 0; i < H; i++) {
                double err = Math.abs((double) x[i] - q[i]);
                assertTrue(err <= absmax * (1 + 0x1p-11) / 254 * (1 + 1e-6), x[i] + " -> " + q[i] + ", absmax "
                        + absmax);
                if (x[i] == 0) {
                    assertEquals(0f, q[i], "zeros are exact");
                }
                double code = q[i] * 127.0 / s;
                assertTrue(Math.abs(code - Math.rint(code)) < 1e-4 && Math.abs(code) <= 127,
                        q[i] + " is code * scale / 127 for a code in -127..127 (scale " + s + ")");
            }
            float[] again = q.clone();
            BlockwiseInt8.roundTrip(again, 0, H);
            assertArrayEquals(q, again, "a second round trip changes nothing");
        }
    }

    @Test
    void theLargestMagnitudeReadsBackAsTheScaleAndCodesSpanMinus127To127() {
        // Scale 127: the codes are the values rounded to integers, ties to even.
        float[] x = {127f, -127f, 0.5f, 1.5f, 2.5f, -63.4f, 63.6f};
        BlockwiseInt8.roundTrip(x, 0, x.length);
        assertArrayEquals(new float[] {127f, -127f, 0f, 2f, 2f, -63f, 64f}, x);
        assertEquals(127, BlockwiseInt8.encode(1f, 1f));
        assertEquals(-127, BlockwiseInt8.encode(-1f, 1f));
    }

    @Test
    void onlyTheGivenRangeChanges() {
        float[] x = {0.3f, 0.123456f, 1f, 0.777777f};
        BlockwiseInt8.roundTrip(x, 1, 2);
        assertEquals(0.3f, x[0]);
        assertEquals(0.777777f, x[3]);
        assertEquals(16f / 127, x[1]); // 0.123456 * 127 = 15.68
    }

    @Test
    void zeroBlocksAreExactAndNegativeZeroBecomesZero() {
        float[] x = new float[H];
        x[3] = -0f;
        BlockwiseInt8.roundTrip(x, 0, H);
        assertArrayEquals(new float[H], x);
        assertEquals(0, Float.floatToRawIntBits(x[3]));
    }

    /** Below float16's normal range the scale is a multiple of 2^-24: error at most max(s / 254, 2^-25). */
    @Test
    void tinyBlocksKeepAnAbsoluteErrorOfAtMostHalfAFloat16Subnormal() {
        Random r = new Random(3);
        for (int trial = 0; trial < 5_000; trial++) {
            float[] x = new float[H];
            float spread = (float) Math.pow(2, -28 + 14 * r.nextDouble());
            for (int i = 0; i < H; i++) {
                x[i] = (float) (spread * r.nextGaussian());
            }
            float[] q = x.clone();
            BlockwiseInt8.roundTrip(q, 0, H);
            float s = BlockwiseInt8.scale(absmax(x));
            for (int i = 0; i < H; i++) {
                assertTrue(Math.abs((double) x[i] - q[i]) <= Math.max(s / 254.0, 0x1p-25) * (1 + 1e-6),
                        x[i] + " -> " + q[i] + ", scale " + s);
            }
        }
        float[] tiny = {0x1p-26f, -0x1p-25f, 0x1p-30f};
        BlockwiseInt8.roundTrip(tiny, 0, tiny.length);
        assertArrayEquals(new float[] {0, 0, 0}, tiny, "a scale of 2^-25 rounds to float16 zero");
    }

    @Test
    void theScaleSaturatesAtFloat16sLargestFiniteValue() {
        assertEquals(65504f, BlockwiseInt8.scale(1e6f));
        assertEquals(65504f, BlockwiseInt8.scale(Float.MAX_VALUE));
        assertEquals(StatePrecision.FLOAT16.round(3000.3f), BlockwiseInt8.scale(3000.3f));
        float[] x = {1e5f, -70000f, 0f};
        BlockwiseInt8.roundTrip(x, 0, x.length);
        assertArrayEquals(new float[] {65504f, -65504f, 0f}, x);
    }

    @Test
    void aBlockHoldingNanOrInfinityReadsBackAsNan() {
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            float[] x = {0.5f, bad, 0f, -0.25f};
            BlockwiseInt8.roundTrip(x, 0, x.length);
            for (float v : x) {
                assertTrue(Float.isNaN(v), bad + ": " + v);
            }
        }
        float[] nanLast = {0.5f, 2f, Float.NaN};
        BlockwiseInt8.roundTrip(nanLast, 0, nanLast.length);
        assertTrue(Float.isNaN(nanLast[0]), "NaN after the largest value");
    }

    private static float absmax(float[] x) {
        float m = 0;
        for (float v : x) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
