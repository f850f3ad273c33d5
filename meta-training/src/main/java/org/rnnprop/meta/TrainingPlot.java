package org.rnnprop.meta;

import java.io.IOException;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.rnnprop.core.internal.AtomicFiles;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The PNG training curve of a run: moving-average meta-loss, and validation against Adam. */
final class TrainingPlot {
    private TrainingPlot() {
    }

    static void write(RunDirectory run, String title) throws IOException {
        List<double[]> log = RunDirectory.readCsv(run.log());
        List<double[]> val = RunDirectory.readCsv(run.validationLog());
        if (log.isEmpty()) {
            return;
        }
        XYChart chart = new XYChartBuilder().width(900).height(500).title(title)
                .xAxisTitle("meta-training iteration").yAxisTitle("loss").build();
        chart.getStyler().setMarkerSize(4);
        series(chart, "meta-loss per iteration", log, 0, 1, false).setLineWidth(0.5f);
        series(chart, "meta-loss (moving average, decay " + MetaTrainCli.EMA_DECAY + ")", log, 0, 3, false);
        if (!val.isEmpty()) {
            series(chart, "validation: learned, final loss", val, 0, 2, true);
            series(chart, "validation: Adam 2^-5, final loss", val, 0, 3, true);
        }
        AtomicFiles.write(run.plot(), out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }

    private static XYSeries series(XYChart chart, String name, List<double[]> rows, int x, int y, boolean markers) {
        double[] xs = new double[rows.size()];
        double[] ys = new double[rows.size()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = rows.get(i)[x] + 1;
            ys[i] = rows.get(i)[y];
        }
        XYSeries s = chart.addSeries(name, xs, ys);
        s.setMarker(markers ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        return s;
    }
}
