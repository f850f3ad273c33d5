package org.rnnprop.evaluation;

import ai.djl.ndarray.NDManager;
import org.rnnprop.datasets.LabeledImages;
import org.rnnprop.tasks.Task;

/**
 * One test: of the specification (docs/SPEC.md §4), or beyond the paper's ({@link Group#BEYOND}): an optimizee, a number of
 * steps, what the paper's reference code found best among the tuned algorithms, and how the protocol differs.
 *
 * @param id the name used on the command line, in file names and tables, e.g. {@code mnist-relu-100}
 * @param title a readable description
 * @param group which table of the paper it belongs to
 * @param steps optimizee steps per run
 * @param dataset the data the optimizee needs
 * @param depth hidden layers of an MLP optimizee (for the depth figure), 0 for other optimizees
 * @param paperBest the best tuned algorithm in the reference code; for a test beyond the paper, the algorithm
 *     whose grid starts at the next parameter (a guess)
 * @param paperBestHalfExponent its learning rate, {@code 2^(k/2)}
 * @param factory builds the optimizee on the data (null for tasks without data)
 * @param protocol run counts and additions ({@link Protocol#PAPER} for the paper's tests)
 */
public record Experiment(String id, String title, Group group, int steps, Dataset dataset, int depth,
        Baseline paperBest, int paperBestHalfExponent, TaskFactory factory, Protocol protocol) {

    /** A test with the paper's protocol. */
    public Experiment(String id, String title, Group group, int steps, Dataset dataset, int depth,
            Baseline paperBest, int paperBestHalfExponent, TaskFactory factory) {
        this(id, title, group, steps, dataset, depth, paperBest, paperBestHalfExponent, factory, Protocol.PAPER);
    }

    /**
     * How a test runs beside its optimizee.
     *
     * @param runs comparison runs of the full suite, or 0 for the paper tests' rule ({@link #runs()})
     * @param tuneRuns tuning runs per learning rate, or 0 for the paper tests' rule ({@link #tuneRuns()})
     * @param tuneHalfWidth half-width of the starting grid of the full suite, in grid points (it widens from
     *     there until the best rate is inside)
     * @param cosine whether RNNprop also runs with its alpha scale decayed by a cosine over the run's steps
     *     (the user-level horizon-aware baseline, {@link Contender#learnedCosine})
     * @param testAccuracy whether the comparison runs' final parameters are scored on the MNIST test set
     * @param dmOptimizer whether DMoptimizer runs too (the paper's tests); beyond them RNNprop is the learned
     *     optimizer under test, and DMoptimizer would cost as much again
     * @param details what else defines the test's results (initialisation, minibatch order): part of its cache
     *     version; empty for the paper's tests, whose cache versions therefore stay as they were
     */
    public record Protocol(int runs, int tuneRuns, int tuneHalfWidth, boolean cosine, boolean testAccuracy,
            boolean dmOptimizer, String details) {
        /** The paper's protocol. */
        public static final Protocol PAPER = new Protocol(0, 0, 4, false, false, true, "");

        /** The same, with the RNNprop cosine row. */
        public Protocol withCosine() {
            return new Protocol(runs, tuneRuns, tuneHalfWidth, true, testAccuracy, dmOptimizer, details);
        }
    }

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
        LSTM,
        /** Tests beyond the paper's: networks, initialisations and horizons that users run. */
        BEYOND
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
     * Comparison runs of the full suite: the protocol's count if it sets one, else the paper tests' rule. The
     * paper averaged 100 runs; we keep 100 where a run is cheap (MLPs and the LSTM at 100 steps), and fewer
     * where runs are long, enough for a paired standard error well below the differences the claims are about:
     * 30 for the CNNs, 20 at 2,000 steps, 10 at 10,000 steps.
     */
    public int runs() {
        if (protocol.runs() > 0) {
            return protocol.runs();
        }
        if (group == Group.CNN) {
            return 30;
        }
        return steps >= 10_000 ? 10 : steps >= 2_000 ? 20 : 100;
    }

    /**
     * Runs per learning rate while tuning (on seeds apart from the comparison runs, so the comparison is not
     * biased by the selection): the protocol's count if it sets one, else 10 for cheap tests, 5 for CNNs, 4 at
     * 2,000 steps, 2 at 10,000 steps, where the loss varies little from run to run.
     */
    public int tuneRuns() {
        if (protocol.tuneRuns() > 0) {
            return protocol.tuneRuns();
        }
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
