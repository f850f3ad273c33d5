package org.rnnprop.tasks.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.rnnprop.tasks.Rng;
import org.rnnprop.tasks.Task;

/**
 * Trains a task with a {@link FlatOptimizer} for a number of steps and reports the specification's metrics.
 * Optimizers compared on the same {@code (task, seed)} see the same initial parameters and minibatches.
 */
public final class Rollout {

    /**
     * What a run gave.
     *
     * @param losses the training loss at each step, before its update
     * @param finalLoss the final parameters' mean loss over every minibatch of the run (the spec's metric)
     * @param metric a number measured on the final parameters ({@link PairedRollout.FinalMetric}), or NaN
     */
    public record Result(float[] losses, double finalLoss, double metric) {
        /** A result without a final metric. */
        public Result(float[] losses, double finalLoss) {
            this(losses, finalLoss, Double.NaN);
        }
    }

    private Rollout() {
    }

    /** The minibatches of run {@code seed}, identical for every optimizer ({@link Task#sampleBatches}). */
    public static List<Object> batches(Task task, long seed, int steps) {
        return task.sampleBatches(Rng.of(seed, 1), steps);
    }

    /** Runs {@code optimizer} on {@code task} for {@code steps} steps of run {@code seed}. */
    public static Result run(Task task, FlatOptimizer optimizer, long seed, int steps, NDManager parent) {
        List<Object> batches = batches(task, seed, steps);
        float[] losses = new float[steps];
        try (NDManager run = parent.newSubManager()) {
            NDArray theta = task.initialParameters(run, Rng.of(seed, 0));
            optimizer.reset(task.dimension(), run);
            for (int t = 1; t <= steps; t++) {
                try (NDManager step = run.newSubManager()) {
                    theta.attach(step); // the old parameters and state go when the step's manager closes
                    optimizer.attachState(step);
                    Task.LossAndGradient lg = task.lossAndGradient(theta, batches.get(t - 1));
                    losses[t - 1] = lg.loss().getFloat();
                    NDArray next = theta.sub(optimizer.update(lg.gradient(), t));
                    next.attach(run);
                    optimizer.attachState(run);
                    theta = next;
                }
            }
            double sum = 0;
            for (Object b : batches) {
                try (NDManager step = run.newSubManager()) {
                    theta.tempAttach(step);
                    sum += task.loss(theta, b).getFloat();
                }
            }
            return new Result(losses, sum / steps);
        }
    }
}
