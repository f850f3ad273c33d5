package org.rnnprop.evaluation;

import java.util.List;

/** Loss curves: window means (so long runs stay small) and means over runs. */
public final class Curves {
    private Curves() {
    }

    /** Steps per point so that {@code steps} steps give at most {@code maxPoints} points. */
    public static int window(int steps, int maxPoints) {
        return Math.max(1, (steps + maxPoints - 1) / maxPoints);
    }

    /** Means of consecutive windows of {@code window} losses (the last window may be shorter). */
    public static float[] windowMeans(float[] losses, int window) {
        int n = (losses.length + window - 1) / window;
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            int end = Math.min(losses.length, (i + 1) * window);
            for (int j = i * window; j < end; j++) {
                s += losses[j];
            }
            out[i] = (float) (s / (end - i * window));
        }
        return out;
    }

    /**
     * The pointwise mean of curves over the values that are finite there (a diverged run drops out from
     * where it diverged, as the paper dropped outliers from its plots); NaN where none is.
     */
    public static float[] mean(List<float[]> curves) {
        int n = curves.stream().mapToInt(c -> c.length).max().orElse(0);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            int k = 0;
            for (float[] c : curves) {
                if (i < c.length && Float.isFinite(c[i])) {
                    s += c[i];
                    k++;
                }
            }
            out[i] = k == 0 ? Float.NaN : (float) (s / k);
        }
        return out;
    }

    /** The step at the middle of curve point {@code i}, 1-based: where to plot it. */
    public static double stepOf(int i, int window) {
        return i * (double) window + (window + 1) / 2.0;
    }
}
