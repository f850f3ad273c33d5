package org.rnnprop.evaluation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Locale;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.datasets.LabeledImages;
import org.rnnprop.tasks.ImageClassifier;
import org.rnnprop.tasks.Rng;
import org.rnnprop.tasks.Task;
import org.rnnprop.tasks.optim.FlatOptimizer;
import org.rnnprop.tasks.optim.LearnedOptimizer;
import org.rnnprop.tasks.optim.PairedRollout;
import org.rnnprop.tasks.optim.TensorFlowAdam;

/**
 * What a test will cost before it runs: a few timed steps of a baseline (Adam) and of RNNprop on the test's
 * optimizee, extrapolated to the suite's rollouts. Times are the measuring thread's CPU time (PyTorch runs one
 * thread per worker here), so a loaded machine inflates them less than wall time; the suite's thread time is
 * about the same measure.
 *
 * @param test the test
 * @param steps steps per run
 * @param baselineStep CPU seconds of one baseline step (training step and its share of the final loss)
 * @param learnedStep the same for RNNprop
 * @param accuracy CPU seconds of one test-set accuracy, 0 if the test measures none
 * @param comparisonRun CPU seconds of one comparison run: every contender on one seed
 * @param tuning CPU seconds of the tuning runs, assuming each baseline's grid widens by two points
 * @param total CPU seconds of the whole test: tuning and every comparison run
 */
public record CostEstimate(Experiment test, int steps, double baselineStep, double learnedStep, double accuracy,
        double comparisonRun, double tuning, double total) {

    /** Steps timed per optimizer, after one untimed warm-up step. */
    static final int TIMED_STEPS = 4;
    /** Grid points a baseline's grid is assumed to widen by beyond its starting window. */
    static final int ASSUMED_WIDENING = 2;

    /**
     * Times the test's optimizee and extrapolates.
     *
     * @param learnedContenders learned optimizers in each comparison run (RNNprop, its cosine row, others)
     * @param rnnprop the weights to time
     * @param test the test set examples when the test measures accuracy, else null
     */
    static CostEstimate measure(Experiment e, Suite.Settings settings, Task task, LabeledImages test,
            int learnedContenders, OptimizerWeights rnnprop) {
        int steps = settings.stepsOf(e);
        double baseline = perStep(task, new TensorFlowAdam(1e-3));
        double learned = perStep(task, new LearnedOptimizer(rnnprop, "rnnprop"));
        double accuracy = 0;
        if (test != null && task instanceof ImageClassifier c) {
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray theta = task.initialParameters(m, new Rng(1));
                long t0 = cpu();
                c.accuracy(theta, test);
                accuracy = (cpu() - t0) / 1e9;
            }
        }
        int baselines = settings.tunedBaselines().size();
        int comparisonContenders = baselines + 1 + learnedContenders;
        double run = steps * (baselines + 1) * baseline + steps * learnedContenders * learned
                + comparisonContenders * accuracy;
        int gridPoints = baselines * (2 * settings.startHalfWidth(e) + 1 + ASSUMED_WIDENING);
        double tuning = (double) settings.tuneRunsOf(e) * gridPoints * steps * baseline;
        return new CostEstimate(e, steps, baseline, learned, accuracy, run, tuning,
                tuning + settings.runsOf(e) * run);
    }

    /** CPU seconds per step of {@code opt} on the task, its share of the final-loss pass included. */
    private static double perStep(Task task, FlatOptimizer opt) {
        try (NDManager m = NDManager.newBaseManager()) {
            PairedRollout.run(task, List.of(opt), Suite.TUNING_SEED_BASE, 1, m, null); // warm-up
            long t0 = cpu();
            PairedRollout.run(task, List.of(opt), Suite.TUNING_SEED_BASE, TIMED_STEPS, m, null);
            return (cpu() - t0) / 1e9 / TIMED_STEPS;
        }
    }

    private static long cpu() {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        return bean.getCurrentThreadCpuTime();
    }

    /** Header of {@link #row}: per-step and accuracy costs in CPU seconds, the rest in CPU hours. */
    static final String HEADER = String.format(Locale.ROOT, "%-26s %6s %5s %5s %12s %12s %9s %9s %9s %9s",
            "test", "steps", "runs", "tune", "Adam s/step", "RNNprop s/st", "accuracy", "1 run h", "tuning h",
            "total h");

    /** One line of the table. */
    String row(Suite.Settings settings) {
        return String.format(Locale.ROOT, "%-26s %6d %5d %5d %12.4f %12.4f %9.2f %9.2f %9.2f %9.2f",
                test.id(), steps, settings.runsOf(test), settings.tuneRunsOf(test), baselineStep, learnedStep,
                accuracy, comparisonRun / 3600, tuning / 3600, total / 3600);
    }
}
