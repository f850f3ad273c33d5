package org.rnnprop.tasks.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rnnprop.tasks.Rng;
import org.rnnprop.tasks.Task;

/**
 * {@link Rollout} for several optimizers side by side: they start from the same initial parameters of run
 * {@code seed} and step in lockstep through one shared list of minibatches, drawn once instead of once per
 * optimizer (for tasks whose batch is the data itself, such as generated sequences, that is the data too).
 * For an optimizer whose loss stays finite the result equals {@link Rollout#run} bit for bit.
 *
 * <p>An optimizer whose training loss becomes NaN or infinite has diverged: it is stepped no further, its
 * remaining losses and its final loss are NaN. That saves the time large learning rates would waste on a
 * grid; {@code Rollout} would have produced NaN there too, or, on the rare run that recovers from an
 * infinite loss, a finite number that no tuning would pick.
 */
public final class PairedRollout {

    /** Called after each step of each optimizer and each final-loss evaluation, from the running thread. */
    @FunctionalInterface
    public interface Progress {
        /** {@code units} more optimizer-steps (training or final-loss evaluation) are done. */
        void advance(int units);
    }

    private PairedRollout() {
    }

    /** Work units of one call, for progress bars: each optimizer trains {@code steps} and evaluates as many. */
    public static long units(int optimizers, int steps) {
        return 2L * optimizers * steps;
    }

    /** A number measured on an optimizer's final parameters, such as a held-out accuracy. */
    @FunctionalInterface
    public interface FinalMetric {
        /** The metric at the final parameters {@code theta} (which it must leave open). */
        double at(NDArray theta);
    }

    /**
     * Runs every optimizer for {@code steps} steps of run {@code seed}.
     *
     * @param progress told of finished work, or null
     * @return one result per optimizer, in the given order
     */
    public static List<Rollout.Result> run(Task task, List<? extends FlatOptimizer> optimizers, long seed, int steps,
            NDManager parent, Progress progress) {
        return run(task, optimizers, seed, steps, parent, progress, null);
    }

    /**
     * Runs every optimizer for {@code steps} steps of run {@code seed}, then measures {@code metric} on the final
     * parameters of each that did not diverge ({@link Rollout.Result#metric()}).
     *
     * @param progress told of finished work, or null
     * @param metric measured at the end, or null for none (the results' metric is then NaN)
     * @return one result per optimizer, in the given order
     */
    public static List<Rollout.Result> run(Task task, List<? extends FlatOptimizer> optimizers, long seed, int steps,
            NDManager parent, Progress progress, FinalMetric metric) {
        Progress p = progress == null ? u -> { } : progress;
        int k = optimizers.size();
        List<Object> batches = Rollout.batches(task, seed, steps);
        float[][] losses = new float[k][steps];
        boolean[] diverged = new boolean[k];
        double[] sums = new double[k];
        double[] metrics = new double[k];
        Arrays.fill(metrics, Double.NaN);
        try (NDManager run = parent.newSubManager()) {
            NDArray init = task.initialParameters(run, Rng.of(seed, 0));
            NDArray[] theta = new NDArray[k];
            for (int i = 0; i < k; i++) {
                theta[i] = init.duplicate();
                optimizers.get(i).reset(task.dimension(), run);
            }
            for (int t = 1; t <= steps; t++) {
                Object batch = batches.get(t - 1);
                for (int i = 0; i < k; i++) {
                    if (diverged[i]) {
                        losses[i][t - 1] = Float.NaN;
                        continue;
                    }
                    FlatOptimizer opt = optimizers.get(i);
                    try (NDManager step = run.newSubManager()) {
                        theta[i].attach(step); // as in Rollout: the old parameters and state go with the step
                        opt.attachState(step);
                        Task.LossAndGradient lg = task.lossAndGradient(theta[i], batch);
                        float loss = lg.loss().getFloat();
                        losses[i][t - 1] = loss;
                        if (!Float.isFinite(loss)) {
                            diverged[i] = true;
                            theta[i] = null;
                            continue;
                        }
                        NDArray next = theta[i].sub(opt.update(lg.gradient(), t));
                        next.attach(run);
                        opt.attachState(run);
                        theta[i] = next;
                    }
                }
                p.advance(k);
            }
            for (Object b : batches) {
                for (int i = 0; i < k; i++) {
                    if (diverged[i]) {
                        continue;
                    }
                    try (NDManager step = run.newSubManager()) {
                        theta[i].tempAttach(step);
                        sums[i] += task.loss(theta[i], b).getFloat();
                    }
                }
                p.advance(k);
            }
            for (int i = 0; metric != null && i < k; i++) {
                if (!diverged[i]) {
                    metrics[i] = metric.at(theta[i]);
                }
            }
        }
        List<Rollout.Result> out = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            out.add(new Rollout.Result(losses[i], diverged[i] ? Double.NaN : sums[i] / steps, metrics[i]));
        }
        return out;
    }
}
