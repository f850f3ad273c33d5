package org.rnnprop.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scripts/state-precision.sh end to end on the LSTM test (no data needed), as short as it goes. */
class StatePrecisionCliTest {

    private static String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = StatePrecisionCli.run(new PrintStream(out, true, StandardCharsets.UTF_8), args);
        return status + "\n" + out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void pairedRunsUnderEachPrecisionGiveTheReportTheCurvesAndTheFinalLosses(@TempDir Path dir) throws Exception {
        String out = run("--tests", "lstm-sine-100", "--runs", "2", "--steps", "6", "--out", dir.toString(),
                "--work", dir.resolve("work").toString());
        assertTrue(out.startsWith("0\n"), out);
        String report = Files.readString(dir.resolve("REPORT.md"));
        assertTrue(report.contains("| float32 | 328 | 82 | 26,188,824 |"), report);
        assertTrue(report.contains("| float16 | 168 | 42 | 51,130,563 |"), report);
        assertTrue(report.contains("| bfloat16 | 168 | 42 | 51,130,563 |"), report);
        assertTrue(report.contains("2 runs of 6 steps"), report);
        List<String> finals = Files.readAllLines(dir.resolve("lstm-sine-100-final.csv"));
        assertEquals(List.of("seed", "float32", "float16", "bfloat16"), List.of(finals.get(0).split(",")));
        assertEquals(3, finals.size());
        for (String row : finals.subList(1, 3)) {
            String[] v = row.split(",");
            double f32 = Double.parseDouble(v[1]);
            assertTrue(Double.isFinite(f32) && f32 > 0, row);
            // Six steps from the same start: the 16-bit runs are still close to the float32 one.
            assertEquals(f32, Double.parseDouble(v[2]), 0.05 * f32, row);
            assertEquals(f32, Double.parseDouble(v[3]), 0.05 * f32, row);
        }
        List<String> curves = Files.readAllLines(dir.resolve("lstm-sine-100-curves.csv"));
        assertEquals(7, curves.size(), "a header and one row per step");
        String[] first = curves.get(1).split(",");
        assertEquals(first[1], first[2], "the first step's loss precedes any update");
        assertTrue(Files.size(dir.resolve("lstm-sine-100.png")) > 0);
        assertTrue(Files.size(dir.resolve("lstm-sine-100-difference.png")) > 0);
    }

    @Test
    void theSimulatedEightBitFormatsRunBesideFloat32(@TempDir Path dir) throws Exception {
        String out = run("--tests", "lstm-sine-100", "--runs", "1", "--steps", "4", "--precisions",
                "float32,int8-h,int8-hc", "--out", dir.toString(),
                "--work", dir.resolve("work").toString());
        assertTrue(out.startsWith("0\n"), out);
        String report = Files.readString(dir.resolve("REPORT.md"));
        assertTrue(report.contains("| int8-h | 132 | 33 | 65,075,262 |"), report);
        assertTrue(report.contains("| int8-hc | 96 | 24 | 89,478,485 |"), report);
        assertTrue(report.contains("int8-h and int8-hc are simulated"), report);
        List<String> finals = Files.readAllLines(dir.resolve("lstm-sine-100-final.csv"));
        assertEquals(List.of("seed", "float32", "int8-h", "int8-hc"), List.of(finals.get(0).split(",")));
        String[] v = finals.get(1).split(",");
        double f32 = Double.parseDouble(v[1]);
        assertEquals(f32, Double.parseDouble(v[2]), 0.05 * f32, finals.get(1));
        assertEquals(f32, Double.parseDouble(v[3]), 0.05 * f32, finals.get(1));
    }

    @Test
    void aStoppedCheckResumesFromItsFinishedRuns(@TempDir Path dir) throws Exception {
        String[] common = {"--tests", "lstm-sine-100", "--steps", "5", "--work", dir.resolve("work").toString()};
        assertTrue(run(concat(common, "--runs", "2", "--out", dir.resolve("a").toString())).startsWith("0\n"));
        PrintStream err = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        String out;
        try {
            System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
            out = run(concat(common, "--runs", "3", "--out", dir.resolve("b").toString()));
        } finally {
            System.setErr(err);
        }
        assertTrue(out.startsWith("0\n"), out);
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("2 of 3 seeds"), log.toString());
        List<String> first = Files.readAllLines(dir.resolve("a/lstm-sine-100-final.csv"));
        List<String> second = Files.readAllLines(dir.resolve("b/lstm-sine-100-final.csv"));
        assertEquals(first, second.subList(0, 3), "the two cached seeds as they were");
        assertEquals(4, second.size());
        // three precisions of three seeds, a version line and a header
        assertEquals(2 + 9, Files.readAllLines(dir.resolve("work/lstm-sine-100.csv")).size());

        // Another precision later: only its runs are trained, and every run equals a fresh check's.
        String[] more = concat(common, "--runs", "3", "--precisions", "float32,float16,bfloat16,int8-h");
        assertTrue(run(concat(more, "--out", dir.resolve("c").toString())).startsWith("0\n"));
        assertEquals(2 + 12, Files.readAllLines(dir.resolve("work/lstm-sine-100.csv")).size());
        String[] fresh = more.clone();
        fresh[java.util.Arrays.asList(fresh).indexOf("--work") + 1] = dir.resolve("fresh").toString();
        assertTrue(run(concat(fresh, "--out", dir.resolve("d").toString())).startsWith("0\n"));
        assertEquals(Files.readAllLines(dir.resolve("d/lstm-sine-100-final.csv")),
                Files.readAllLines(dir.resolve("c/lstm-sine-100-final.csv")));
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void float32ComesFirstUnknownPrecisionsAndCifarAreRefused(@TempDir Path dir) {
        String out = run("--tests", "lstm-sine-100", "--precisions", "float16,float32", "--out", dir.toString());
        assertTrue(out.startsWith("2\n"), out);
        out = run("--tests", "lstm-sine-100", "--precisions", "float32,half", "--out", dir.toString());
        assertTrue(out.startsWith("2\n"), out);
        out = run("--tests", "lstm-sine-100", "--precisions", "int8-h,float32", "--out", dir.toString());
        assertTrue(out.startsWith("2\n"), out);
        out = run("--tests", "cnn-cifar-ccpf-100", "--out", dir.toString());
        assertTrue(out.startsWith("2\n"), out);
    }
}
