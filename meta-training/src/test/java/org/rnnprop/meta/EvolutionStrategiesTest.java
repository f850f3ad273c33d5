package org.rnnprop.meta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.rnnprop.tasks.Rng;

/** The antithetic evolution-strategies estimator against objectives whose gradients are known. */
class EvolutionStrategiesTest {

    private static Map<String, float[]> phi() {
        Map<String, float[]> phi = new LinkedHashMap<>();
        phi.put("a", new float[] {0.5f, -1f, 2f});
        phi.put("b", new float[] {0.25f});
        return phi;
    }

    /** f = sum_i c_i x_i + x_i^2 / 2 over both tensors: gradient c + x. */
    private static final double[] C = {1, -2, 0.5, 3};

    private static double quadratic(Map<String, float[]> w) {
        double f = 0;
        int i = 0;
        for (float[] v : w.values()) {
            for (float x : v) {
                f += C[i++] * x + 0.5 * x * x;
            }
        }
        return f;
    }

    @Test
    void estimateConvergesToTheGradientOfAQuadratic() {
        // Antithetic pairs cancel a quadratic's curvature exactly, so the estimate is (1/P) sum (eps . grad) eps,
        // whose mean is the gradient and whose error shrinks like 1/sqrt(P).
        EvolutionStrategies.Estimate e = EvolutionStrategies.estimate(phi(), List.of(), 0.1, 20_000, new Rng(3),
                (w, pair, plus) -> quadratic(w), 2);
        double[] expected = {1 + 0.5, -2 - 1, 0.5 + 2, 3 + 0.25};
        float[] got = {e.gradient().get("a")[0], e.gradient().get("a")[1], e.gradient().get("a")[2],
                e.gradient().get("b")[0]};
        double err = 0;
        double norm = 0;
        for (int i = 0; i < 4; i++) {
            err += Math.pow(got[i] - expected[i], 2);
            norm += expected[i] * expected[i];
        }
        assertTrue(Math.sqrt(err / norm) < 0.05, "relative error " + Math.sqrt(err / norm));
        // the members average E f(phi + 0.1 eps) = f(phi) + 0.1^2 * 4 / 2 (the Hessian is the identity)
        assertEquals(quadratic(phi()) + 0.02, e.meanObjective(), 0.005);
    }

    @Test
    void tensorsLeftOutKeepTheirValuesAndGetNoGradient() {
        Map<String, float[]> seen = new ConcurrentHashMap<>();
        EvolutionStrategies.Estimate e = EvolutionStrategies.estimate(phi(), List.of("a"), 0.1, 50, new Rng(4),
                (w, pair, plus) -> {
                    seen.put(pair + "" + plus, w.get("b"));
                    return quadratic(w);
                }, 2);
        assertArrayEquals(new float[] {0}, e.gradient().get("b"));
        assertEquals(100, seen.size());
        seen.values().forEach(b -> assertArrayEquals(new float[] {0.25f}, b));
        assertTrue(Math.abs(e.gradient().get("a")[0]) > 0);
    }

    @Test
    void resultIsTheSameOnAnyNumberOfThreadsAndMembersOfAPairShareTheirPair() {
        Set<String> calls = ConcurrentHashMap.newKeySet();
        EvolutionStrategies.Objective f = (w, pair, plus) -> {
            assertTrue(calls.add(pair + "/" + plus), "member evaluated twice");
            // randomness keyed by the pair only, as a trajectory's minibatches are
            return quadratic(w) + new Rng(pair).nextGaussian();
        };
        EvolutionStrategies.Estimate one = EvolutionStrategies.estimate(phi(), List.of(), 0.05, 7, new Rng(9), f, 1);
        assertEquals(14, calls.size());
        calls.clear();
        EvolutionStrategies.Estimate three = EvolutionStrategies.estimate(phi(), List.of(), 0.05, 7, new Rng(9), f, 3);
        for (String k : List.of("a", "b")) {
            assertArrayEquals(one.gradient().get(k), three.gradient().get(k));
        }
        assertArrayEquals(one.plus(), three.plus());
    }

    @Test
    void aNonFiniteObjectiveGivesNoGradient() {
        EvolutionStrategies.Estimate e = EvolutionStrategies.estimate(phi(), List.of(), 0.1, 3, new Rng(1),
                (w, pair, plus) -> pair == 1 && plus ? Double.NaN : quadratic(w), 2);
        assertNull(e.gradient());
    }

    @Test
    void failuresAndBadSettingsAreReported() {
        IllegalStateException failed = assertThrows(IllegalStateException.class,
                () -> EvolutionStrategies.estimate(phi(), List.of(), 0.1, 2, new Rng(1), (w, pair, plus) -> {
                    throw new java.io.IOException("disk gone");
                }, 2));
        assertTrue(failed.getMessage().contains("disk gone"), failed.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> EvolutionStrategies.estimate(phi(), List.of(), 0, 2, new Rng(1), (w, p, s) -> 0, 1));
        assertThrows(IllegalArgumentException.class,
                () -> EvolutionStrategies.estimate(phi(), List.of(), 0.1, 0, new Rng(1), (w, p, s) -> 0, 1));
    }
}
