package org.rnnprop.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnprop.core.WeightFile;
import org.rnnprop.datasets.Mnist;
import org.rnnprop.pretrained.Pretrained;

/**
 * The tests beyond the paper end to end in quick mode, as short as they go (3 steps, 1 run): the ReLU-128 MLP,
 * LeNet-5 with its test accuracy, and a long horizon of the paper, with other weights as a candidate. The
 * numbers mean nothing; the wiring does: cosine rows, candidates, test accuracies, speed-ups, the report.
 */
class QuickBeyondTest {
    static final String[] TESTS = {"mnist-sigmoid-2000", "mnist-relu128-1000", Experiments.LENET5};

    @TempDir
    static Path dir;
    static String output;

    @BeforeAll
    static void runOnce() throws Exception {
        if (!Mnist.isPresent(Mnist.defaultDirectory())) {
            fail("MNIST not found in " + Mnist.defaultDirectory() + ": run scripts/fetch-mnist.sh first");
        }
        Path candidate = dir.resolve("new.json");
        WeightFile.write(Pretrained.load(LearnedRole.RNNPROP.shippedFile()).withAlpha(0.05), candidate);
        output = QuickModeTest.run("--quick", "--steps", "3", "--runs", "1", "--threads", "2", "--no-progress",
                "--tests", String.join(",", TESTS), "--candidate", "new=" + candidate,
                "--work", dir.resolve("work").toString(), "--out", dir.resolve("out").toString(),
                "--report", dir.resolve("RESULTS.md").toString(), "--runs-dir", dir.resolve("runs").toString());
    }

    static List<String[]> summary() throws Exception {
        List<String[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("out/summary.csv"))) {
            rows.add(line.split(",", -1));
        }
        return rows;
    }

    @Test
    void everyTestRunsTheCosineRowAndTheCandidateButDmOptimizerOnlyOnThePaperTest() throws Exception {
        List<String[]> rows = summary();
        assertTrue(rows.get(0)[11].equals("speed_up_vs_best_tuned") && rows.get(0)[13].equals("mean_test_accuracy"),
                String.join(",", rows.get(0)));
        for (String test : TESTS) {
            List<String> keys = rows.stream().filter(r -> r[0].equals(test)).map(r -> r[3]).toList();
            assertTrue(keys.stream().anyMatch(k -> k.startsWith("rnnprop#") && k.endsWith(Contender.COSINE_SUFFIX)),
                    test + ": " + keys);
            assertTrue(keys.stream().anyMatch(k -> k.startsWith("candidate#")), test + ": " + keys);
            assertEquals(test.equals("mnist-sigmoid-2000"), keys.stream().anyMatch(k -> k.startsWith("dm-optimizer#")),
                    test + ": " + keys);
            assertEquals("3", rows.stream().filter(r -> r[0].equals(test)).findFirst().orElseThrow()[1]);
        }
        assertTrue(output.contains("candidate new: " + dir.resolve("new.json")), output);
    }

    @Test
    void lenetScoresTheComparisonRunsOnTheTestSetAndOnlyThem() throws Exception {
        for (String[] r : summary().subList(1, summary().size())) {
            if (r[0].equals(Experiments.LENET5)) {
                double accuracy = Double.parseDouble(r[13]);
                assertTrue(accuracy >= 0 && accuracy <= 1, String.join(",", r));
            } else {
                assertEquals("", r[13], "no test accuracy on " + r[0]);
            }
        }
        int comparison = 0;
        for (String row : Files.readAllLines(dir.resolve("work/" + Experiments.LENET5 + ".csv"))) {
            String[] f = row.split(",", -1);
            if (row.startsWith("#") || row.startsWith("contender,")) {
                continue;
            }
            boolean isComparison = Long.parseLong(f[1]) >= Suite.COMPARISON_SEED_BASE;
            assertEquals(isComparison, !Double.isNaN(Double.parseDouble(f[7])), row);
            comparison += isComparison ? 1 : 0;
        }
        assertEquals(7 + 3 + QuickModeTest.shippedDefaultRows(), comparison,
                "six tuned baselines, Adam 1e-3, RNNprop, its cosine row, the candidate, the plugins' default");
    }

    @Test
    void theReportHasTheBeyondSectionWithSpeedUpsAccuraciesAndTheCandidate() throws Exception {
        String md = Files.readString(dir.resolve("RESULTS.md"));
        String beyond = md.substring(md.indexOf("\n## Beyond the paper\n"), md.indexOf("\n## Control experiment\n"));
        for (String test : TESTS) {
            assertTrue(beyond.contains("\n| " + test + " | 3 | 1 | "), test + " in\n" + beyond);
        }
        assertTrue(beyond.contains("\n### Test accuracy\n") && beyond.contains("| " + Experiments.LENET5
                + " | RNNprop cosine | "), beyond);
        assertTrue(beyond.contains("test images") || md.contains("first " + Suite.QUICK_TEST_EXAMPLES + " test"), md);
        assertTrue(beyond.contains("\n### Other weights\n") && beyond.contains("| mnist-relu128-1000 | new | "),
                beyond);
        assertTrue(md.contains("| candidate new | `" + dir.resolve("new.json") + "` |"), "setup names the candidate");
        assertTrue(md.contains("| RNNprop vs best tuned | speed-up |"), "the speed-up column of every test");
        assertTrue(md.contains("Tracker.cosine().setBaseValue(1f).setMaxUpdates(steps)"), "the cosine is stated");
        assertFalse(md.contains("| " + Experiments.LENET5 + " | 3 | 1 | –"),
                "LeNet-5 ran with a best tuned baseline");
        assertTrue(md.contains("- `lenet5-mnist-2epochs` (938 steps; full suite: 10 runs, tuning runs per rate: 2): "
                + "LeNet-5"),
                "the tests are listed with their run counts");
    }
}
