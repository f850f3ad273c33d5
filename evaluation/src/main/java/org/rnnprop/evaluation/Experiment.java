package org.rnnprop.evaluation;

import ai.djl.ndarray.NDManager;
import org.rnnprop.datasets.LabeledImages;
import org.rnnprop.tasks.Task;

/**
 * One test of the specification (docs/SPEC.md §4): an optimizee, a number of steps, and what the paper's reference code
 * found best among the tuned algorithms.
 *
 * @param id the name used on the command line, in file names and tables, e.g. {@code mnist-relu-100}
 * @param title a readable description
 * @param group which table of the paper it belongs to
 * @param steps optimizee steps per run
 * @param dataset the data the optimizee needs
 * @param depth hidden layers of an MLP optimizee (for the depth figure), 0 for other optimizees
 * @param paperBest the best tuned algorithm in the reference code
 * @param paperBestHalfExponent its learning rate, {@code 2^(k/2)}
 * @param factory builds the optimizee on the data (null for tasks without data)
 */
public record Experiment(String id, String title, Group group, int steps, Dataset dataset, int depth,
        Baseline paperBest, int paperBestHalfExponent, TaskFactory factory) {

    /** The paper's groups of tests. */
    public enum Group {
        /** Base MLP (sigmoid) at 100, 2,000 and 10,000 steps. */
        HORIZON,
        /** Base MLP with other activations. */
        ACTIVATION,
        /** MLPs with more hidden layers. */
        DEPTH,
        /** Convolutional networks. */
        CNN,
        /** The LSTM sine-prediction task. */
        LSTM
    }

    /** What an optimizee trains on. */
    public enum Dataset {
        MNIST, CIFAR10, NONE
    }

    /** Builds an optimizee; it may copy the data to {@code manager}, which outlives the task. */
    @FunctionalInterface
    public interface TaskFactory {
        Task create(LabeledImages data, NDManager manager);
    }

    /**
     * Comparison runs of the full suite. The paper averaged 100 runs; we keep 100 where a run is cheap (MLPs
     * and the LSTM at 100 steps), and fewer where runs are long, enough for a paired standard error well
     * below the differences the claims are about: 30 for the CNNs, 20 at 2,000 steps, 10 at 10,000 steps.
     */
    public int runs() {
        if (group == Group.CNN) {
            return 30;
        }
        return steps >= 10_000 ? 10 : steps >= 2_000 ? 20 : 100;
    }

    /**
     * Runs per learning rate while tuning (on seeds apart from the comparison runs, so the comparison is not
     * biased by the selection): 10 for cheap tests, 5 for CNNs, 4 at 2,000 steps, 2 at 10,000 steps, where the
     * loss varies little from run to run.
     */
    public int tuneRuns() {
        if (group == Group.CNN) {
            return 5;
        }
        return steps >= 10_000 ? 2 : steps >= 2_000 ? 4 : 10;
    }

    /** Whether this test hosts the control experiment (the paper ran it on the ReLU MLP). */
    public boolean hostsControl() {
        return id.equals(Experiments.CONTROL);
    }
}
