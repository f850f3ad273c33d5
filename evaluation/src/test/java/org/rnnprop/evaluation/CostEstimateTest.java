package org.rnnprop.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --estimate}: a few timed steps per test, extrapolated to the runs the command line would make. */
class CostEstimateTest {

    @Test
    void theEstimateAddsTuningToTheComparisonRunsOfTheCountsGiven() {
        String out = QuickModeTest.run("--estimate", "--tests", "lstm-sine-100,lstm-sine-2000", "--runs", "3",
                "--tune-runs", "2", "--threads", "2");
        List<String> lines = out.lines().toList();
        String header = lines.stream().filter(l -> l.startsWith("test ")).findFirst().orElseThrow();
        assertEquals(CostEstimate.HEADER, header);
        for (String id : List.of("lstm-sine-100", "lstm-sine-2000")) {
            String[] f = lines.stream().filter(l -> l.startsWith(id + " ")).findFirst().orElseThrow().trim()
                    .split("\\s+");
            assertEquals(10, f.length, Arrays.toString(f));
            assertEquals(id.endsWith("2000") ? "2000" : "100", f[1]);
            assertEquals("3", f[2], "--runs");
            assertEquals("2", f[3], "--tune-runs");
            double adam = Double.parseDouble(f[4]);
            double rnnprop = Double.parseDouble(f[5]);
            assertTrue(adam > 0 && rnnprop > 0, Arrays.toString(f));
            assertEquals(0.0, Double.parseDouble(f[6]), "no test accuracy on the LSTM");
            double run = Double.parseDouble(f[7]);
            double tuning = Double.parseDouble(f[8]);
            // each column is rounded to 0.01: up to 0.005 off each, three times that for 3 x run
            assertEquals(tuning + 3 * run, Double.parseDouble(f[9]), 0.0251, "total = tuning + runs x one run");
        }
        assertTrue(out.contains("\nall: ") && out.contains("CPU hours"), out);
    }

    @Test
    void learnedOnlyCostsNoTuning() {
        String out = QuickModeTest.run("--estimate", "--learned-only", "--tests", "lstm-sine-100", "--tune-runs",
                "2", "--threads", "2");
        String[] f = out.lines().filter(l -> l.startsWith("lstm-sine-100 ")).findFirst().orElseThrow().trim()
                .split("\\s+");
        assertEquals(0.0, Double.parseDouble(f[8]), "no baseline is tuned: " + Arrays.toString(f));
        assertTrue(Double.parseDouble(f[5]) > 0, Arrays.toString(f));
    }
}
