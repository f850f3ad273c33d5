package org.rnnprop.meta;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether a run's training loss is still falling: the mean meta-loss over consecutive windows of iterations,
 * each with its standard error, and the same for the per-epoch validations. A run has <em>stopped improving</em>
 * when neither of its last two window-to-window changes is a decrease of more than two standard errors; one
 * flat window alone can be noise.
 */
final class TrainingTrend {
    /** Standard errors a window-to-window decrease must exceed to count as improvement. */
    static final double SIGNIFICANT = 2.0;
    /** Windows spanned by the report's longer view (see {@link #longerView}). */
    static final int LONG_SPAN = 4;

    /** The mean of one window of iterations {@code [from, to)}. */
    record Window(long from, long to, int count, double mean, double standardError) {
    }

    private TrainingTrend() {
    }

    /**
     * Means per window of {@code width} iterations of column {@code column} of CSV rows whose first column is
     * the iteration. The last window is dropped unless it is complete, so windows compare like with like.
     */
    static List<Window> windows(List<double[]> rows, int column, long width) {
        if (width <= 0) {
            throw new IllegalArgumentException("window width must be positive, got " + width);
        }
        List<Window> out = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        long start = 0;
        long last = rows.isEmpty() ? -1 : (long) rows.get(rows.size() - 1)[0];
        for (double[] r : rows) {
            long it = (long) r[0];
            while (it >= start + width) {
                addWindow(out, values, start, width);
                start += width;
            }
            if (r.length > column && Double.isFinite(r[column])) {
                values.add(r[column]);
            }
        }
        if (last >= start + width - 1) {
            addWindow(out, values, start, width);
        }
        return out;
    }

    private static void addWindow(List<Window> out, List<Double> values, long start, long width) {
        if (!values.isEmpty()) {
            double mean = values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            double ss = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
            double se = values.size() > 1 ? Math.sqrt(ss / (values.size() - 1) / values.size()) : Double.NaN;
            out.add(new Window(start, start + width, values.size(), mean, se));
        }
        values.clear();
    }

    /** Whether {@code later} is below {@code earlier} by more than {@link #SIGNIFICANT} standard errors. */
    static boolean significantlyLower(Window earlier, Window later) {
        double se = Math.hypot(earlier.standardError(), later.standardError());
        return earlier.mean() - later.mean() > SIGNIFICANT * se;
    }

    /** True once the last two window-to-window changes are both no significant decrease. */
    static boolean stoppedImproving(List<Window> w) {
        int n = w.size();
        return n >= 3 && !significantlyLower(w.get(n - 3), w.get(n - 2))
                && !significantlyLower(w.get(n - 2), w.get(n - 1));
    }

    /**
     * The change from the window {@link #LONG_SPAN} windows before the last to the last, with its standard error
     * and the mean change per window: a drift slower than one window can resolve shows here, not in the verdict.
     *
     * @return the line, or an empty string when there are not enough windows
     */
    static String longerView(List<Window> w) {
        int n = w.size();
        if (n <= LONG_SPAN) {
            return "";
        }
        Window from = w.get(n - 1 - LONG_SPAN);
        Window to = w.get(n - 1);
        double change = to.mean() - from.mean();
        return String.format(Locale.ROOT, "longer view: %d-%d to %d-%d changed %+.4f +- %.4f%s, %+.4f per window.%n",
                from.from(), from.to() - 1, to.from(), to.to() - 1, change,
                Math.hypot(from.standardError(), to.standardError()), significantlyLower(from, to) ? " (lower)" : "",
                change / LONG_SPAN);
    }

    /** The report for {@code run} with windows of {@code width} iterations, as text. */
    static String report(RunDirectory run, long width) throws IOException {
        StringBuilder s = new StringBuilder();
        List<Window> loss = windows(RunDirectory.readCsv(run.log()), 1, width);
        s.append(String.format(Locale.ROOT, "mean meta-loss per %d iterations (log.csv, meta_loss):%n", width));
        appendWindows(s, loss);
        if (loss.size() < 3) {
            s.append("too few complete windows to judge the trend (3 needed).\n");
        } else if (stoppedImproving(loss)) {
            s.append(String.format(Locale.ROOT, "STOPPED IMPROVING: neither of the last two changes is a decrease "
                    + "of more than %.0f standard errors.%n", SIGNIFICANT));
        } else {
            s.append(String.format(Locale.ROOT, "still improving: at least one of the last two changes is a "
                    + "decrease of more than %.0f standard errors.%n", SIGNIFICANT));
        }
        s.append(longerView(loss));
        if (Files.exists(run.validationLog())) {
            List<double[]> validations = RunDirectory.readCsv(run.validationLog());
            s.append(String.format(Locale.ROOT, "%nmean validation final loss per %d iterations (validation.csv; "
                    + "learned, then Adam 2^-5 on the same runs):%n", width));
            List<Window> learned = windows(validations, 2, width);
            List<Window> adam = windows(validations, 3, width);
            for (int i = 0; i < learned.size(); i++) {
                Window l = learned.get(i);
                s.append(String.format(Locale.ROOT, "  %6d-%-6d %3d epochs  %.4f +- %.4f   Adam %.4f%n", l.from(),
                        l.to() - 1, l.count(), l.mean(), l.standardError(), adam.get(i).mean()));
            }
        }
        return s.toString();
    }

    private static void appendWindows(StringBuilder s, List<Window> windows) {
        for (int i = 0; i < windows.size(); i++) {
            Window w = windows.get(i);
            s.append(String.format(Locale.ROOT, "  %6d-%-6d %4d iterations  %.4f +- %.4f", w.from(), w.to() - 1,
                    w.count(), w.mean(), w.standardError()));
            if (i > 0) {
                Window p = windows.get(i - 1);
                s.append(String.format(Locale.ROOT, "   change %+.4f +- %.4f%s", w.mean() - p.mean(),
                        Math.hypot(w.standardError(), p.standardError()), significantlyLower(p, w) ? " (lower)" : ""));
            }
            s.append('\n');
        }
    }
}
