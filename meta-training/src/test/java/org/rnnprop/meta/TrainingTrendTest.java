package org.rnnprop.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingTrendTest {
    @Test
    void windowsAreMeansOfCompleteWindowsWithTheirStandardErrors() {
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            rows.add(new double[] {i, i < 10 ? i % 2 : 5});
        }
        List<TrainingTrend.Window> w = TrainingTrend.windows(rows, 1, 10);

        assertEquals(2, w.size(), "iterations 20 to 24 are an incomplete window");
        assertEquals(0.5, w.get(0).mean(), 1e-12);
        assertEquals(Math.sqrt(0.25 * 10 / 9 / 10), w.get(0).standardError(), 1e-12);
        assertEquals(5, w.get(1).mean(), 1e-12);
        assertEquals(10, w.get(1).from());
        assertEquals(20, w.get(1).to());
    }

    @Test
    void aSteadilyFallingLossIsStillImproving() {
        List<TrainingTrend.Window> w = TrainingTrend.windows(noisyLog(2000, i -> 1.0 - 1e-4 * i), 1, 500);

        assertEquals(4, w.size());
        assertFalse(TrainingTrend.stoppedImproving(w));
    }

    @Test
    void aLossThatLevelsOffHasStoppedImprovingButOneFlatWindowIsNotEnough() {
        List<TrainingTrend.Window> levelled = TrainingTrend.windows(
                noisyLog(2500, i -> i < 1000 ? 1.0 - 2e-4 * i : 0.8), 1, 500);
        List<TrainingTrend.Window> oneFlatWindow = TrainingTrend.windows(
                noisyLog(2000, i -> i < 1500 ? 1.0 - 2e-4 * i : 0.75), 1, 500);

        assertTrue(TrainingTrend.stoppedImproving(levelled));
        assertFalse(TrainingTrend.stoppedImproving(oneFlatWindow));
    }

    @Test
    void theLongerViewShowsADriftTooSlowForTheWindowToWindowRule() {
        // 0.003 per window of 500 at noise s.d. 0.05: each change is about 1 standard error, four changes about 4.
        List<TrainingTrend.Window> drifting = TrainingTrend.windows(noisyLog(3000, i -> 1.0 - 6e-6 * i), 1, 500);
        List<TrainingTrend.Window> flat = TrainingTrend.windows(noisyLog(3000, i -> 1.0), 1, 500);

        assertTrue(TrainingTrend.stoppedImproving(drifting), "the rule cannot see it");
        assertTrue(TrainingTrend.longerView(drifting).startsWith("longer view: 500-999 to 2500-2999 changed -0.01"),
                TrainingTrend.longerView(drifting));
        assertTrue(TrainingTrend.longerView(drifting).contains("(lower)"), TrainingTrend.longerView(drifting));
        assertFalse(TrainingTrend.longerView(flat).contains("(lower)"), TrainingTrend.longerView(flat));
        assertEquals("", TrainingTrend.longerView(drifting.subList(0, 4)));
    }

    @Test
    void reportNamesTheVerdictAndTheValidations(@TempDir Path dir) throws IOException {
        RunDirectory run = new RunDirectory(dir);
        StringBuilder log = new StringBuilder("iteration,meta_loss,final_loss,ema,skipped_updates,seconds\n");
        noisyLog(1500, i -> 1.0 - 1e-4 * i).forEach(r -> log.append((long) r[0]).append(',').append(r[1])
                .append(",1,1,0,1\n"));
        Files.writeString(run.log(), log);
        StringBuilder validation = new StringBuilder("iteration,runs,learned_final_loss,adam_final_loss\n");
        for (int i = 99; i < 1500; i += 100) {
            validation.append(i).append(",2,").append(i < 500 ? 0.4 : 0.35).append(",0.3\n");
        }
        Files.writeString(run.validationLog(), validation);

        String report = TrainingTrend.report(run, 500);

        assertTrue(report.contains("still improving"), report);
        assertTrue(report.contains("500-999      5 epochs  0.3500 +- 0.0000   Adam 0.3000"), report);
    }

    /** Iterations 0 to {@code n - 1} with meta-loss {@code mean(i)} plus Gaussian noise of s.d. 0.05. */
    private static List<double[]> noisyLog(int n, LongToDoubleFunction mean) {
        Random r = new Random(7);
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(new double[] {i, mean.applyAsDouble(i) + 0.05 * r.nextGaussian()});
        }
        return rows;
    }
}
