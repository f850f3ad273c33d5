package org.rnnprop.evaluation;

import org.rnnprop.core.StatePrecision;

/**
 * What a blockwise 8-bit store keeps of a block of floats, in the manner of bitsandbytes' blockwise 8-bit
 * optimizers: one scale per block, the block's largest magnitude, here stored as float16 (rounded to nearest
 * even, saturating at float16's largest finite value, 65504); each value a signed 8-bit code
 * {@code round(127 x / scale)} (to nearest, ties to even, clamped to [-127, 127]) that reads back as
 * {@code code * scale / 127}. Only the round trip is simulated; nothing is stored in 8 bits.
 *
 * <p>Error of one value, with {@code s} the stored scale: at most {@code s / 254} (half a code step) plus the
 * float32 rounding of the result. With the block's largest magnitude {@code a} in float16's normal range
 * ([2^-14, 65504]), {@code s} is within a relative 2^-11 of {@code a}, so the error is at most
 * {@code a (1 + 2^-11) / 254}; a value above {@code s} is clamped to it, which costs less. Below 2^-14 the scale is
 * a multiple of 2^-24 and the error at most {@code max(s / 254, 2^-25)}; a block whose magnitudes are all at most
 * 2^-25 reads back as zeros. Zeros are exact (-0 reads back as +0). A block holding NaN or an infinity reads back
 * as all NaN, since its scale does (what bitsandbytes does with a non-finite block).
 */
final class BlockwiseInt8 {
    /** Largest code magnitude: codes are symmetric, -127 to 127. */
    static final int LEVELS = 127;
    /** The largest finite float16: the scale saturates there. */
    static final float MAX_SCALE = 65504f;

    private BlockwiseInt8() {
    }

    /** The scale stored for a block whose largest magnitude is {@code absmax}: float16, nearest, saturating. */
    static float scale(float absmax) {
        return Float.isNaN(absmax) || absmax == Float.POSITIVE_INFINITY ? Float.NaN
                : Math.min(StatePrecision.FLOAT16.round(absmax), MAX_SCALE);
    }

    /** Replaces {@code values[from .. from + length)} by what the 8-bit store reads back for them. */
    static void roundTrip(float[] values, int from, int length) {
        float absmax = 0;
        for (int i = from; i < from + length; i++) {
            float a = Math.abs(values[i]);
            absmax = a > absmax || Float.isNaN(a) ? a : absmax;
        }
        float s = scale(absmax);
        for (int i = from; i < from + length; i++) {
            values[i] = decode(encode(values[i], s), s);
        }
    }

    /** The 8-bit code of {@code x} under scale {@code s}; 0 for a zero scale. */
    static int encode(float x, float s) {
        if (s == 0 || Float.isNaN(s)) {
            return 0;
        }
        double code = Math.rint((double) x * LEVELS / s);
        return (int) Math.max(-LEVELS, Math.min(LEVELS, code));
    }

    /** The value code {@code code} stands for under scale {@code s} (NaN for a NaN scale). */
    static float decode(int code, float s) {
        return (float) ((double) code * s / LEVELS);
    }
}
