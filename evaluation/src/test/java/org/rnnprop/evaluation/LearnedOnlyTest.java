package org.rnnprop.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnprop.core.WeightFile;
import org.rnnprop.datasets.Mnist;
import org.rnnprop.pretrained.Pretrained;

/**
 * {@code --learned-only}: the learned optimizers and Adam 1e-3 on the comparison seeds, no tuning, a report that
 * says so, and runs that a full run over the same cache reuses instead of computing again.
 */
class LearnedOnlyTest {
    static final String TEST = "mnist-sigmoid-100";

    @TempDir
    Path dir;

    @Test
    void runsNoBaselineAndAFullRunReusesItsRuns() throws Exception {
        if (!Mnist.isPresent(Mnist.defaultDirectory())) {
            fail("MNIST not found in " + Mnist.defaultDirectory() + ": run scripts/fetch-mnist.sh first");
        }
        Path candidate = dir.resolve("new.json");
        WeightFile.write(Pretrained.load(LearnedRole.RNNPROP.shippedFile()).withAlpha(0.05), candidate);
        String[] common = {"--quick", "--steps", "3", "--runs", "2", "--threads", "2", "--no-progress", "--tests",
            TEST, "--candidate", "new=" + candidate, "--work", dir.resolve("work").toString(),
            "--runs-dir", dir.resolve("runs").toString()};

        String head = QuickModeTest.run(concat(common, "--learned-only", "--out", dir.resolve("lo").toString(),
                "--report", dir.resolve("lo.md").toString()));
        List<String> rows = cacheRows();
        assertTrue(rows.stream().noneMatch(r -> Long.parseLong(r.split(",")[1]) < Suite.COMPARISON_SEED_BASE),
                "no tuning run: " + rows);
        assertTrue(rows.stream().noneMatch(r -> r.startsWith("sgd@") || r.startsWith("adam@")),
                "no tuned baseline: " + rows);
        // Adam 1e-3, RNNprop, DMoptimizer (the paper's base test runs it), the candidate and the plugins' default
        // where it is other weights, two seeds each
        int learned = 4 + QuickModeTest.shippedDefaultRows();
        assertEquals(learned * 2, rows.size(), String.join("\n", rows));
        assertTrue(head.contains(TEST + ": RNNprop "), head);

        String md = Files.readString(dir.resolve("lo.md"));
        assertTrue(md.contains("**LEARNED OPTIMIZERS ONLY**"), "the report says what it lacks");
        String others = md.substring(md.indexOf("\n### Other weights\n"));
        assertTrue(others.contains("| " + TEST + " | new | ") && others.contains("(p = "),
                "the candidate against RNNprop, paired: " + others);

        String full = QuickModeTest.run(concat(common, "--out", dir.resolve("full").toString(),
                "--report", dir.resolve("full.md").toString()));
        assertTrue(full.contains(" cached)"), full);
        String counts = full.substring(full.indexOf(TEST + ": "));
        int cached = Integer.parseInt(counts.replaceAll("(?s).* (\\d+) cached\\).*", "$1"));
        assertEquals(learned * 2, cached, "the learned runs come from the cache: " + counts);
        assertNotEquals(rows.size(), cacheRows().size(), "the full run added the baselines");
    }

    @Test
    void refusesToReplaceTheFullReport() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream err = System.err;
        int status;
        try {
            System.setErr(stream);
            status = EvaluateCli.run(stream, "--learned-only", "--quick", "--tests", TEST, "--work",
                    dir.resolve("work").toString());
        } finally {
            System.setErr(err);
        }
        assertEquals(2, status);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("pass --report and --out"), out.toString());
        assertTrue(!Files.exists(dir.resolve("work")), "nothing ran");
    }

    private List<String> cacheRows() throws Exception {
        return Files.readAllLines(dir.resolve("work").resolve(TEST + ".csv")).stream()
                .filter(r -> !r.startsWith("#") && !r.startsWith("contender,")).toList();
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
