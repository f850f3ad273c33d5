package org.rnnprop.examples.notebook;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * One panel of line curves, and the PNG of one or more panels side by side: what the notebooks plot.
 *
 * <pre>{@code
 * LinePlot loss = new LinePlot("LeNet-5 on MNIST", "step", "training loss");
 * loss.line("Adam 1e-3", steps, adamLoss).line("RNNprop", steps, rnnpropLoss);
 * LinePlot.save(Path.of("out/loss.png"), loss, accuracy);
 * }</pre>
 */
public final class LinePlot {
    /** Colours of the series in the order they are added (then repeated). */
    private static final Color[] COLORS = {
        new Color(0xD62728), new Color(0x1F77B4), new Color(0x2CA02C), new Color(0x9467BD), new Color(0xFF7F0E),
        new Color(0x8C564B), new Color(0xE377C2), new Color(0x7F7F7F),
    };

    private final XYChart chart;
    private int series;

    /** An empty panel with a title and axis names. */
    public LinePlot(String title, String xAxis, String yAxis) {
        chart = new XYChartBuilder().width(640).height(480).title(title).xAxisTitle(xAxis).yAxisTitle(yAxis).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setPlotGridLinesVisible(true);
    }

    /** Adds a curve without markers. */
    public LinePlot line(String name, double[] x, double[] y) {
        add(name, x, y, null, false);
        return this;
    }

    /** Adds a curve with a marker at every point (for a few points, such as one per epoch). */
    public LinePlot points(String name, double[] x, double[] y) {
        add(name, x, y, null, true);
        return this;
    }

    /** Adds points with error bars of half-width {@code error}. */
    public LinePlot points(String name, double[] x, double[] y, double[] error) {
        add(name, x, y, error, true);
        return this;
    }

    /** Adds a curve through the values {@code y[0], y[1], ...} at x = 1, 2, ... (steps). */
    public LinePlot line(String name, float[] y) {
        double[] x = new double[y.length];
        double[] v = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            x[i] = i + 1;
            v[i] = y[i];
        }
        return line(name, x, v);
    }

    private void add(String name, double[] x, double[] y, double[] error, boolean markers) {
        if (x.length != y.length || (error != null && error.length != y.length)) {
            throw new IllegalArgumentException("series '" + name + "': " + x.length + " x values, " + y.length
                    + " y values" + (error == null ? "" : ", " + error.length + " errors"));
        }
        if (x.length == 0) {
            throw new IllegalArgumentException("series '" + name + "' has no points");
        }
        XYSeries s = error == null ? chart.addSeries(name, x, y) : chart.addSeries(name, x, y, error);
        s.setLineColor(COLORS[series % COLORS.length]);
        s.setMarkerColor(COLORS[series % COLORS.length]);
        s.setMarker(markers ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        series++;
    }

    /** Logarithmic x axis (all x values must be positive). */
    public LinePlot logX() {
        chart.getStyler().setXAxisLogarithmic(true);
        return this;
    }

    /** Logarithmic y axis (all y values must be positive). */
    public LinePlot logY() {
        chart.getStyler().setYAxisLogarithmic(true);
        return this;
    }

    /** Fixes the y range. */
    public LinePlot yRange(double min, double max) {
        chart.getStyler().setYAxisMin(min);
        chart.getStyler().setYAxisMax(max);
        return this;
    }

    /** Number of series added. */
    public int seriesCount() {
        return series;
    }

    /**
     * Writes the panels side by side as one PNG. The file is written beside its target and moved into place, so
     * a reader never sees half a file.
     */
    public static void save(Path file, LinePlot... panels) throws IOException {
        if (panels.length == 0) {
            throw new IllegalArgumentException("nothing to plot");
        }
        for (LinePlot p : panels) {
            if (p.series == 0) {
                throw new IllegalArgumentException("panel '" + p.chart.getTitle() + "' has no series");
            }
        }
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        List<XYChart> charts = new ArrayList<>(Arrays.stream(panels).map(p -> p.chart).toList());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp.png");
        BitmapEncoder.saveBitmap(new ArrayList<>(charts), 1, charts.size(), tmp.toString(),
                BitmapEncoder.BitmapFormat.PNG);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * A moving average over {@code window} values (fewer at the start), so noisy minibatch losses read as a
     * curve.
     */
    public static float[] smooth(float[] values, int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1, got " + window);
        }
        float[] out = new float[values.length];
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            sum += values[i];
            if (i >= window) {
                sum -= values[i - window];
            }
            out[i] = (float) (sum / Math.min(i + 1, window));
        }
        return out;
    }
}
