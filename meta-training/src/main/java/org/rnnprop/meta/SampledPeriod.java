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
        float[] state0 = rows(trajectory.state(), coords, weights.stateWidth());
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
            float[] gs = pick(trajectory.gradient(), coords);
            for (float x : gs) {
                finite &= Float.isFinite(x);
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
            }
        }
        timings.metaBackward += System.nanoTime() - b;
        return new Outcome(metaLoss, loss, allFinite(grads) ? grads : null, blewUp, k);
    }

    /**
     * An imitation period (see {@link LongHorizon#imitationFraction()}): {@code teacher} moves the whole
     * trajectory {@code unroll} steps while the kernel's state follows on the same gradients; the meta-gradient
     * of the imitation loss comes from the sampled coordinates (a mean over them, so it needs no scaling).
     */
    static Outcome imitate(OptimizerWeights weights, StepKernel kernel, KernelTrajectory trajectory,
            MetaAdam teacher, Rng rng, int unroll, int sample, AutogradReplay replay, MetaTrainer.Timings timings) {
        int[] coords = sample(trajectory.dimension(), sample, rng);
        float[] state0 = rows(trajectory.state(), coords, weights.stateWidth());
        long t0 = trajectory.steps();
        float[][] gradients = new float[unroll][];
        float[][] teacherUpdates = new float[unroll][];
        double loss = Double.NaN;
        for (int k = 0; k < unroll; k++) {
            long a = System.nanoTime();
            loss = trajectory.follow(kernel, teacher, rng);
            timings.optimizerForward += System.nanoTime() - a;
            if (!Double.isFinite(loss)) {
                return new Outcome(Double.NaN, loss, null, true, k + 1);
            }
            gradients[k] = pick(trajectory.gradient(), coords);
            teacherUpdates[k] = pick(trajectory.teacherUpdate(), coords);
        }
        long b = System.nanoTime();
        double[] metaLoss = new double[1];
        Map<String, float[]> grads = replay.imitationGradient(weights, state0, gradients, teacherUpdates, t0,
                metaLoss);
        timings.metaBackward += System.nanoTime() - b;
        return new Outcome(metaLoss[0], loss, allFinite(grads) ? grads : null, false, unroll);
    }

    private static float[] rows(float[] state, int[] coords, int width) {
        float[] out = new float[coords.length * width];
        for (int j = 0; j < coords.length; j++) {
            System.arraycopy(state, coords[j] * width, out, j * width, width);
        }
        return out;
    }

    private static float[] pick(float[] values, int[] coords) {
        float[] out = new float[coords.length];
        for (int j = 0; j < coords.length; j++) {
            out[j] = values[coords[j]];
        }
        return out;
    }

    private static boolean allFinite(Map<String, float[]> grads) {
        for (float[] g : grads.values()) {
            for (float x : g) {
                if (!Float.isFinite(x)) {
                    return false;
                }
            }
        }
        return true;
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
