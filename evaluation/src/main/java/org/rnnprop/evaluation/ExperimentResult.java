package org.rnnprop.evaluation;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one test gave: every contender's final losses on the comparison runs and mean loss curve, and each
 * tuned baseline's learning-rate grid; or why the test was skipped.
 *
 * @param experiment the test
 * @param steps steps per run (shorter than the test's in quick mode)
 * @param runs comparison runs
 * @param tuneRuns runs per grid point while tuning
 * @param skipped why the test did not run, or null
 * @param contenders the comparison: each tuned baseline at its best rate, Adam 1e-3, the learned optimizers
 * @param grids per tuned baseline, its grid points in increasing rate
 * @param computedRuns rollouts computed by this invocation
 * @param cachedRuns rollouts read from the cache
 * @param computeSeconds thread-seconds of all the test's rollouts, cached ones included
 */
public record ExperimentResult(Experiment experiment, int steps, int runs, int tuneRuns, String skipped,
        List<ContenderResult> contenders, Map<Baseline, List<GridPoint>> grids, int computedRuns, int cachedRuns,
        double computeSeconds) {

    /** How the reason of a test that failed begins (see {@link #failed()}). */
    public static final String FAILED = "failed: ";

    /** A test that did not run. */
    public static ExperimentResult skipped(Experiment e, int steps, String reason) {
        return new ExperimentResult(e, steps, 0, 0, reason, List.of(), Map.of(), 0, 0, 0);
    }

    /** A test that did not run because it threw: an error, which must fail the whole suite. */
    public static ExperimentResult failed(Experiment e, int steps, Throwable error) {
        return skipped(e, steps, FAILED + error.getMessage());
    }

    /** Whether the test ran. */
    public boolean ran() {
        return skipped == null;
    }

    /** Whether the test did not run because of an error (not a missing data set or the like). */
    public boolean failed() {
        return skipped != null && skipped.startsWith(FAILED);
    }

    /**
     * One contender on the comparison runs.
     *
     * @param contender what ran
     * @param role the learned optimizer's role, or null
     * @param finalLosses final loss of comparison run i (seed {@link Suite#COMPARISON_SEED_BASE} + i); NaN where
     *     it diverged
     * @param meanCurve mean training loss per window of steps over the runs that stayed finite there
     * @param window steps per curve point
     * @param testAccuracies the final parameters' test-set accuracy of comparison run i, NaN where not measured
     *     or diverged
     */
    public record ContenderResult(Contender contender, LearnedRole role, double[] finalLosses, float[] meanCurve,
            int window, double[] testAccuracies) {

        /** A result without test accuracies. */
        public ContenderResult(Contender contender, LearnedRole role, double[] finalLosses, float[] meanCurve,
                int window) {
            this(contender, role, finalLosses, meanCurve, window, nan(finalLosses.length));
        }

        private static double[] nan(int n) {
            double[] a = new double[n];
            java.util.Arrays.fill(a, Double.NaN);
            return a;
        }

        /** Whether any run's test accuracy was measured. */
        public boolean hasTestAccuracy() {
            return Stats.finite(testAccuracies).length > 0;
        }

        /** Mean final loss over the runs that did not diverge. */
        public double mean() {
            return Stats.mean(finalLosses);
        }

        /** Its standard error. */
        public double standardError() {
            return Stats.standardError(finalLosses);
        }

        /** Runs that diverged. */
        public int diverged() {
            return Stats.nonFinite(finalLosses);
        }

        /** The mean as a score: a contender with diverged runs ranks after every one without. */
        double score() {
            return diverged() > 0 ? Double.POSITIVE_INFINITY : mean();
        }

        /** The name in tables. */
        public String label() {
            return contender.label();
        }
    }

    /**
     * One learning rate of a tuned baseline on the tuning runs.
     *
     * @param halfExponent the rate {@code 2^(k/2)}
     * @param mean mean final loss over the runs that did not diverge
     * @param runs tuning runs
     * @param diverged how many of them diverged
     */
    public record GridPoint(int halfExponent, double mean, int runs, int diverged) {
        /** The score the search minimised: the mean, or infinity if any run diverged. */
        public double score() {
            return diverged > 0 ? Double.POSITIVE_INFINITY : mean;
        }
    }

    /** The tuned baselines at their chosen rates. */
    public List<ContenderResult> tuned() {
        return contenders.stream().filter(c -> c.contender().tuned()).toList();
    }

    /**
     * The best tuned baseline: the one with the lowest tuning score at its tuned learning rate (ties: the order
     * of {@link Baseline}). The choice is made on the tuning runs, like each baseline's learning rate, so it does
     * not depend on the comparison runs it is then compared on: a diverged comparison run is reported with the
     * baseline, it does not hand the place to the runner-up. Empty if no baseline has a finite tuning score.
     */
    public Optional<ContenderResult> bestTuned() {
        return tuned().stream().filter(c -> Double.isFinite(tuningScore(c)))
                .min(Comparator.comparingDouble(this::tuningScore).thenComparing(c -> c.contender().baseline()));
    }

    /**
     * A tuned baseline's score on the tuning runs at its tuned rate ({@link GridPoint#score()}: infinite if a
     * tuning run diverged there); NaN for a contender that is not a tuned baseline or has no such grid point.
     */
    public double tuningScore(ContenderResult c) {
        if (!c.contender().tuned()) {
            return Double.NaN;
        }
        return grids.getOrDefault(c.contender().baseline(), List.of()).stream()
                .filter(g -> g.halfExponent() == c.contender().halfExponent()).mapToDouble(GridPoint::score)
                .findFirst().orElse(Double.NaN);
    }

    /** The tuned result of one baseline. */
    public Optional<ContenderResult> baseline(Baseline b) {
        return tuned().stream().filter(c -> c.contender().baseline() == b).findFirst();
    }

    /** The result of a learned optimizer, if it ran here. */
    public Optional<ContenderResult> learned(LearnedRole role) {
        return contenders.stream().filter(c -> c.role() == role).findFirst();
    }

    /** A contender by cache key. */
    public Optional<ContenderResult> byKey(String key) {
        return contenders.stream().filter(c -> c.contender().key().equals(key)).findFirst();
    }

    /**
     * The speed-up of {@code c} over the best tuned baseline ({@link SpeedUp}): the steps the baseline's mean
     * curve needs to reach c's final loss, over c's steps. Unknown without a best tuned baseline.
     */
    public SpeedUp speedUp(ContenderResult c) {
        return bestTuned().map(b -> SpeedUp.of(c.meanCurve(), b.meanCurve(), c.window()))
                .orElse(SpeedUp.of(new float[0], new float[0], 1));
    }

    /** The horizon-aware RNNprop ({@link Contender#learnedCosine}), if it ran here. */
    public Optional<ContenderResult> cosine() {
        return contenders.stream().filter(c -> c.contender().cosine()).findFirst();
    }

    /** The weights compared beside the roles ({@link Contender#candidate}), in the order given. */
    public List<ContenderResult> candidates() {
        return contenders.stream().filter(c -> c.contender().candidate()).toList();
    }

    /** Mean training loss at the first step over every contender's runs: where all runs start. */
    public double initialLoss() {
        return contenders.stream().filter(c -> c.meanCurve().length > 0 && c.window() == 1)
                .mapToDouble(c -> c.meanCurve()[0]).average().orElse(Double.NaN);
    }
}
