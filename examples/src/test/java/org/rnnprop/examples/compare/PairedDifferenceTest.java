package org.rnnprop.examples.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PairedDifferenceTest {
    @Test
    void meanStandardErrorAndWinsOfThePairedDifferences() {
        // differences -1, -2, -3: mean -2, sample sd 1, s.e. 1/sqrt(3), t = -3.46 on 2 df: p = 0.074
        PairedDifference d = PairedDifference.of(new double[] {1, 2, 3}, new double[] {2, 4, 6});
        assertEquals(-2, d.mean(), 1e-12);
        assertEquals(1 / Math.sqrt(3), d.standardError(), 1e-12);
        assertEquals(3, d.test().aWins());
        assertEquals(0.0742, d.test().p(), 1e-4);
        assertEquals(0, d.sign(), "p above 0.05");
        // differences -1.9, -2, -2.1: t = -34.6
        assertEquals(-1, PairedDifference.of(new double[] {0.1, 0, -0.1}, new double[] {2, 2, 2}).sign());
        assertEquals(1, PairedDifference.of(new double[] {5, 5.1, 5.2, 5.1}, new double[] {1, 1, 1, 1}).sign());
    }

    @Test
    void anIntervalThatContainsZeroIsNoDifference() {
        PairedDifference d = PairedDifference.of(new double[] {1, 3}, new double[] {2, 2});
        assertEquals(0, d.mean(), 1e-12);
        assertEquals(0, d.sign());
        assertTrue(d.toString().contains("lower in 1 of 2"), d.toString());
    }

    @Test
    void aDivergedRunIsLeftOutAndSaidSo() {
        PairedDifference d = PairedDifference.of(new double[] {Double.NaN, 1, 2}, new double[] {1, 2, 2.9});
        assertEquals(1, d.notFinite());
        assertEquals(2, d.test().pairs());
        assertTrue(d.toString().contains("1 seed left out"), d.toString());
    }

    @Test
    void needsTwoPairedSeeds() {
        assertThrows(IllegalArgumentException.class, () -> PairedDifference.of(new double[] {1}, new double[] {1}));
        assertThrows(IllegalArgumentException.class,
                () -> PairedDifference.of(new double[] {1, 2}, new double[] {1, 2, 3}));
    }
}
