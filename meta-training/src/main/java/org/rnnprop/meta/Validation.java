package org.rnnprop.meta;

import ai.djl.ndarray.NDManager;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.tasks.Task;
import org.rnnprop.tasks.optim.LearnedOptimizer;
import org.rnnprop.tasks.optim.Rollout;
import org.rnnprop.tasks.optim.TensorFlowAdam;

/**
 * The validation test: the base MLP for 100 steps, the learned optimizer paired against Adam at 2^-5 (the
 * paper's best tuned baseline there) on the same initialisation and minibatches, scored by the
 * specification's final-loss metric.
 */
public final class Validation {
    /** Adam's learning rate in the comparison: 2^-5. */
    public static final double ADAM_LEARNING_RATE = Math.pow(2, -5);
    /** Seeds of validation runs are drawn from here, apart from any training seed. */
    public static final long SEED_BASE = 9_000_000L;
    /**
     * Seeds of the runs that choose among snapshots ({@code --select validation}): apart from {@link #SEED_BASE},
     * so the validation reported for the chosen file is not the score it was chosen by.
     */
    public static final long SELECTION_SEED_BASE = 8_000_000L;

    /**
     * Mean final losses over the runs, and the paired difference with its standard error.
     *
     * @param runs number of paired runs
     * @param learned mean final loss of the learned optimizer
     * @param adam mean final loss of Adam 2^-5
     * @param meanDifference mean of (learned - adam) per run; negative means the learned optimizer is better
     * @param standardError standard error of that mean
     * @param learnedWins runs in which the learned optimizer reached the lower final loss
     */
    public record Result(int runs, double learned, double adam, double meanDifference, double standardError,
            int learnedWins) {
    }

    private Validation() {
    }

    /** Runs {@code runs} paired runs of {@code steps} steps on the seeds from {@link #SEED_BASE}. */
    public static Result run(OptimizerWeights weights, Task baseMlp, int runs, int steps, NDManager manager) {
        return run(weights, baseMlp, runs, steps, manager, SEED_BASE);
    }

    /** Runs {@code runs} paired runs of {@code steps} steps on the seeds {@code seedBase, seedBase + 1, ...}. */
    public static Result run(OptimizerWeights weights, Task baseMlp, int runs, int steps, NDManager manager,
            long seedBase) {
        double[] diff = new double[runs];
        double sumL = 0;
        double sumA = 0;
        int wins = 0;
        for (int r = 0; r < runs; r++) {
            long seed = seedBase + r;
            double l = Rollout.run(baseMlp, new LearnedOptimizer(weights, "learned"), seed, steps, manager).finalLoss();
            double a = Rollout.run(baseMlp, new TensorFlowAdam(ADAM_LEARNING_RATE), seed, steps, manager).finalLoss();
            sumL += l;
            sumA += a;
            diff[r] = l - a;
            wins += l < a ? 1 : 0;
        }
        double mean = (sumL - sumA) / runs;
        double var = 0;
        for (double d : diff) {
            var += (d - mean) * (d - mean);
        }
        double se = runs > 1 ? Math.sqrt(var / (runs - 1) / runs) : Double.NaN;
        return new Result(runs, sumL / runs, sumA / runs, mean, se, wins);
    }
}
