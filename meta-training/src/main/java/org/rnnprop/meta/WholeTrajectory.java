package org.rnnprop.meta;

import ai.djl.ndarray.NDManager;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.StepKernel;
import org.rnnprop.tasks.Rng;
import org.rnnprop.tasks.Task;
import org.rnnprop.tasks.optim.AlphaSchedule;

/**
 * A forward-only run of a learned optimizer over a whole trajectory on the fast kernel, summarised by the two
 * scores the long-horizon recipe uses: the mean log-loss over every step and the final loss (the mean over the
 * last tenth, which smooths the minibatch noise). A run whose loss stops being finite, or passes
 * {@code blowUpFactor} times its first loss, stops there: its remaining steps count at {@code penaltyFactor}
 * times the first loss, which is also its final loss, so a blow-up scores worse than staying put.
 *
 * @param meanLogLoss the mean over the run's steps of the log of the loss before each step
 * @param finalLoss the mean loss over the last tenth of the run
 * @param steps the steps actually run (fewer than the length when the run stopped early)
 */
record WholeTrajectory(double meanLogLoss, double finalLoss, int steps) {

    /**
     * Runs {@code length} steps of {@code task} from its initial parameters, everything drawn from {@code rng},
     * alpha scaled by {@code schedule} over the run's {@code length} steps.
     */
    static WholeTrajectory run(StepKernel kernel, OptimizerWeights weights, Task task, int length,
            AlphaSchedule schedule, double blowUpFactor, double penaltyFactor, Rng rng, NDManager manager) {
        if (length < 1) {
            throw new IllegalArgumentException("a trajectory needs at least one step, got " + length);
        }
        try (NDManager m = manager.newSubManager()) {
            KernelTrajectory run = new KernelTrajectory(task, weights, m, rng);
            run.scaleAlpha(schedule.over(length));
            int tail = Math.max(1, length / 10);
            double logSum = 0;
            double tailSum = 0;
            for (int t = 0; t < length; t++) {
                double loss = run.step(kernel, rng);
                if (!Double.isFinite(loss) || loss > blowUpFactor * run.firstLoss()) {
                    double penalty = penaltyFactor * run.firstLoss();
                    logSum += (length - t) * Math.log(penalty);
                    return new WholeTrajectory(logSum / length, penalty, t);
                }
                logSum += Math.log(Math.max(loss, Double.MIN_NORMAL));
                if (t >= length - tail) {
                    tailSum += loss;
                }
            }
            return new WholeTrajectory(logSum / length, tailSum / tail, length);
        }
    }
}
