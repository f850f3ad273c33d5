package org.rnnprop.examples.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PairedDifferenceTest {
    @Test
    void meanStandardErrorAndWinsOfThePairedDifferences() {
        // differences -1, -2, -3: mean -2, sample sd 1, s.e. 1/sqrt(3); t(2 df) = 4.303
        PairedDifference d = PairedDifference.of(new double[] {1, 2, 3}, new double[] {2, 4, 6});
        assertEquals(3, d.n());
        assertEquals(-2, d.mean(), 1e-12);
        assertEquals(1 / Math.sqrt(3), d.standardError(), 1e-12);
        assertEquals(3, d.aLower());
        assertEquals(4.303 / Math.sqrt(3), d.halfWidth95(), 1e-9);
        assertEquals(0, d.sign(), "-2 +- 2.48 contains zero");
        // differences -1.9, -2, -2.1: s.e. 0.0577, interval -2 +- 0.25
        assertEquals(-1, PairedDifference.of(new double[] {0.1, 0, -0.1}, new double[] {2, 2, 2}).sign());
    }

    @Test
    void anIntervalThatContainsZeroIsNoDifference() {
        PairedDifference d = PairedDifference.of(new double[] {1, 3}, new double[] {2, 2});
        assertEquals(0, d.mean(), 1e-12);
        assertEquals(0, d.sign());
        assertEquals(1, d.aLower());
        assertTrue(d.toString().contains("lower in 1 of 2"), d.toString());
    }

    @Test
    void higherWithConfidence() {
        PairedDifference d = PairedDifference.of(new double[] {5, 5.1, 5.2, 5.1}, new double[] {1, 1, 1, 1});
        assertEquals(1, d.sign());
    }

    @Test
    void aNonFiniteScoreGivesNoVerdict() {
        PairedDifference d = PairedDifference.of(new double[] {Double.NaN, 1}, new double[] {1, 1});
        assertEquals(0, d.sign());
    }

    @Test
    void needsTwoPairedSeeds() {
        assertThrows(IllegalArgumentException.class, () -> PairedDifference.of(new double[] {1}, new double[] {1}));
        assertThrows(IllegalArgumentException.class,
                () -> PairedDifference.of(new double[] {1, 2}, new double[] {1, 2, 3}));
    }
}
