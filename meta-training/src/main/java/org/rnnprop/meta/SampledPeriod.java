package org.rnnprop.meta;

import java.util.Arrays;
import java.util.Map;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.StepKernel;
import org.rnnprop.tasks.Rng;

/**
 * One truncated period of the long-horizon recipe: the whole trajectory advances {@code unroll} steps under the
 * fast kernel, while the gradients of a uniform sample of coordinates are recorded; the meta-gradient is then
 * the sample's (from a {@link PeriodBackward}) scaled by N / n, an unbiased estimate of the full one (see
 * {@link LongHorizon#metaCoordinates()}). With a sample of 0 or at least N, every coordinate is used and the
 * result is the exact first-order meta-gradient, the same as {@link MetaGradient}'s.
 */
final class SampledPeriod {
    private SampledPeriod() {
    }

    /**
     * The outcome of a period.
     *
     * @param metaLoss the period's meta-loss (over the steps run)
     * @param lastLoss the loss entering the last step run
     * @param gradients the estimated meta-gradient over the steps run, or null when it is not finite (or no step
     *     with a finite loss ran)
     * @param blewUp whether a loss exceeded the limit or was not finite: the period stopped there, and the
     *     trajectory should end
     * @param steps the steps run (fewer than the unroll when it blew up)
     */
    record Outcome(double metaLoss, double lastLoss, Map<String, float[]> gradients, boolean blewUp, int steps) {
    }

    /**
     * Runs a period of {@code trajectory}.
     *
     * @param blowUpFactor a loss above this multiple of the trajectory's first loss (or not finite) ends the
     *     period and marks it blown up
     * @param sample coordinates whose gradients drive the meta-gradient (0: all)
     */
    static Outcome run(OptimizerWeights weights, StepKernel kernel, KernelTrajectory trajectory, Rng rng,
            int unroll, Recipe.Objective objective, int sample, double blowUpFactor, PeriodBackward backward,
            MetaTrainer.Timings timings) {
        int dim = trajectory.dimension();
        int[] coords = sample(dim, sample, rng);
        int n = coords.length;
        int width = weights.stateWidth();
        float[] state0 = new float[n * width];
        float[] state = trajectory.state();
        for (int j = 0; j < n; j++) {
            System.arraycopy(state, coords[j] * width, state0, j * width, width);
        }
        long t0 = trajectory.steps();
        float[][] gradients = new float[unroll][];
        double[] lossWeights = new double[unroll];
        double metaLoss = 0;
        double loss = Double.NaN;
        boolean finite = true;
        boolean blewUp = false;
        int k = 0;
        for (; k < unroll; k++) {
            loss = trajectory.step(kernel, rng, timings);
            if (!Double.isFinite(loss)) {
                blewUp = true;
                break;
            }
            float[] g = trajectory.gradient();
            float[] gs = new float[n];
            for (int j = 0; j < n; j++) {
                gs[j] = g[coords[j]];
                finite &= Float.isFinite(gs[j]);
            }
            gradients[k] = gs;
            lossWeights[k] = MetaGradient.lossWeight(objective, k, unroll, loss);
            metaLoss += MetaGradient.lossTerm(objective, k, unroll, loss);
            if (loss > blowUpFactor * trajectory.firstLoss()) {
                // The steps that raised the loss are what the meta-gradient should learn from: keep them.
                blewUp = true;
                k++;
                break;
            }
        }
        if (!finite || k == 0) {
            return new Outcome(metaLoss, loss, null, blewUp, k);
        }
        long b = System.nanoTime();
        Map<String, float[]> grads = backward.gradient(weights, state0, Arrays.copyOf(gradients, k),
                Arrays.copyOf(lossWeights, k), t0);
        float scale = (float) dim / n;
        for (float[] g : grads.values()) {
            for (int i = 0; i < g.length; i++) {
                g[i] *= scale;
                finite &= Float.isFinite(g[i]);
            }
        }
        timings.metaBackward += System.nanoTime() - b;
        return new Outcome(metaLoss, loss, finite ? grads : null, blewUp, k);
    }

    /** {@code min(sample, dim)} distinct coordinates drawn uniformly (all of them, in order, for 0 or >= dim). */
    static int[] sample(int dim, int sample, Rng rng) {
        if (sample == 0 || sample >= dim) {
            int[] all = new int[dim];
            for (int i = 0; i < dim; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] pool = new int[dim];
        for (int i = 0; i < dim; i++) {
            pool[i] = i;
        }
        for (int i = 0; i < sample; i++) { // a partial Fisher-Yates shuffle
            int j = i + rng.nextInt(dim - i);
            int tmp = pool[i];
            pool[i] = pool[j];
            pool[j] = tmp;
        }
        return Arrays.copyOf(pool, sample);
    }
}
