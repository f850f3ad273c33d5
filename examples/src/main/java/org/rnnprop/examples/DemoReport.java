package org.rnnprop.examples;

import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.rnnprop.examples.BaseMlpTraining.Framework;
import org.rnnprop.examples.BaseMlpTraining.Learned;
import org.rnnprop.examples.BaseMlpTraining.OptimizerChoice;
import org.rnnprop.examples.BaseMlpTraining.Run;

/** The demo's outputs: the text table, the CSV of the loss curves and their PNG plot. */
final class DemoReport {
    /** One colour per optimizer, the same in every framework's panel. */
    private static final Color[] COLORS = {
        new Color(0xD62728), new Color(0x1F77B4), new Color(0x2CA02C), new Color(0x9467BD), new Color(0xFF7F0E),
    };

    private DemoReport() {
    }

    /** Short column header: the shipped name of a learned optimizer, else its label. */
    private static String shortName(OptimizerChoice o) {
        return o instanceof Learned l ? l.name() : o.label();
    }

    /** The loss table (every {@code every} steps, plus the first and last), the summary and the cross-check. */
    static String table(List<Run> runs, int window, int every) {
        StringBuilder sb = new StringBuilder();
        int steps = runs.get(0).losses().length;
        sb.append("Training loss on each step's minibatch, before the step's update (step 1: initial parameters)\n\n");
        int[] width = new int[runs.size()];
        StringBuilder h1 = new StringBuilder(String.format("%6s", ""));
        StringBuilder h2 = new StringBuilder(String.format("%6s", "step"));
        Framework previous = null;
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            width[i] = Math.max(9, shortName(r.optimizer()).length()) + 2;
            String sep = r.framework() != previous ? " |" : "";
            h1.append(sep).append(String.format("%" + width[i] + "s", r.framework() != previous
                    ? padRight(" " + r.framework().label(), width[i]) : ""));
            h2.append(sep).append(String.format("%" + width[i] + "s", shortName(r.optimizer())));
            previous = r.framework();
        }
        sb.append(h1.toString().stripTrailing()).append('\n').append(h2).append('\n');
        List<Integer> rows = new ArrayList<>();
        rows.add(1);
        for (int s = every; s < steps; s += every) {
            rows.add(s);
        }
        if (steps > 1) {
            rows.add(steps);
        }
        for (int s : rows) {
            sb.append(String.format("%6d", s));
            previous = null;
            for (int i = 0; i < runs.size(); i++) {
                Run r = runs.get(i);
                sb.append(r.framework() != previous ? " |" : "");
                sb.append(String.format(Locale.ROOT, "%" + width[i] + ".4f", r.losses()[s - 1]));
                previous = r.framework();
            }
            sb.append('\n');
        }

        sb.append(String.format(Locale.ROOT, "%nAfter %d steps%n%n", steps));
        int labelWidth = runs.stream().mapToInt(r -> r.optimizer().label().length()).max().orElse(9);
        String head = String.format("%-9s %-" + labelWidth + "s  %10s  %16s  %13s  %8s%n", "framework", "optimizer",
                "first loss", "final loss (*)", "test accuracy", "time");
        sb.append(head);
        for (Run r : runs) {
            sb.append(String.format(Locale.ROOT, "%-9s %-" + labelWidth + "s  %10.4f  %16.4f  %12.2f%%  %6.1f s%n",
                    r.framework().label(), r.optimizer().label(), r.losses()[0], r.meanOfLast(window),
                    100 * r.testAccuracy(), r.seconds()));
        }
        sb.append(String.format(Locale.ROOT, "(*) mean training loss of the last %d steps%n", Math.min(window, steps)));

        // Same start and same minibatches: the two frameworks' curves should agree closely.
        Map<String, Run[]> pairs = new LinkedHashMap<>();
        for (Run r : runs) {
            pairs.computeIfAbsent(r.optimizer().label(), k -> new Run[2])[r.framework().ordinal()] = r;
        }
        StringBuilder agree = new StringBuilder();
        for (Map.Entry<String, Run[]> e : pairs.entrySet()) {
            Run a = e.getValue()[0];
            Run b = e.getValue()[1];
            if (a == null || b == null) {
                continue;
            }
            double max = 0;
            for (int s = 0; s < steps; s++) {
                max = Math.max(max, Math.abs(a.losses()[s] - b.losses()[s]));
            }
            agree.append(String.format(Locale.ROOT, "  %-" + labelWidth + "s  step 1: %.2e   largest: %.2e%n",
                    e.getKey(), Math.abs(a.losses()[0] - b.losses()[0]), max));
        }
        if (agree.length() > 0) {
            sb.append("\nDJL vs DL4J, absolute difference of the training losses (same start, same minibatches):\n");
            sb.append(agree);
        }
        return sb.toString();
    }

    private static String padRight(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    /** One row per step: {@code step}, then one column per run named {@code framework/optimizer-id}. */
    static void writeCsv(List<Run> runs, Path file) throws IOException {
        StringBuilder sb = new StringBuilder("step");
        for (Run r : runs) {
            sb.append(',').append(r.framework().name().toLowerCase(Locale.ROOT)).append('/').append(r.optimizer().id());
        }
        sb.append('\n');
        int steps = runs.get(0).losses().length;
        for (int s = 0; s < steps; s++) {
            sb.append(s + 1);
            for (Run r : runs) {
                sb.append(',').append(String.format(Locale.ROOT, "%.6f", r.losses()[s]));
            }
            sb.append('\n');
        }
        Files.writeString(file, sb, StandardCharsets.UTF_8);
    }

    /**
     * The loss curves as a PNG: one panel per framework side by side, on the same axes, one colour per
     * optimizer (the same in every panel).
     */
    static void writePlot(List<Run> runs, Path file, String title) throws IOException {
        List<String> optimizers = new ArrayList<>();
        List<Framework> frameworks = new ArrayList<>();
        double top = 0;
        for (Run r : runs) {
            if (!optimizers.contains(r.optimizer().label())) {
                optimizers.add(r.optimizer().label());
            }
            if (!frameworks.contains(r.framework())) {
                frameworks.add(r.framework());
            }
            for (float l : r.losses()) {
                if (Float.isFinite(l)) {
                    top = Math.max(top, l);
                }
            }
        }
        List<XYChart> charts = new ArrayList<>();
        for (Framework f : frameworks) {
            XYChart chart = new XYChartBuilder().width(700).height(520)
                    .title(title + " - " + f.label())
                    .xAxisTitle("step").yAxisTitle("training loss (minibatch of 128)").build();
            chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
            chart.getStyler().setPlotGridLinesVisible(true);
            chart.getStyler().setXAxisMin(0.0);
            chart.getStyler().setXAxisMax((double) runs.get(0).losses().length);
            chart.getStyler().setYAxisMin(0.0);
            chart.getStyler().setYAxisMax(Math.ceil(top * 2) / 2);  // the same scale in every panel
            for (Run r : runs) {
                if (r.framework() != f) {
                    continue;
                }
                double[] x = new double[r.losses().length];
                double[] y = new double[x.length];
                for (int s = 0; s < x.length; s++) {
                    x[s] = s + 1;
                    y[s] = r.losses()[s];
                }
                XYSeries series = chart.addSeries(r.optimizer().label(), x, y);
                series.setMarker(SeriesMarkers.NONE);
                series.setLineColor(COLORS[optimizers.indexOf(r.optimizer().label()) % COLORS.length]);
                series.setLineStyle(SeriesLines.SOLID);
            }
            // XChart puts the x ticks on every n-th data point (1, 10, 19, ...) when all x values are equally
            // spaced; one hidden point off the grid makes it choose round ticks (0, 20, 40, ...).
            XYSeries anchor = chart.addSeries(" ", new double[] {0.5}, new double[] {0.0});
            anchor.setMarker(SeriesMarkers.NONE);
            anchor.setShowInLegend(false);
            charts.add(chart);
        }
        // Written beside the target and moved into place, so a reader never sees half a file.
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp.png");
        BitmapEncoder.saveBitmap(charts, 1, charts.size(), tmp.toString(), BitmapEncoder.BitmapFormat.PNG);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
}
