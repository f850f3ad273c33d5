package org.rnnprop.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** The 16-bit conversions, exhaustively over the 65,536 patterns of each format. */
class HalfFloatsTest {

    private static boolean isNaN(StatePrecision p, int h) {
        return Float.isNaN(p.decode(h));
    }

    @ParameterizedTest
    @EnumSource(value = StatePrecision.class, names = {"FLOAT16", "BFLOAT16"})
    void everyPatternSurvivesARoundTripNaNsIncluded(StatePrecision p) {
        for (int h = 0; h < 1 << 16; h++) {
            float f = p.decode(h);
            assertEquals(h, p.encode(f), () -> p + " pattern " + Integer.toHexString(p.encode(f)));
        }
    }

    /**
     * Between every two neighbouring finite patterns: the midpoint goes to the even one, anything just off the
     * midpoint to the nearer one. Midpoints are exact in float32 (12 significant bits at most).
     */
    @ParameterizedTest
    @EnumSource(value = StatePrecision.class, names = {"FLOAT16", "BFLOAT16"})
    void roundsToNearestWithTiesToEven(StatePrecision p) {
        int ties = 0;
        for (int sign = 0; sign <= 0x8000; sign += 0x8000) {
            for (int mag = 0; mag < 0x7FFF; mag++) {
                int a = sign | mag;
                int b = a + 1; // next larger magnitude, same sign
                if (isNaN(p, a) || isNaN(p, b)) {
                    continue;
                }
                float fa = p.decode(a);
                float fb = p.decode(b);
                double mid = ((double) fa + fb) / 2;
                float m = (float) mid;
                if (Float.isInfinite(fb)) { // the last finite value and infinity: the midpoint is the next binade
                    m = (float) (fa + (fa - (double) p.decode(a - 1)) / 2);
                } else {
                    assertEquals(mid, m, 0.0, "midpoint exact");
                }
                int even = (a & 1) == 0 ? a : b;
                assertEquals(even, p.encode(m), p + " tie between " + fa + " and " + fb);
                float towardA = sign == 0 ? Math.nextDown(m) : Math.nextUp(m);
                float towardB = sign == 0 ? Math.nextUp(m) : Math.nextDown(m);
                assertEquals(a, p.encode(towardA), p + " just toward " + fa);
                assertEquals(b, p.encode(towardB), p + " just toward " + fb);
                ties++;
            }
        }
        assertTrue(ties > 60_000);
    }

    @Test
    void float16LandmarksOverflowAndSubnormals() {
        StatePrecision p = StatePrecision.FLOAT16;
        assertEquals(0x3C00, p.encode(1f));
        assertEquals(0xC000, p.encode(-2f));
        assertEquals(0x7BFF, p.encode(65504f)); // the largest finite float16
        assertEquals(0x7BFF, p.encode(65519.996f));
        assertEquals(0x7C00, p.encode(65520f)); // halfway to 65536: ties to even, which is infinity
        assertEquals(0x7C00, p.encode(1e6f));
        assertEquals(0xFC00, p.encode(-1e6f));
        assertEquals(0x7C00, p.encode(Float.POSITIVE_INFINITY));
        assertEquals(0x0400, p.encode(0x1p-14f)); // smallest normal
        assertEquals(0x0001, p.encode(0x1p-24f)); // smallest subnormal
        assertEquals(0x0000, p.encode(0x1p-25f)); // halfway to it: ties to even, 0
        assertEquals(0x0001, p.encode(Math.nextUp(0x1p-25f)));
        assertEquals(0x8000, p.encode(-0f));
        assertEquals(0x8000, p.encode(-1e-30f));
        assertEquals(0x3555, p.encode(1f / 3)); // 0.33325195...
        assertEquals(65504f, p.decode(0x7BFF));
        assertEquals(0x1p-24f, p.decode(0x0001));
        assertEquals(Float.NEGATIVE_INFINITY, p.decode(0xFC00));
    }

    @Test
    void bfloat16LandmarksAndOverflow() {
        StatePrecision p = StatePrecision.BFLOAT16;
        assertEquals(0x3F80, p.encode(1f));
        assertEquals(0x3EAB, p.encode(1f / 3)); // 0.333984375
        assertEquals(0x7F7F, p.encode(Float.intBitsToFloat(0x7F7F7FFF)));
        assertEquals(0x7F80, p.encode(Float.MAX_VALUE)); // past the midpoint below 2^128
        assertEquals(0xFF80, p.encode(Float.NEGATIVE_INFINITY));
        assertEquals(0x0001, p.encode(Float.MIN_VALUE * 65536 * 3 / 4)); // subnormals round like the rest
        assertEquals(1f, p.decode(0x3F80));
    }

    @ParameterizedTest
    @EnumSource(value = StatePrecision.class, names = {"FLOAT16", "BFLOAT16"})
    void nanStaysNaNWhateverItsPayload(StatePrecision p) {
        for (int bits : new int[] {0x7FC00000, 0x7F800001, 0xFF800001, 0x7F801000, 0x7FFFFFFF, 0x7F802000}) {
            float nan = Float.intBitsToFloat(bits);
            assertTrue(Float.isNaN(p.decode(p.encode(nan))), Integer.toHexString(bits));
        }
    }

    @Test
    void float32HasNoSixteenBitForm() {
        assertThrows(IllegalStateException.class, () -> StatePrecision.FLOAT32.encode(1f));
        assertThrows(IllegalStateException.class, () -> StatePrecision.FLOAT32.decode(0));
        assertEquals(0.1f, StatePrecision.FLOAT32.round(0.1f));
        assertEquals(StatePrecision.BFLOAT16, StatePrecision.fromId("bfloat16"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StatePrecision.fromId("half"));
        assertTrue(e.getMessage().contains("'float16'"));
    }
}
