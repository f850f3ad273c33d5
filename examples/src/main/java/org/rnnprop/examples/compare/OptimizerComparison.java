package org.rnnprop.examples.compare;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.rnnprop.datasets.LabeledImages;
import org.rnnprop.examples.data.Minibatches;

/**
 * "Is RNNprop better on my model?": trains one model with the learned optimizer, with Adam at 1e-3 and with Adam
 * over a short sweep of learning rates, each from the same initial parameters and on the same minibatches, over a
 * few seeds, and reports the paired differences with their uncertainty.
 *
 * <pre>{@code
 * ComparisonResult r = OptimizerComparison.builder().steps(300).seeds(3).build()
 *         .run(ModelUnderTest.dl4j("my MLP", conf), train, test);
 * System.out.print(r.table());
 * System.out.print(r.verdict());
 * r.writePlot(Path.of("comparison.png"));
 * }</pre>
 *
 * <p>A seed {@code s} fixes the initial parameters (the framework's own initialisation under that seed) and the
 * minibatch order ({@code Minibatches.draw(s, ...)}); every candidate trains from both. Runs are sequential.
 */
public final class OptimizerComparison {
    /** The default sweep of Adam learning rates: half-decades around the common 1e-3. */
    public static final double[] DEFAULT_ADAM_RATES = {1e-4, 3e-4, 1e-3, 3e-3, 1e-2};

    private final int steps;
    private final int batchSize;
    private final long[] seeds;
    private final int window;
    private final List<Candidate> candidates;
    private final PrintStream log;

    private OptimizerComparison(Builder b) {
        this.steps = b.steps;
        this.batchSize = b.batchSize;
        this.seeds = b.seeds.clone();
        this.window = b.window > 0 ? b.window : Math.max(1, steps / 10);
        List<Candidate> all = new ArrayList<>(b.learned);
        for (double lr : b.adamRates) {
            all.add(Candidate.adam(lr));
        }
        this.candidates = List.copyOf(new LinkedHashSet<>(all));
        this.log = b.log;
    }

    /** A builder with the defaults: 300 steps, batch 128, seeds 1 to 3, RNNprop, {@link #DEFAULT_ADAM_RATES}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The candidates in the order they run on each seed. */
    public List<Candidate> candidates() {
        return candidates;
    }

    /**
     * Runs every candidate on every seed.
     *
     * @param test held-out examples for the accuracy column, or null
     * @throws IllegalArgumentException if there are fewer training examples than a minibatch
     */
    public ComparisonResult run(ModelUnderTest model, LabeledImages train, LabeledImages test) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(train, "train");
        if (train.numExamples() < batchSize) {
            throw new IllegalArgumentException("batch size " + batchSize + " but only " + train.numExamples()
                    + " training examples");
        }
        TrainingRun[][] runs = new TrainingRun[candidates.size()][seeds.length];
        for (int s = 0; s < seeds.length; s++) {
            int[][] batches = Minibatches.draw(seeds[s], steps, train.numExamples(), batchSize);
            for (int c = 0; c < candidates.size(); c++) {
                Candidate candidate = candidates.get(c);
                TrainingRun r = model.train(candidate, seeds[s], batches, train, test);
                runs[c][s] = r;
                if (log != null) {
                    log.printf(Locale.ROOT, "  %s, seed %d, %-22s final loss %.4f%s  %.1f s%n", model.name(),
                            seeds[s], candidate.label(), r.finalLoss(window),
                            Double.isNaN(r.testAccuracy()) ? ""
                                    : String.format(Locale.ROOT, "  held-out %.2f%%", 100 * r.testAccuracy()),
                            r.seconds());
                }
            }
        }
        return new ComparisonResult(model.name(), candidates, seeds, window, runs);
    }

    /** Settings of an {@link OptimizerComparison}. */
    public static final class Builder {
        private int steps = 300;
        private int batchSize = 128;
        private long[] seeds = {1, 2, 3};
        private int window;
        private final List<Candidate> learned = new ArrayList<>(List.of(Candidate.rnnprop()));
        private double[] adamRates = DEFAULT_ADAM_RATES.clone();
        private PrintStream log = System.out;

        private Builder() {
        }

        /** Training steps per run (one minibatch each); default 300. */
        public Builder steps(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("steps must be at least 1, got " + n);
            }
            steps = n;
            return this;
        }

        /** Examples per minibatch; default 128. */
        public Builder batchSize(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("batchSize must be at least 1, got " + n);
            }
            batchSize = n;
            return this;
        }

        /** Seeds 1 to {@code n}; at least 2 (one seed has no uncertainty to report); default 3. */
        public Builder seeds(int n) {
            if (n < 2) {
                throw new IllegalArgumentException("seeds must be at least 2 to measure the uncertainty, got " + n);
            }
            seeds = new long[n];
            for (int i = 0; i < n; i++) {
                seeds[i] = i + 1;
            }
            return this;
        }

        /** The steps whose mean loss is a run's score; default a tenth of the steps (at least 1). */
        public Builder finalWindow(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("finalWindow must be at least 1, got " + n);
            }
            window = n;
            return this;
        }

        /** The learned optimizers to compare (replaces the default, the shipped RNNprop); at least one. */
        public Builder learned(Candidate.Learned... candidates) {
            if (candidates.length == 0) {
                throw new IllegalArgumentException("give at least one learned optimizer");
            }
            learned.clear();
            learned.addAll(List.of(candidates));
            return this;
        }

        /** Adam's learning rates (replaces {@link #DEFAULT_ADAM_RATES}); at least one, each positive. */
        public Builder adamRates(double... rates) {
            if (rates.length == 0) {
                throw new IllegalArgumentException("give at least one Adam learning rate: the answer is relative "
                        + "to Adam");
            }
            for (double r : rates) {
                Candidate.adam(r); // checks it
            }
            adamRates = rates.clone();
            return this;
        }

        /** Where each run's line goes (default System.out; null for none). */
        public Builder log(PrintStream out) {
            log = out;
            return this;
        }

        /** The comparison; the final window may not exceed the steps. */
        public OptimizerComparison build() {
            if (window > steps) {
                throw new IllegalArgumentException("finalWindow " + window + " exceeds steps " + steps);
            }
            return new OptimizerComparison(this);
        }
    }
}
