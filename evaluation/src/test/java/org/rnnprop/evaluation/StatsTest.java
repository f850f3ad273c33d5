package org.rnnprop.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Reference values from SciPy 1.17 ({@code scipy.special}, {@code scipy.stats}) and exact identities. */
class StatsTest {

    @Test
    void quantilesInterpolateBetweenOrderStatisticsAndSkipNonFiniteValues() {
        double[] xs = {10, Double.NaN, 1, 3, 2}; // numpy.quantile([1, 2, 3, 10], q)
        assertEquals(2.5, Stats.quantile(xs, 0.5), 1e-12);
        assertEquals(1.75, Stats.quantile(xs, 0.25), 1e-12);
        assertEquals(4.75, Stats.quantile(xs, 0.75), 1e-12);
        assertEquals(10, Stats.quantile(xs, 1), 0);
        assertTrue(Double.isNaN(Stats.quantile(new double[] {Double.NaN}, 0.5)));
        assertThrows(IllegalArgumentException.class, () -> Stats.quantile(xs, 1.5));
    }

    @Test
    void logGamma() {
        assertEquals(0.5723649429247001, Stats.logGamma(0.5), 1e-13); // ln sqrt(pi)
        assertEquals(12.801827480081469, Stats.logGamma(10), 1e-12); // ln 9!
        assertEquals(2.252712651734206, Stats.logGamma(0.1), 1e-12);
        assertEquals(469.3360974421906, Stats.logGamma(123.4), 1e-9);
    }

    @Test
    void incompleteBetaMatchesBinomialIdentityAndScipy() {
        // For integers, I_x(a, b) = P(Binomial(a + b - 1, x) >= a).
        assertEquals(0.6875, Stats.regularizedIncompleteBeta(0.5, 2, 3), 1e-12);
        assertEquals(0.3529305, Stats.regularizedIncompleteBeta(0.3, 3, 5), 1e-12);
        assertEquals(0.2951672353008665, Stats.regularizedIncompleteBeta(0.2, 0.5, 0.5), 1e-12);
        assertEquals(0.3173043978741973, Stats.regularizedIncompleteBeta(0.99, 50, 0.5), 1e-10);
        assertEquals(0.37, Stats.regularizedIncompleteBeta(0.37, 1, 1), 1e-14); // uniform
        assertEquals(0, Stats.regularizedIncompleteBeta(0, 2, 2));
        assertEquals(1, Stats.regularizedIncompleteBeta(1, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> Stats.regularizedIncompleteBeta(1.5, 2, 2));
    }

    @Test
    void studentTailsMatchScipy() {
        assertEquals(0.07338803477074037, Stats.studentTwoSided(2.0, 10), 1e-12);
        assertEquals(0.5, Stats.studentTwoSided(-1.0, 1), 1e-12); // Cauchy
        assertEquals(0.6175148859192405, Stats.studentTwoSided(0.5, 250), 1e-10);
        assertEquals(5.130629687897481e-21, Stats.studentTwoSided(12.0, 99), 1e-30);
        assertEquals(1.0, Stats.studentTwoSided(0.0, 7), 1e-15);
    }

    @Test
    void pairedTTestMatchesScipyTtestRel() {
        Stats.Paired p = Stats.paired(new double[] {1, 2, 3, 4, 5}, new double[] {1.5, 2.1, 3.9, 4.2, 5.8});
        assertEquals(5, p.pairs());
        assertEquals(-0.5, p.meanDifference(), 1e-12);
        assertEquals(-3.1622776601683804, p.t(), 1e-12);
        assertEquals(0.03410942316740959, p.p(), 1e-12);
        assertEquals(5, p.aWins());
        assertTrue(p.aSignificantlyLower(0.05));
        assertTrue(!p.aSignificantlyLower(0.01));
    }

    @Test
    void pairsWithADivergedRunAreLeftOut() {
        Stats.Paired p = Stats.paired(new double[] {1, Double.NaN, 3, 4}, new double[] {2, 2, 3.5, Double.NaN});
        assertEquals(2, p.pairs());
        assertEquals(-0.75, p.meanDifference(), 1e-12);
        assertEquals(1, Stats.nonFinite(new double[] {1, Double.NaN}));
        assertEquals(2.0, Stats.mean(new double[] {1, Double.POSITIVE_INFINITY, 3}), 0);
    }

    @Test
    void degenerateSamples() {
        Stats.Paired same = Stats.paired(new double[] {1, 2, 3}, new double[] {1, 2, 3});
        assertEquals(1.0, same.p());
        Stats.Paired shifted = Stats.paired(new double[] {1, 2, 3}, new double[] {2, 3, 4});
        assertEquals(0.0, shifted.p());
        assertTrue(shifted.aSignificantlyLower(0.05));
        assertTrue(Double.isNaN(Stats.paired(new double[] {1}, new double[] {2}).p()));
        assertTrue(Double.isNaN(Stats.standardError(new double[] {1})));
    }
}
