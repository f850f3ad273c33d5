package org.rnnprop.evaluation;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.DoubleStream;
import org.knowm.xchart.BitmapEncoder;
import org.rnnprop.core.internal.AtomicFiles;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's figures (PNG, XChart). Non-finite points are left out: XChart cannot draw them. */
public final class Plots {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 520;
    /** Matplotlib's tab10, easier to tell apart than XChart's default. */
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0xbcbd22), new Color(0x17becf)};

    /**
     * Loss axes end at this many times a reference loss: the highest first-step loss for curves, the lowest
     * final loss for learning-rate sensitivity.
     */
    static final double AXIS_FACTOR = 3;

    private Plots() {
    }

    /**
     * Mean training loss per step of the given contenders of a test; false if nothing to draw. The loss axis
     * ends at {@link #AXIS_FACTOR} times the highest first-step loss, and the title says so when a curve leaves
     * it: one diverging run would otherwise stretch the axis until every other curve is a flat line.
     */
    public static boolean curves(List<ExperimentResult.ContenderResult> which, String title, Path file)
            throws IOException {
        XYChart chart = chart(title, "step", "training loss (mean over runs)");
        for (ExperimentResult.ContenderResult c : which) {
            int n = c.meanCurve().length;
            double[] x = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = Curves.stepOf(i, c.window());
                y[i] = c.meanCurve()[i];
            }
            XYSeries s = line(chart, c.label(), x, y, false);
            if (s != null && c.role() != null) {
                learnedStyle(s, c.role());
            }
        }
        cutAxis(chart, curveCap(which));
        return save(chart, file);
    }

    /** Final loss against learning rate for every tuned baseline, the learned optimizers as horizontal lines. */
    public static boolean learningRates(ExperimentResult r, Path file) throws IOException {
        XYChart chart = chart(r.experiment().id() + ": final loss against learning rate (tuning runs)",
                "log2 learning rate", "final loss");
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (var e : r.grids().entrySet()) {
            List<ExperimentResult.GridPoint> pts = e.getValue().stream().filter(g -> g.diverged() == 0).toList();
            double[] x = pts.stream().mapToDouble(g -> g.halfExponent() / 2.0).toArray();
            double[] y = pts.stream().mapToDouble(ExperimentResult.GridPoint::mean).toArray();
            for (ExperimentResult.GridPoint g : e.getValue()) {
                lo = Math.min(lo, g.halfExponent() / 2.0);
                hi = Math.max(hi, g.halfExponent() / 2.0);
            }
            XYSeries s = line(chart, e.getKey().label(), x, y, false);
            if (s != null) {
                s.setMarker(SeriesMarkers.CIRCLE);
            }
        }
        for (LearnedRole role : List.of(LearnedRole.RNNPROP, LearnedRole.DM_OPTIMIZER)) {
            Optional<ExperimentResult.ContenderResult> l = r.learned(role);
            if (l.isPresent() && Double.isFinite(lo)) {
                XYSeries s = line(chart, role.label(), new double[] {lo, hi},
                        new double[] {l.get().mean(), l.get().mean()}, false);
                if (s != null) {
                    learnedStyle(s, role);
                }
            }
        }
        double lowest = yValues(chart).filter(Double::isFinite).min().orElse(Double.POSITIVE_INFINITY);
        cutAxis(chart, AXIS_FACTOR * lowest);
        return save(chart, file);
    }

    /** Final loss against the number of hidden layers. */
    public static boolean depth(List<ExperimentResult> byDepth, Path file) throws IOException {
        XYChart chart = chart("MLPs of 1 to 10 sigmoid layers, 100 steps", "hidden layers", "final loss");
        List<String> names = List.of("Adam (tuned)", LearnedRole.RNNPROP.label(), LearnedRole.DM_OPTIMIZER.label(),
                "best tuned algorithm");
        for (String name : names) {
            List<double[]> pts = new ArrayList<>();
            for (ExperimentResult r : byDepth) {
                Optional<ExperimentResult.ContenderResult> c = switch (name) {
                    case "Adam (tuned)" -> r.baseline(Baseline.ADAM);
                    case "best tuned algorithm" -> r.bestTuned();
                    default -> r.contenders().stream().filter(x -> x.role() != null && x.role().label().equals(name))
                            .findFirst();
                };
                c.ifPresent(x -> pts.add(new double[] {r.experiment().depth(), x.mean()}));
            }
            XYSeries s = line(chart, name, pts.stream().mapToDouble(p -> p[0]).toArray(),
                    pts.stream().mapToDouble(p -> p[1]).toArray(), false);
            if (s != null) {
                s.setMarker(SeriesMarkers.CIRCLE);
                if (name.equals(LearnedRole.RNNPROP.label())) {
                    learnedStyle(s, LearnedRole.RNNPROP);
                } else if (name.equals(LearnedRole.DM_OPTIMIZER.label())) {
                    learnedStyle(s, LearnedRole.DM_OPTIMIZER);
                }
            }
        }
        return save(chart, file);
    }

    /**
     * Signed series on a linear axis, e.g. differences of mean loss curves from a reference, with a zero line;
     * non-finite points left out. False (nothing written) if there is nothing to draw.
     */
    public static boolean signed(String title, String x, String y, double[] xs, java.util.Map<String, double[]> series,
            Path file) throws IOException {
        XYChart chart = chart(title, x, y);
        series.forEach((name, ys) -> {
            List<double[]> keep = new ArrayList<>();
            for (int i = 0; i < xs.length; i++) {
                if (Double.isFinite(ys[i])) {
                    keep.add(new double[] {xs[i], ys[i]});
                }
            }
            if (!keep.isEmpty()) {
                chart.addSeries(name, keep.stream().mapToDouble(p -> p[0]).toArray(),
                        keep.stream().mapToDouble(p -> p[1]).toArray()).setMarker(SeriesMarkers.NONE);
            }
        });
        if (chart.getSeriesMap().isEmpty()) {
            return false;
        }
        XYSeries zero = chart.addSeries("0", new double[] {xs[0], xs[xs.length - 1]}, new double[] {0, 0});
        zero.setMarker(SeriesMarkers.NONE);
        zero.setLineColor(Color.GRAY);
        zero.setLineStyle(SeriesLines.DASH_DASH);
        zero.setShowInLegend(false);
        byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        AtomicFiles.write(file, out -> out.write(png));
        return true;
    }

    /** Validation loss during meta-training, with and without the convex term. */
    public static boolean convex(TrainingLogs.Comparison c, Path file) throws IOException {
        XYChart chart = chart("Meta-training with and without the convex term: validation on the base MLP",
                "meta-training iteration", "final loss, base MLP, 100 steps");
        for (TrainingLogs.Run run : List.of(c.with(), c.without())) {
            line(chart, run.recipe(), run.rows().stream().mapToDouble(TrainingLogs.Validation::iteration).toArray(),
                    run.rows().stream().mapToDouble(TrainingLogs.Validation::learned).toArray(), false);
        }
        TrainingLogs.Run any = c.with().present() ? c.with() : c.without();
        line(chart, "Adam 2^-5", any.rows().stream().mapToDouble(TrainingLogs.Validation::iteration).toArray(),
                any.rows().stream().mapToDouble(TrainingLogs.Validation::adam).toArray(), true);
        return save(chart, file);
    }

    private static XYChart chart(String title, String x, String y) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(x).yAxisTitle(y)
                .build();
        chart.getStyler().setSeriesColors(PALETTE);
        chart.getStyler().setMarkerSize(5);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        return chart;
    }

    /**
     * Ends the loss axis at {@code cap} when some value drawn is above it, and says so in the title; XChart
     * clips what lies beyond. True if it cut.
     */
    static boolean cutAxis(XYChart chart, double cap) {
        boolean above = yValues(chart).anyMatch(y -> y > cap);
        if (above) {
            chart.getStyler().setYAxisMax(cap);
            chart.setTitle(String.format(Locale.ROOT, "%s (axis cut at %.3g)", chart.getTitle(), cap));
        }
        return above;
    }

    /** {@link #AXIS_FACTOR} times the highest finite first-step mean loss; infinite if there is none. */
    static double curveCap(List<ExperimentResult.ContenderResult> which) {
        return AXIS_FACTOR * which.stream().filter(c -> c.meanCurve().length > 0).mapToDouble(c -> c.meanCurve()[0])
                .filter(Double::isFinite).max().orElse(Double.POSITIVE_INFINITY);
    }

    /** Every y value drawn on the chart. */
    private static DoubleStream yValues(XYChart chart) {
        return chart.getSeriesMap().values().stream().flatMapToDouble(x -> Arrays.stream(x.getYData()));
    }

    /** Adds the finite, positive points as a line; null if there are none. */
    private static XYSeries line(XYChart chart, String name, double[] x, double[] y, boolean dashed) {
        List<double[]> keep = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(y[i]) && y[i] > 0) {
                keep.add(new double[] {x[i], y[i]});
            }
        }
        if (keep.isEmpty()) {
            return null;
        }
        XYSeries s = chart.addSeries(name, keep.stream().mapToDouble(p -> p[0]).toArray(),
                keep.stream().mapToDouble(p -> p[1]).toArray());
        s.setMarker(SeriesMarkers.NONE);
        if (dashed) {
            s.setLineStyle(SeriesLines.DASH_DASH);
        }
        return s;
    }

    /** RNNprop a thick black line, DMoptimizer a thick dark-red dashed one, the variants dashed in their colours. */
    private static void learnedStyle(XYSeries s, LearnedRole role) {
        s.setLineWidth(role.main() ? 3f : 2f);
        switch (role) {
            case RNNPROP -> s.setLineColor(Color.BLACK);
            case DM_OPTIMIZER -> {
                s.setLineColor(new Color(0x8B0000));
                s.setLineStyle(SeriesLines.DASH_DASH);
            }
            default -> s.setLineStyle(SeriesLines.DASH_DASH);
        }
        s.setMarkerColor(s.getLineColor());
    }

    /** A logarithmic loss axis only when the losses span more than a factor of 20 (else it shows no ticks). */
    private static void chooseScale(XYChart chart) {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        Double axisMax = chart.getStyler().getYAxisMax();
        double top = axisMax == null ? Double.POSITIVE_INFINITY : axisMax;
        for (XYSeries s : chart.getSeriesMap().values()) {
            for (double y : s.getYData()) {
                min = Math.min(min, y);
                max = Math.max(max, Math.min(y, top));
            }
        }
        chart.getStyler().setYAxisLogarithmic(max > 20 * min);
    }

    /**
     * Writes through {@link AtomicFiles} so a reader never sees half a PNG; false (and nothing written) when the
     * chart has no series.
     */
    private static boolean save(XYChart chart, Path file) throws IOException {
        if (chart.getSeriesMap().isEmpty()) {
            return false;
        }
        chooseScale(chart);
        byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        AtomicFiles.write(file, out -> out.write(png));
        return true;
    }
}
