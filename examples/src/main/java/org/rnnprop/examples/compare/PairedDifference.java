package org.rnnprop.examples.compare;

import java.util.Locale;

/**
 * The paired difference {@code a - b} of two optimizers' scores over the same seeds (same initial parameters,
 * same minibatches), with its standard error and 95% confidence interval (Student's t, {@code n - 1} degrees of
 * freedom).
 *
 * @param n number of seeds
 * @param mean mean of {@code a[i] - b[i]}; negative means {@code a} scored lower
 * @param standardError standard error of that mean (sample standard deviation / sqrt(n))
 * @param aLower seeds on which {@code a} scored strictly lower
 */
public record PairedDifference(int n, double mean, double standardError, int aLower) {
    /** Two-sided 95% quantiles of Student's t for 1 to 30 degrees of freedom. */
    private static final double[] T95 = {
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
        2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    };

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
        int n = a.length;
        double sum = 0;
        int lower = 0;
        for (int i = 0; i < n; i++) {
            sum += a[i] - b[i];
            lower += a[i] < b[i] ? 1 : 0;
        }
        double mean = sum / n;
        double ss = 0;
        for (int i = 0; i < n; i++) {
            double d = a[i] - b[i] - mean;
            ss += d * d;
        }
        return new PairedDifference(n, mean, Math.sqrt(ss / (n - 1) / n), lower);
    }

    /** Half-width of the 95% confidence interval of the mean difference. */
    public double halfWidth95() {
        int df = n - 1;
        double t = df <= T95.length ? T95[df - 1] : 1.96;
        return t * standardError;
    }

    /** -1 if {@code a} is lower with 95% confidence, +1 if higher, 0 if the interval contains 0. */
    public int sign() {
        double h = halfWidth95();
        if (!Double.isFinite(mean) || !Double.isFinite(h)) {
            return 0;
        }
        return mean + h < 0 ? -1 : mean - h > 0 ? 1 : 0;
    }

    /** e.g. "-0.0412 +- 0.0061 s.e. (95% CI -0.067 to -0.015; lower in 3 of 3)". */
    @Override
    public String toString() {
        double h = halfWidth95();
        return String.format(Locale.ROOT, "%+.4f +- %.4f s.e. (95%% CI %+.4f to %+.4f; lower in %d of %d)", mean,
                standardError, mean - h, mean + h, aLower, n);
    }
}
