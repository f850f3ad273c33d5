package org.rnnprop.core;

/**
 * Conversions between float32 and the two 16-bit formats of {@link StatePrecision}, on raw bit patterns.
 * Java 17 has no {@code Float.floatToFloat16}; these follow IEEE 754: round to nearest, ties to even; NaN stays
 * NaN (its payload kept as far as the narrower format holds it, so every 16-bit pattern survives a round trip);
 * float16 overflows to infinity past 65504 and has subnormals down to 2^-24.
 */
final class HalfFloats {
    private HalfFloats() {
    }

    /** bfloat16 bits (in the low 16 bits) of {@code f}: its upper 16 bits, rounded to nearest even. */
    static int toBfloat16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if ((bits & 0x7FFFFFFF) > 0x7F800000) {
            int h = bits >>> 16;
            // A NaN whose payload lies in the dropped bits would become infinity: set the quiet bit then.
            return (h & 0x7F) == 0 ? h | 0x40 : h;
        }
        // Adds just under half an ulp, plus one when the kept part is odd: ties go to even. Carries into the
        // exponent are right, up to rounding the largest floats to infinity.
        return (bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16;
    }

    /** The float a bfloat16 pattern (low 16 bits of {@code h}) stands for; exact. */
    static float fromBfloat16(int h) {
        return Float.intBitsToFloat(h << 16);
    }

    /** float16 bits (in the low 16 bits) of {@code f}, rounded to nearest even; subnormals and overflow included. */
    static int toFloat16(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int abs = bits & 0x7FFFFFFF;
        if (abs > 0x7F800000) { // NaN: the payload's top 10 bits; a payload below them becomes a quiet NaN
            int mantissa = (abs >>> 13) & 0x3FF;
            return sign | 0x7C00 | (mantissa == 0 ? 0x200 : mantissa);
        }
        if (abs >= 0x477FF000) { // 65520 and up, infinity included: past halfway above 65504 (ties go up, to even)
            return sign | 0x7C00;
        }
        if (abs >= 0x38800000) { // normal in float16 (2^-14 and up): rebias the exponent, round the mantissa
            int r = abs - 0x38000000;
            return sign | ((r + 0xFFF + ((r >>> 13) & 1)) >>> 13);
        }
        // Subnormal or zero: adding 0.5, whose ulp is 2^-24 (float16's smallest step), lets the hardware round
        // to nearest even; the low bits of the sum are then the float16 pattern (0x400 if it rounded up to the
        // smallest normal, which is right too).
        float sum = Float.intBitsToFloat(abs) + 0.5f;
        return sign | (Float.floatToRawIntBits(sum) - 0x3F000000);
    }

    /** The float a float16 pattern (low 16 bits of {@code h}) stands for; exact. */
    static float fromFloat16(int h) {
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        if (exponent == 0x1F) { // infinity or NaN, payload kept
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        if (exponent != 0) {
            return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
        }
        float v = mantissa * 0x1p-24f; // subnormal or zero: exact, mantissa < 2^10
        return sign != 0 ? -v : v;
    }
}
