package org.rnnprop.meta;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.StepKernel;
import org.rnnprop.core.StepKernels;
import org.rnnprop.tasks.Rng;
import org.rnnprop.tasks.optim.AlphaSchedule;

/**
 * The curriculum's validation: forward-only runs of the learned optimizer under the fast kernel on the family's
 * validation tasks, on seeds of their own. The score is the mean, over tasks, seeds and lengths, of the log of
 * the final loss (the mean over the last tenth of the run, which smooths the minibatch noise); lower is better.
 * The log makes tasks whose losses differ in scale weigh alike. A run whose loss stops being finite scores as if
 * its final loss were ten times its first.
 */
final class CurriculumValidation {
    /** Seeds of curriculum validation runs start here: apart from training, selection and evaluation seeds. */
    static final long SEED_BASE = 7_000_000L;

    private CurriculumValidation() {
    }

    static double score(OptimizerWeights weights, List<TaskFamily.Draw> tasks, int[] lengths, int runs,
            AlphaSchedule schedule, NDManager manager) {
        double sum = 0;
        for (double v : logFinalLosses(weights, tasks, lengths, runs, SEED_BASE, schedule, manager)) {
            sum += v;
        }
        return sum / ((long) lengths.length * tasks.size() * runs);
    }

    /**
     * The log final loss of every run, lengths outermost, then tasks, then seeds {@code seedBase},
     * {@code seedBase + 1}, ...: the same order for any weights, so two weights' lists pair run by run. Alpha
     * follows {@code schedule} over each run's length.
     */
    static double[] logFinalLosses(OptimizerWeights weights, List<TaskFamily.Draw> tasks, int[] lengths, int runs,
            long seedBase, AlphaSchedule schedule, NDManager manager) {
        double[] out = new double[lengths.length * tasks.size() * runs];
        int k = 0;
        try (StepKernel kernel = StepKernels.best(weights)) {
            for (int length : lengths) {
                for (int i = 0; i < tasks.size(); i++) {
                    for (int r = 0; r < runs; r++) {
                        out[k++] = Math.log(finalLoss(kernel, weights, tasks.get(i), length, schedule,
                                Rng.of(seedBase + r, i), manager));
                    }
                }
            }
        }
        return out;
    }

    /** The mean loss over the last tenth of a run of {@code length} steps; 10 times the first if it blew up. */
    static double finalLoss(StepKernel kernel, OptimizerWeights weights, TaskFamily.Draw task, int length,
            AlphaSchedule schedule, Rng rng, NDManager manager) {
        return WholeTrajectory.run(kernel, weights, task.task(), length, schedule, Double.POSITIVE_INFINITY, 10, rng,
                manager).finalLoss();
    }
}
