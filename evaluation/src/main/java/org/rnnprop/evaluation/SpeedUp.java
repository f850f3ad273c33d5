package org.rnnprop.evaluation;

import java.util.Locale;

/**
 * How much faster an optimizer reaches its final loss than a baseline, in the style of learned_optimization's
 * speed-up over Adam: the steps the baseline needs to reach the optimizer's final loss, divided by the
 * optimizer's own steps. Above 1, the optimizer is ahead; 0.5, the baseline gets there in half the steps.
 *
 * <p>Both are read on mean training-loss curves ({@link Curves}) smoothed by a moving average over
 * {@link #SMOOTHING} of the run (centred, shortened at the ends to the points that exist on the earlier side,
 * so the last point averages the last 2.5% of the run). The optimizer's final loss is its smoothed curve's
 * last point; the baseline's curve is made non-increasing (its running minimum, as learned_optimization's
 * envelope is) and the step at which it first reaches that loss is interpolated linearly between points.
 * When the baseline never gets there within the run, the speed-up is only known to be above 1; the reverse
 * ratio is given then: the optimizer's steps over the steps it needed to reach the baseline's lowest loss.
 *
 * @param ratio baseline steps over the optimizer's steps; NaN when not reached or not computable
 * @param reached whether the baseline reached the optimizer's final loss within the run
 * @param reverse when not reached: the optimizer's steps over those it needed to reach the baseline's lowest
 *     (smoothed) loss; NaN otherwise
 */
public record SpeedUp(double ratio, boolean reached, double reverse) {

    /** Width of the moving average, as a fraction of the run. */
    public static final double SMOOTHING = 0.05;

    private static final SpeedUp UNKNOWN = new SpeedUp(Double.NaN, false, Double.NaN);

    /**
     * The speed-up of the optimizer with mean curve {@code learned} over the baseline with mean curve
     * {@code baseline}, both of {@code window} steps per point (NaN points, where every run had diverged, are
     * left out). Unknown (NaN, "–") when either curve has no finite point or they have different lengths.
     */
    public static SpeedUp of(float[] learned, float[] baseline, int window) {
        if (learned.length == 0 || learned.length != baseline.length) {
            return UNKNOWN;
        }
        double[] l = smooth(learned);
        double[] b = runningMin(smooth(baseline));
        int last = lastFinite(l);
        if (last < 0 || lastFinite(b) < 0) {
            return UNKNOWN;
        }
        double steps = Curves.stepOf(last, window);
        double target = l[last];
        double reach = firstReach(b, target, window);
        if (!Double.isNaN(reach)) {
            return new SpeedUp(reach / steps, true, Double.NaN);
        }
        double best = b[lastFinite(b)];
        double own = firstReach(runningMin(l), best, window);
        return new SpeedUp(Double.NaN, false, Double.isNaN(own) ? Double.NaN : steps / own);
    }

    /** The moving average of {@link #SMOOTHING} of the curve, over its finite points; NaN where none is. */
    static double[] smooth(float[] y) {
        int half = (int) Math.round(SMOOTHING * y.length / 2);
        double[] out = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            int reach = Math.min(half, y.length - 1 - i); // the same number of points after as before, at most
            double s = 0;
            int n = 0;
            for (int j = Math.max(0, i - half); j <= i + reach; j++) {
                if (Float.isFinite(y[j])) {
                    s += y[j];
                    n++;
                }
            }
            out[i] = n == 0 ? Double.NaN : s / n;
        }
        return out;
    }

    /** The running minimum over the finite points (NaN before the first). */
    static double[] runningMin(double[] y) {
        double[] out = new double[y.length];
        double min = Double.NaN;
        for (int i = 0; i < y.length; i++) {
            if (!Double.isNaN(y[i]) && !(y[i] >= min)) {
                min = y[i];
            }
            out[i] = min;
        }
        return out;
    }

    /**
     * The step at which a non-increasing curve first reaches {@code target}, interpolated linearly between
     * points (the first point's step if it starts there); NaN if it never does.
     */
    static double firstReach(double[] y, double target, int window) {
        for (int i = 0; i < y.length; i++) {
            if (y[i] <= target) {
                if (i == 0 || Double.isNaN(y[i - 1])) {
                    return Curves.stepOf(i, window);
                }
                double f = (y[i - 1] - target) / (y[i - 1] - y[i]);
                return Curves.stepOf(i - 1, window) + f * window;
            }
        }
        return Double.NaN;
    }

    private static int lastFinite(double[] y) {
        for (int i = y.length - 1; i >= 0; i--) {
            if (!Double.isNaN(y[i])) {
                return i;
            }
        }
        return -1;
    }

    /**
     * For tables: {@code "2.31"}; {@code "never reached (> 1; 3.2 to its lowest)"} when the baseline never got
     * there; {@code "–"} when unknown.
     */
    public String format() {
        if (reached) {
            return String.format(Locale.ROOT, "%.2f", ratio);
        }
        if (Double.isNaN(reverse)) {
            return "–";
        }
        return String.format(Locale.ROOT, "never reached (> 1; %.2f to its lowest)", reverse);
    }
}
