package org.rnnprop.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/** The bold cell of the table of every test follows the same best tuned baseline as the claims. */
class ReportTest {

    static List<Optional<ExperimentResult.ContenderResult>> row(ExperimentResult r) {
        List<Optional<ExperimentResult.ContenderResult>> row = new ArrayList<>();
        r.contenders().forEach(c -> row.add(Optional.of(c)));
        return row;
    }

    @Test
    void boldIsAmongTheBestTunedBaselineAndTheUntunedWithoutDivergence() {
        // Adam tuned best at 0.5 (others 1.0); RNNprop 0.6
        ExperimentResult r = ClaimsTest.result("mnist-sigmoid-100", 0.5, Map.of(LearnedRole.RNNPROP, 0.6));
        assertSame(r.bestTuned().orElseThrow(), Report.boldCell(r, row(r)).orElseThrow());

        // SGD is lower on the comparison runs, but it is not the best tuned baseline; RNNprop is next
        List<ExperimentResult.ContenderResult> cs = new ArrayList<>(r.contenders());
        cs.replaceAll(c -> c.contender().baseline() == Baseline.SGD ? ClaimsTest.tuned(Baseline.SGD, -10, 0.3)
                : c.contender().baseline() == Baseline.ADAM ? ClaimsTest.divergedAt(c, 0) : c);
        ExperimentResult lucky = new ExperimentResult(r.experiment(), 100, 20, 3, null, cs, r.grids(), 0, 0, 0);
        assertEquals(Baseline.ADAM, lucky.bestTuned().orElseThrow().contender().baseline());
        assertEquals(LearnedRole.RNNPROP, Report.boldCell(lucky, row(lucky)).orElseThrow().role(),
                "Adam diverged once, SGD is not the chosen baseline");

        // a learned optimizer with a diverged run is not bold either, however low its mean
        ExperimentResult rnnpropDiverged = ClaimsTest.replace(r, LearnedRole.RNNPROP,
                ClaimsTest.divergedAt(ClaimsTest.learned(LearnedRole.RNNPROP, 0.1, new float[] {2.3f, 0.1f}), 4));
        assertEquals(Baseline.ADAM, Report.boldCell(rnnpropDiverged, row(rnnpropDiverged)).orElseThrow().contender()
                .baseline());
    }

    @Test
    void aBudgetNamesTheChosenSnapshotWhenItIsEarlier() {
        assertEquals("1300", Report.budget(ClaimsTest.weights(1300).provenance()));
        assertEquals("1300 (snapshot at 400)", Report.budget(ClaimsTest.weights(400,
                Map.of(org.rnnprop.core.Provenance.BUDGET, "1300")).provenance()));
    }

    @Test
    void spreadShowsTheMedianWorstRunAndRunsFarAboveTheMedian() {
        double[] finals = new double[30];
        Arrays.fill(finals, 0.13);
        finals[3] = 2.30;
        finals[17] = 2.31;
        finals[20] = Double.NaN;
        ExperimentResult.ContenderResult stuck = ClaimsTest.learned(LearnedRole.RNNPROP, finals,
                new float[] {2.3f, 0.2f}, 1000);

        assertEquals(" | 0.1300 [0.1300, 0.1300] | 2.310 | 2 (+1 diverged)", Report.spreadCells(stuck));
        String tuned = Report.spreadCells(ClaimsTest.tuned(Baseline.ADAM, -10, 0.5));
        assertTrue(tuned.startsWith(" | Adam 2^-5: 0.5") && tuned.endsWith(" | 0"), tuned);
    }

    @Test
    void lossAxesAreCutAtThreeTimesTheHighestFirstStepLoss(@TempDir Path dir)
            throws IOException {
        ExperimentResult.ContenderResult calm = ClaimsTest.learned(LearnedRole.RNNPROP, 0.2, new float[] {2.3f, 0.2f});
        ExperimentResult.ContenderResult wild = new ExperimentResult.ContenderResult(
                Contender.baseline(Baseline.SGD, 0), null, ClaimsTest.losses(0.5, 20),
                new float[] {2.0f, 1e27f, Float.NaN}, 1);

        assertEquals(6.9, Plots.curveCap(List.of(calm, wild)), 1e-5);
        assertTrue(Plots.curves(List.of(calm, wild), "t", dir.resolve("t.png")));
        assertTrue(Files.size(dir.resolve("t.png")) > 0);

        XYChart chart = new XYChartBuilder().title("t").build();
        chart.addSeries("calm", new double[] {1, 2}, new double[] {2.3, 0.2});
        assertFalse(Plots.cutAxis(chart, 6.9));
        assertEquals("t", chart.getTitle());
        chart.addSeries("wild", new double[] {1, 2}, new double[] {2.0, 1e27});
        assertTrue(Plots.cutAxis(chart, 6.9));
        assertEquals(6.9, chart.getStyler().getYAxisMax(), 1e-12);
        assertEquals("t (axis cut at 6.90)", chart.getTitle());
    }
}
