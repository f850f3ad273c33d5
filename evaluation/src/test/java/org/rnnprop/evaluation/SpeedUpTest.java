package org.rnnprop.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/** The speed-up column: steps the baseline needs to reach the optimizer's final loss, over the optimizer's. */
class SpeedUpTest {

    /** Mean loss at step t of a run of {@code steps}, as {@code window}-step window means. */
    static float[] curve(int steps, int window, IntToDoubleFunction loss) {
        float[] perStep = new float[steps];
        for (int t = 1; t <= steps; t++) {
            perStep[t - 1] = (float) loss.applyAsDouble(t);
        }
        return Curves.windowMeans(perStep, window);
    }

    @Test
    void theSameCurveIsOneAndTwiceAsFastIsTwo() {
        // exp(-x / 200) and exp(-x / 400) over x in [0, 1000], whatever the number of steps

        for (int[] sw : new int[][] {{100, 1}, {2_000, 4}, {10_000, 20}}) {
            int steps = sw[0];
            int window = sw[1];
            IntToDoubleFunction f = t -> Math.exp(-t * 1000.0 / steps / 200);
            IntToDoubleFunction s = t -> Math.exp(-t * 1000.0 / steps / 400);
            SpeedUp same = SpeedUp.of(curve(steps, window, f), curve(steps, window, f), window);
            assertTrue(same.reached());
            assertEquals(1.0, same.ratio(), 1e-9, steps + " steps");
            // The baseline (fast) reaches the slow optimizer's final loss halfway: the optimizer is 0.5x.
            SpeedUp behind = SpeedUp.of(curve(steps, window, s), curve(steps, window, f), window);
            assertTrue(behind.reached());
            assertEquals(0.5, behind.ratio(), 0.02, steps + " steps");
            assertEquals(String.format(java.util.Locale.ROOT, "%.2f", behind.ratio()), behind.format());
            // The slow baseline never gets to the fast optimizer's final loss; the fast one reaches the slow one's
            // lowest loss halfway, so it is reported as 2 to the baseline's lowest.
            SpeedUp ahead = SpeedUp.of(curve(steps, window, f), curve(steps, window, s), window);
            assertFalse(ahead.reached());
            assertTrue(Double.isNaN(ahead.ratio()));
            assertEquals(2.0, ahead.reverse(), 0.08, steps + " steps");
            assertTrue(ahead.format().startsWith("never reached (> 1; 2.0"), ahead.format());
        }
    }

    @Test
    void theBaselineIsReadOnItsRunningMinimumAndTheOptimizerAtItsEnd() {
        // The baseline dips to 0.2 at step 30 and climbs back to 1; the optimizer ends at 0.5 after 100 steps:
        // the baseline got there first at about step 20, although it ends above.
        float[] baseline = curve(100, 1, t -> t <= 30 ? 1 - 0.8 * t / 30.0 : 0.2 + 0.8 * (t - 30) / 70.0);
        float[] learned = curve(100, 1, t -> 1 - 0.5 * t / 100.0);
        SpeedUp s = SpeedUp.of(learned, baseline, 1);
        assertTrue(s.reached());
        assertEquals(0.185, s.ratio(), 0.01);
        // An optimizer that ends worse than where the baseline starts: reached at the baseline's first point.
        assertEquals(0.01, SpeedUp.of(curve(100, 1, t -> 5), baseline, 1).ratio(), 1e-12);
    }

    @Test
    void divergedPointsAreLeftOutAndNothingFiniteIsUnknown() {
        float[] learned = curve(100, 1, t -> 1 - 0.5 * t / 100.0);
        float[] gone = new float[100];
        Arrays.fill(gone, Float.NaN);
        assertEquals("–", SpeedUp.of(learned, gone, 1).format());
        assertEquals("–", SpeedUp.of(gone, learned, 1).format());
        assertEquals("–", SpeedUp.of(learned, new float[50], 1).format(), "curves of different lengths");
        // A baseline whose every run diverged after step 40 is read on its first 40 steps.
        float[] early = curve(100, 1, t -> 1 - 0.8 * t / 40.0);
        for (int i = 40; i < 100; i++) {
            early[i] = Float.NaN;
        }
        SpeedUp s = SpeedUp.of(learned, early, 1);
        assertTrue(s.reached());
        assertEquals(0.25, s.ratio(), 0.02);
    }

    @Test
    void smoothingIsAMovingAverageOfFivePercentThatKeepsLines() {
        float[] line = new float[200];
        for (int i = 0; i < line.length; i++) {
            line[i] = 3 - 0.01f * i;
        }
        double[] s = SpeedUp.smooth(line);
        for (int i = 5; i < 195; i++) {
            assertEquals(line[i], s[i], 1e-5, "a centred mean keeps a line");
        }
        assertEquals((line[194] + line[195] + line[196] + line[197] + line[198] + line[199]) / 6, s[199], 1e-5,
                "the last point averages the points before it");
        float[] noisy = {1, 3, 1, 3, 1, 3, 1, 3, 1, 3, 1, 3, 1, 3, 1, 3, 1, 3, 1, 3, 1, 3, 1, 3, 1, 3, 1, 3, 1, 3, 1, 3,
            1, 3, 1, 3, 1, 3, 1, 3};
        assertEquals((noisy[19] + noisy[20] + noisy[21]) / 3.0, SpeedUp.smooth(noisy)[20], 1e-9,
                "a 1-point half-width over 40 points averages 3 points");
        assertArrayEquals(new double[] {3, 2, 2, 1}, SpeedUp.runningMin(new double[] {3, 2, Double.NaN, 1}),
                "NaN keeps the minimum so far");
    }
}
