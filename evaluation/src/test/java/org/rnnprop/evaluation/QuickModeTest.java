package org.rnnprop.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnprop.core.WeightFile;
import org.rnnprop.datasets.Mnist;
import org.rnnprop.pretrained.Pretrained;

/**
 * The suite end to end in quick mode on a tiny subset: the ReLU MLP (with two control variants, weights from
 * files), the LSTM task, and the CIFAR test without CIFAR; meta-training logs for the convex-term experiment
 * in the default run folders (suffix -lr1e-3).
 * Then the same command again, which must compute nothing and write the same numbers (the cache).
 */
class QuickModeTest {
    /** In the paper's order, which is the order of every output. */
    static final String[] TESTS = {"mnist-relu-100", "cnn-cifar-ccpf-100", "lstm-sine-100"};

    @TempDir
    static Path dir;
    static String[] args;
    static String firstOutput;

    @BeforeAll
    static void runOnce() throws Exception {
        if (!Mnist.isPresent(Mnist.defaultDirectory())) {
            fail("MNIST not found in " + Mnist.defaultDirectory() + ": run scripts/fetch-mnist.sh first");
        }
        // The RNNprop role's weights with another step bound: the same meta-training budget, so claim 10 is judged.
        Path variant = dir.resolve("variant.json");
        WeightFile.write(Pretrained.load(LearnedRole.RNNPROP.shippedFile()).withAlpha(0.05), variant);
        writeValidation(dir.resolve("runs/rnnprop-lr1e-3"), new double[] {0.9, 0.5, 0.28, 0.27});
        writeValidation(dir.resolve("runs/rnnprop-no-convex-lr1e-3"), new double[] {1.0, 0.8, 0.6, 0.5});
        args = new String[] {"--quick", "--steps", "10", "--threads", "2", "--tests", String.join(",", TESTS),
            "--weights", "rnnprop-no-scaling=" + variant, "--weights", "rnnprop-no-convex=" + variant,
            "--weights", "dm-optimizer=dm-optimizer-untrained", "--cifar", dir.resolve("no-cifar").toString(),
            "--work", dir.resolve("work").toString(), "--out", dir.resolve("docs/results").toString(),
            "--report", dir.resolve("docs/RESULTS.md").toString(), "--runs-dir", dir.resolve("runs").toString()};
        firstOutput = run(args);
    }

    /** 1 where the plugins' default is not the RNNprop role's file, so every test also runs it as a candidate. */
    static int shippedDefaultRows() {
        return Pretrained.resolve(Pretrained.DEFAULT_RNNPROP).equals(LearnedRole.RNNPROP.shippedFile()) ? 0 : 1;
    }

    static void writeValidation(Path run, double[] learned) throws Exception {
        Files.createDirectories(run);
        StringBuilder sb = new StringBuilder("iteration,runs,learned_final_loss,adam_final_loss,mean_difference,"
                + "standard_error,learned_wins\n");
        for (int i = 0; i < learned.length; i++) {
            sb.append(100 * i + 99).append(",2,").append(learned[i]).append(",0.3,0,0,0\n");
        }
        Files.writeString(run.resolve("validation.csv"), sb.toString());
    }

    static String run(String... a) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = EvaluateCli.run(new PrintStream(out, true, StandardCharsets.UTF_8), a);
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, text);
        return text;
    }

    static List<String[]> csv(String name) throws Exception {
        List<String[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("docs/results").resolve(name))) {
            rows.add(line.split(",", -1));
        }
        return rows;
    }

    @Test
    void statusSaysWhatRanAndWhyCifarDidNot() throws Exception {
        List<String[]> status = csv("status.csv");
        assertEquals(1 + TESTS.length, status.size());
        for (int i = 0; i < TESTS.length; i++) {
            assertEquals(TESTS[i], status.get(i + 1)[0]);
        }
        assertEquals("ran", status.get(1)[1]);
        assertEquals("skipped", status.get(2)[1]);
        assertTrue(status.get(2)[2].contains("--cifar"), status.get(2)[2]);
        assertEquals("ran", status.get(3)[1]);
        assertTrue(firstOutput.contains("cnn-cifar-ccpf-100: skipped"), firstOutput);
    }

    @Test
    void summaryHasEveryOptimizerOfEveryTestThatRan() throws Exception {
        List<String[]> rows = csv("summary.csv").subList(1, csv("summary.csv").size());
        List<String> relu = rows.stream().filter(r -> r[0].equals("mnist-relu-100")).map(r -> r[3]).toList();
        List<String> lstm = rows.stream().filter(r -> r[0].equals("lstm-sine-100")).map(r -> r[3]).toList();
        // six tuned baselines, Adam 1e-3, RNNprop, DMoptimizer, the plugins' default where it is other weights;
        // the control test also the three variants (two given, DMoptimizer with both tricks shipped)
        assertEquals(12 + shippedDefaultRows(), relu.size(), relu.toString());
        assertEquals(9 + shippedDefaultRows(), lstm.size(), lstm.toString());
        for (String prefix : List.of("sgd@", "momentum@", "adagrad@", "adadelta@", "rmsprop@", "adam@", "adam-1e-3",
                "rnnprop#", "dm-optimizer#", "rnnprop-no-scaling#", "rnnprop-no-convex#")) {
            assertTrue(relu.stream().anyMatch(k -> k.startsWith(prefix)), prefix + " in " + relu);
        }
        for (String[] r : rows) {
            assertEquals("10", r[1], "quick mode with --steps 10");
            assertEquals("2", r[2], "quick mode: 2 comparison runs");
            double mean = Double.parseDouble(r[6]);
            assertTrue(Double.isFinite(mean) && mean > 0, Arrays.toString(r));
        }
        // the learning-rate search left every tuned baseline's best rate inside its grid
        assertTrue(csv("lr-sensitivity.csv").size() > 6 * 3 * 2, "at least three grid points per baseline and test");
        // the curves: one row per step, a column per optimizer
        List<String[]> curve = csv("curves-lstm-sine-100.csv");
        assertEquals(1 + 10, curve.size());
        assertEquals(1 + 9 + shippedDefaultRows(), curve.get(0).length);
    }

    @Test
    void reportHasEverySectionBannersAndAllTenClaims() throws Exception {
        String md = Files.readString(dir.resolve("docs/RESULTS.md"));
        int at = -1;
        for (String s : Report.SECTIONS) {
            int next = md.indexOf("\n" + s + "\n");
            assertTrue(next > at, s + " missing or out of order");
            at = next;
        }
        assertTrue(md.contains("**QUICK MODE.**"));
        assertTrue(md.contains("**UNTRAINED WEIGHTS.**"));
        assertTrue(md.contains("scripts/evaluate.sh --quick --steps 10"), "the command is stated");
        assertTrue(md.contains("Wall time of this invocation"));
        assertTrue(md.matches("(?s).*of thread time in all \\(cached runs included\\), about [^\n]+ of wall time on "
                + "\\d+ threads.*"), "a resumed run still states what the whole run cost");
        for (int n = 1; n <= 10; n++) {
            assertTrue(md.matches("(?s).*\\n\\| " + n + " \\| [^\\n]*\\| "
                    + "\\*\\*(confirmed|refuted|not run)\\*\\* \\|.*"),
                    "claim " + n);
        }
        List<String[]> claims = csv("claims.csv");
        assertEquals(11, claims.size());
        String c7 = Files.readAllLines(dir.resolve("docs/results/claims.csv")).get(7);
        assertTrue(c7.contains("cnn-cifar-ccpf-100 skipped"), c7);
        String c9 = Files.readAllLines(dir.resolve("docs/results/claims.csv")).get(9);
        assertTrue(c9.startsWith("9,confirmed,"), "with the convex term reaches Adam at 300 iterations, never without: "
                + c9);
        assertTrue(c9.contains("300 with the convex term, not reached without"), c9);
        String c10 = Files.readAllLines(dir.resolve("docs/results/claims.csv")).get(10);
        assertTrue(!c10.startsWith("10,not run"), "the variants were given: " + c10);
        assertTrue(md.contains("cnn-cifar-ccpf-100: CIFAR-10 not found in"), "the skipped test and its reason");
        assertTrue(md.contains("drawn uniformly with replacement"), "how minibatches are drawn");
        assertTrue(md.contains("seed " + Suite.COMPARISON_SEED_BASE + " + i"), "the comparison seeds");
        assertTrue(md.contains("DMoptimizer with both tricks"), "the shipped DMoptimizer variant is in the report");
    }

    @Test
    void figuresExistAndAreLinked() throws Exception {
        String md = Files.readString(dir.resolve("docs/RESULTS.md"));
        for (String f : List.of("mnist-relu-100-curves.png", "mnist-relu-100-lr.png", "lstm-sine-100-curves.png",
                "lstm-sine-100-lr.png", "control-relu.png", "convex-term-training.png")) {
            Path p = dir.resolve("docs/results").resolve(f);
            assertTrue(Files.size(p) > 1000, f);
            byte[] head = Arrays.copyOf(Files.readAllBytes(p), 8);
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, head, f);
            assertTrue(md.contains("](results/" + f + ")"), f + " linked relative to RESULTS.md");
        }
    }

    @Test
    void comparisonAndTuningRunsUseTheirOwnSeeds() throws Exception {
        List<String> rows = Files.readAllLines(dir.resolve("work/lstm-sine-100.csv"));
        assertTrue(rows.get(0).startsWith(ResultCache.VERSION_PREFIX), rows.get(0));
        for (String row : rows.subList(2, rows.size())) {
            String[] f = row.split(",", -1);
            long seed = Long.parseLong(f[1]);
            boolean comparison = !f[6].isEmpty(); // only comparison runs keep curves
            long base = comparison ? Suite.COMPARISON_SEED_BASE : Suite.TUNING_SEED_BASE;
            assertTrue(seed >= base && seed < base + 2, row);
        }
    }

    @Test
    void aSecondRunResumesFromTheCacheAndGivesTheSameNumbers() throws Exception {
        byte[] summary = Files.readAllBytes(dir.resolve("docs/results/summary.csv"));
        List<String[]> status = csv("status.csv");
        // A row the run does not use (another seed) must not add to the test's compute time.
        Path reluCache = dir.resolve("work/mnist-relu-100.csv");
        Files.writeString(reluCache, Files.readString(reluCache) + "adam@-10,5,10,0.5,99999.0,1,\n");
        String second = run(args);
        assertTrue(second.contains("mnist-relu-100:") && second.contains("(0 rollouts computed"), second);
        assertTrue(!second.matches("(?s).*\\(([1-9][0-9]*) rollouts computed.*"), second);
        assertArrayEquals(summary, Files.readAllBytes(dir.resolve("docs/results/summary.csv")));
        List<String[]> again = csv("status.csv");
        for (int i = 1; i < status.size(); i++) {
            assertEquals(status.get(i)[8], again.get(i)[8], "compute seconds of " + status.get(i)[0]);
        }
        assertNotEquals(0, Files.size(dir.resolve("work/mnist-relu-100.csv")));
    }
}
