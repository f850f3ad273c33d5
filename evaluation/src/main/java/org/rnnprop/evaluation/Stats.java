package org.rnnprop.evaluation;

import java.util.Arrays;

/**
 * The statistics of the report: means, standard errors and the paired t-test, with the Student t distribution
 * computed here (regularized incomplete beta function by its continued fraction, log-gamma by Lanczos) so the
 * suite needs no statistics library.
 */
public final class Stats {
    private Stats() {
    }

    /** Mean of the finite values; NaN if there are none. */
    public static double mean(double[] xs) {
        double s = 0;
        int n = 0;
        for (double x : xs) {
            if (Double.isFinite(x)) {
                s += x;
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }

    /** Standard error of the mean of the finite values (sample standard deviation / sqrt(n)); NaN if n < 2. */
    public static double standardError(double[] xs) {
        double[] f = finite(xs);
        if (f.length < 2) {
            return Double.NaN;
        }
        double m = mean(f);
        double ss = 0;
        for (double x : f) {
            ss += (x - m) * (x - m);
        }
        return Math.sqrt(ss / (f.length - 1) / f.length);
    }

    /**
     * The {@code q}-quantile of the finite values, interpolating linearly between order statistics (the usual
     * "type 7" definition: the median of 1, 2, 3, 10 is 2.5); NaN if there are none.
     */
    public static double quantile(double[] xs, double q) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("quantile must be in [0, 1], got " + q);
        }
        double[] f = finite(xs);
        if (f.length == 0) {
            return Double.NaN;
        }
        Arrays.sort(f);
        double at = q * (f.length - 1);
        int lo = (int) Math.floor(at);
        int hi = Math.min(lo + 1, f.length - 1);
        return f[lo] + (at - lo) * (f[hi] - f[lo]);
    }

    /** The finite values, in order. */
    public static double[] finite(double[] xs) {
        return Arrays.stream(xs).filter(Double::isFinite).toArray();
    }

    /** Values that are NaN or infinite. */
    public static int nonFinite(double[] xs) {
        return xs.length - finite(xs).length;
    }

    /**
     * A paired comparison of {@code a} against {@code b}.
     *
     * @param pairs pairs where both values are finite (the others are left out)
     * @param meanDifference mean of a - b over those pairs; negative means a is lower (better)
     * @param standardError standard error of that mean
     * @param t the t statistic, meanDifference / standardError
     * @param p two-sided p-value of the paired t-test (df = pairs - 1); NaN with fewer than 2 pairs; 0 or 1
     *     when every difference is the same nonzero or zero value
     * @param aWins pairs in which a is strictly lower
     */
    public record Paired(int pairs, double meanDifference, double standardError, double t, double p, int aWins) {
        /** Whether a is lower than b with p below {@code alpha}. */
        public boolean aSignificantlyLower(double alpha) {
            return meanDifference < 0 && p < alpha;
        }

        /** Whether a is higher than b with p below {@code alpha}. */
        public boolean aSignificantlyHigher(double alpha) {
            return meanDifference > 0 && p < alpha;
        }
    }

    /** The paired t-test of {@code a} against {@code b} (same length: run i of each shares one seed). */
    public static Paired paired(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("paired samples differ in length: " + a.length + " vs " + b.length);
        }
        int n = 0;
        int wins = 0;
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            if (Double.isFinite(a[i]) && Double.isFinite(b[i])) {
                d[n++] = a[i] - b[i];
                wins += a[i] < b[i] ? 1 : 0;
            }
        }
        d = Arrays.copyOf(d, n);
        double mean = n == 0 ? Double.NaN : mean(d);
        double se = standardError(d);
        if (n < 2) {
            return new Paired(n, mean, Double.NaN, Double.NaN, Double.NaN, wins);
        }
        if (se == 0) { // every difference equal: certain if nonzero, no evidence if zero
            return new Paired(n, mean, 0, mean == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, mean),
                    mean == 0 ? 1 : 0, wins);
        }
        double t = mean / se;
        return new Paired(n, mean, se, t, studentTwoSided(t, n - 1), wins);
    }

    /** P(|T| >= |t|) for Student's t with {@code df} degrees of freedom. */
    public static double studentTwoSided(double t, double df) {
        if (Double.isNaN(t)) {
            return Double.NaN;
        }
        if (Double.isInfinite(t)) {
            return 0;
        }
        return regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
    }

    /** The regularized incomplete beta function I_x(a, b), for a, b > 0 and x in [0, 1]. */
    public static double regularizedIncompleteBeta(double x, double a, double b) {
        if (!(a > 0 && b > 0) || !(x >= 0 && x <= 1)) {
            throw new IllegalArgumentException("need a, b > 0 and 0 <= x <= 1, got x=" + x + " a=" + a + " b=" + b);
        }
        if (x == 0 || x == 1) {
            return x;
        }
        double front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
        // The continued fraction converges fast for x < (a + 1) / (a + b + 2); use the symmetry otherwise.
        if (x < (a + 1) / (a + b + 2)) {
            return front * betaContinuedFraction(x, a, b) / a;
        }
        return 1 - front * betaContinuedFraction(1 - x, b, a) / b;
    }

    /** The continued fraction of the incomplete beta function, by the modified Lentz method. */
    private static double betaContinuedFraction(double x, double a, double b) {
        final double tiny = 1e-300;
        double c = 1;
        double d = 1 - (a + b) * x / (a + 1);
        d = 1 / (Math.abs(d) < tiny ? tiny : d);
        double h = d;
        for (int m = 1; m <= 10_000; m++) {
            int m2 = 2 * m;
            double num = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
            d = 1 + num * d;
            d = 1 / (Math.abs(d) < tiny ? tiny : d);
            c = 1 + num / c;
            c = Math.abs(c) < tiny ? tiny : c;
            h *= d * c;
            num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
            d = 1 + num * d;
            d = 1 / (Math.abs(d) < tiny ? tiny : d);
            c = 1 + num / c;
            c = Math.abs(c) < tiny ? tiny : c;
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < 1e-15) {
                return h;
            }
        }
        throw new ArithmeticException("incomplete beta did not converge for x=" + x + " a=" + a + " b=" + b);
    }

    private static final double[] LANCZOS = {
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7,
    };

    /** ln Gamma(x) for x > 0 (Lanczos, g = 7; relative error about 1e-15). */
    public static double logGamma(double x) {
        if (x < 0.5) { // reflection keeps the approximation in its accurate range
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        }
        x -= 1;
        double s = LANCZOS[0];
        double t = x + 7.5;
        for (int i = 1; i < LANCZOS.length; i++) {
            s += LANCZOS[i] / (x + i);
        }
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(s);
    }
}
