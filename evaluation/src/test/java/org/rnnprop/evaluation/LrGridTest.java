package org.rnnprop.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

class LrGridTest {

    /** Runs the search on a loss curve over the grid, as the suite does, and returns the grid it ends with. */
    static SortedMap<Integer, Double> search(int centre, int halfWidth, IntToDoubleFunction loss) {
        SortedMap<Integer, Double> scores = new TreeMap<>();
        LrGrid.window(centre, halfWidth).forEach(k -> scores.put(k, loss.applyAsDouble(k)));
        for (OptionalInt next = LrGrid.extension(scores); next.isPresent(); next = LrGrid.extension(scores)) {
            scores.put(next.getAsInt(), loss.applyAsDouble(next.getAsInt()));
        }
        return scores;
    }

    @Test
    void widensUntilTheBestIsInside() {
        // minimum at k = -15, far below the starting window
        SortedMap<Integer, Double> s = search(-4, 2, k -> (k + 15) * (k + 15) + 1.0);
        assertEquals(-15, LrGrid.best(s).getAsInt());
        assertEquals(-16, s.firstKey());
        assertEquals(-2, s.lastKey());
        // and upwards, with divergence (NaN) above k = 6
        s = search(-4, 1, k -> k > 6 ? Double.NaN : 10.0 - k);
        assertEquals(6, LrGrid.best(s).getAsInt());
        assertEquals(7, s.lastKey());
    }

    @Test
    void everythingDivergingSearchesDownwards() {
        SortedMap<Integer, Double> s = search(0, 1, k -> k > -6 ? Double.POSITIVE_INFINITY : -k);
        assertEquals(-6, LrGrid.best(s).getAsInt());
        assertEquals(-7, s.firstKey(), "the search stepped past the best once to see it rise");
    }

    @Test
    void stopsAtTheLimits() {
        SortedMap<Integer, Double> s = search(0, 1, k -> -k); // always better at a larger rate
        assertEquals(LrGrid.MAX, s.lastKey());
        assertTrue(LrGrid.bestAtLimit(s));
        SortedMap<Integer, Double> flat = search(-30, 1, k -> k); // always better at a smaller rate
        assertEquals(LrGrid.MIN, flat.firstKey());
        assertFalse(LrGrid.extension(flat).isPresent());
    }

    @Test
    void ratesAndLabels() {
        assertEquals(Math.pow(2, -5.5), Baseline.learningRate(-11), 1e-15);
        assertEquals("2^-5.5", Baseline.formatRate(-11));
        assertEquals("2^-5", Baseline.formatRate(-10));
        assertEquals("2^0.5", Baseline.formatRate(1));
    }
}
