package org.rnnprop.meta;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.rnnprop.tasks.Rng;

/**
 * Antithetic evolution strategies: an estimate of the gradient of a smoothed objective from its values alone,
 * {@code g = 1 / (2 sigma P) sum_k (f(phi + sigma eps_k) - f(phi - sigma eps_k)) eps_k} over {@code P} pairs of
 * standard normal directions {@code eps_k}. Both members of a pair see the same randomness (the objective gets
 * the pair's index), so the difference measures the weights, not the minibatches.
 *
 * <p>Used for the long-horizon recipe because the objective can be a whole trajectory: unlike truncated
 * backpropagation, the estimate carries no bias towards the short horizon of a truncation (it is unbiased for
 * the Gaussian-smoothed objective), and it needs only forward runs on the fast kernel.
 */
final class EvolutionStrategies {
    /**
     * A whole-trajectory objective of perturbed weights; {@code pair} picks the randomness both members share,
     * {@code plus} says which member this is.
     */
    @FunctionalInterface
    interface Objective {
        double value(Map<String, float[]> weights, int pair, boolean plus) throws Exception;
    }

    /**
     * The estimate.
     *
     * @param gradient the estimated gradient, keyed like the weights
     * @param plus the objective at {@code phi + sigma eps_k}, per pair
     * @param minus the objective at {@code phi - sigma eps_k}, per pair
     */
    record Estimate(Map<String, float[]> gradient, double[] plus, double[] minus) {
        /** The mean objective over every member: the objective near {@code phi}. */
        double meanObjective() {
            double s = 0;
            for (int k = 0; k < plus.length; k++) {
                s += plus[k] + minus[k];
            }
            return s / (2 * plus.length);
        }
    }

    private EvolutionStrategies() {
    }

    /**
     * Estimates the gradient of {@code objective} at {@code phi} along the tensors named in {@code perturbed} (empty:
     * all; the others keep their values and get a zero gradient); the {@code 2 pairs} evaluations run on up to
     * {@code threads} threads. The result depends only on the arguments, not on the threads: the directions come
     * from {@code noise} in pair order and every evaluation's randomness from its pair index.
     */
    static Estimate estimate(Map<String, float[]> phi, Collection<String> perturbed, double sigma,
            int pairs, Rng noise, Objective objective, int threads) {
        if (!(sigma > 0) || Double.isInfinite(sigma) || pairs < 1 || threads < 1) {
            throw new IllegalArgumentException("sigma must be positive and finite, pairs and threads at least 1; got "
                    + sigma + ", " + pairs + ", " + threads);
        }
        List<Map<String, float[]>> directions = new ArrayList<>();
        for (int k = 0; k < pairs; k++) {
            Map<String, float[]> eps = new LinkedHashMap<>();
            phi.forEach((name, v) -> eps.put(name, perturbed.isEmpty() || perturbed.contains(name)
                    ? noise.gaussian(v.length, 1) : new float[v.length]));
            directions.add(eps);
        }
        double[] plus = new double[pairs];
        double[] minus = new double[pairs];
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, 2 * pairs), r -> {
            Thread t = new Thread(r, "rnnprop-es");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Double>> futures = new ArrayList<>();
            for (int k = 0; k < pairs; k++) {
                int pair = k;
                Map<String, float[]> eps = directions.get(k);
                futures.add(pool.submit(() -> objective.value(shifted(phi, eps, sigma), pair, true)));
                futures.add(pool.submit(() -> objective.value(shifted(phi, eps, -sigma), pair, false)));
            }
            for (int k = 0; k < pairs; k++) {
                plus[k] = futures.get(2 * k).get();
                minus[k] = futures.get(2 * k + 1).get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while evaluating perturbed weights", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("evaluating perturbed weights failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        Map<String, float[]> gradient = new LinkedHashMap<>();
        phi.forEach((name, v) -> gradient.put(name, new float[v.length]));
        for (int k = 0; k < pairs; k++) {
            double scale = (plus[k] - minus[k]) / (2 * sigma * pairs);
            if (!Double.isFinite(scale)) {
                return new Estimate(null, plus, minus);
            }
            for (Map.Entry<String, float[]> e : directions.get(k).entrySet()) {
                float[] g = gradient.get(e.getKey());
                float[] eps = e.getValue();
                for (int i = 0; i < g.length; i++) {
                    g[i] += (float) (scale * eps[i]);
                }
            }
        }
        return new Estimate(gradient, plus, minus);
    }

    /** {@code phi + step eps}, as new arrays. */
    private static Map<String, float[]> shifted(Map<String, float[]> phi, Map<String, float[]> eps, double step) {
        Map<String, float[]> out = new LinkedHashMap<>();
        phi.forEach((name, v) -> {
            float[] d = eps.get(name);
            float[] w = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                w[i] = (float) (v[i] + step * d[i]);
            }
            out.put(name, w);
        });
        return out;
    }
}
