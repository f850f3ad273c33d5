package org.rnnprop.examples.compare;

import java.util.Locale;
import org.rnnprop.evaluation.Stats;

/**
 * The paired difference {@code a - b} of two optimizers' scores over the same seeds (same initial parameters,
 * same minibatches), with its standard error and the two-sided p-value of the paired t-test (the evaluation's
 * {@link Stats#paired}). Seeds on which either score is not finite (a diverged run) are left out of the test and
 * counted.
 *
 * @param test the paired t-test over the seeds where both scores are finite
 * @param notFinite seeds left out because a score was NaN or infinite
 */
public record PairedDifference(Stats.Paired test, int notFinite) {
    /** The significance level of {@link #sign()}. */
    public static final double ALPHA = 0.05;

    /**
     * The paired difference of two score arrays.
     *
     * @throws IllegalArgumentException if the arrays differ in length or hold fewer than two scores (one pair has
     *     no uncertainty to report)
     */
    public static PairedDifference of(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("paired scores need the same seeds: " + a.length + " against "
                    + b.length);
        }
        if (a.length < 2) {
            throw new IllegalArgumentException("a paired difference needs at least 2 seeds, got " + a.length);
        }
        Stats.Paired t = Stats.paired(a, b);
        return new PairedDifference(t, a.length - t.pairs());
    }

    /** Mean of {@code a - b} over the finite pairs; negative means {@code a} scored lower. */
    public double mean() {
        return test.meanDifference();
    }

    /** Standard error of {@link #mean()}. */
    public double standardError() {
        return test.standardError();
    }

    /** -1 if {@code a} is lower with p below {@link #ALPHA}, +1 if higher, 0 otherwise. */
    public int sign() {
        return test.aSignificantlyLower(ALPHA) ? -1 : test.aSignificantlyHigher(ALPHA) ? 1 : 0;
    }

    /** e.g. "-0.0412 +- 0.0061 s.e., p = 0.021, lower in 3 of 3". */
    @Override
    public String toString() {
        String s = String.format(Locale.ROOT, "%+.4f +- %.4f s.e., p = %.2g, lower in %d of %d", mean(),
                standardError(), test.p(), test.aWins(), test.pairs());
        return notFinite == 0 ? s : s + String.format(Locale.ROOT, " (%d seed%s left out: a loss that is not "
                + "finite)", notFinite, notFinite == 1 ? "" : "s");
    }
}
