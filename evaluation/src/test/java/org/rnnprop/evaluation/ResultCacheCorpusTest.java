package org.rnnprop.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.rnnprop.core.DamagedFiles;
import org.rnnprop.core.FileFormatException;

/**
 * Damaged result caches: each damaged row is dropped with a warning that names the file, the line and what is
 * wrong, and every good row stays; a suite run on such a cache reruns exactly the damaged runs and reports the
 * same numbers, and a test that fails is never reported as skipped.
 */
class ResultCacheCorpusTest {
    private static final String VERSION = "0123456789abcdef";
    private static final ResultCache.Entry TUNING = new ResultCache.Entry("adam@-10", 1000, 20, 0.5, 1.25, 1,
            new float[0]);
    private static final ResultCache.Entry COMPARED = new ResultCache.Entry("sgd@2", 2000, 20, 0.125, 2.5, 5,
            new float[] {2.5f, 1.5f, 0.75f, 0.25f});
    private static final ResultCache.Entry DIVERGED = new ResultCache.Entry("rmsprop@4", 2001, 20, Double.NaN, 0.5, 5,
            new float[] {2.5f, Float.NaN, Float.NaN, Float.NaN});

    @TempDir
    Path dir;

    /** A good cache file: version, header, then the three rows in order (lines 3, 4 and 5). */
    private byte[] good() throws IOException {
        Path f = dir.resolve("good.csv");
        ResultCache.open(f, VERSION).putAll(List.of(TUNING, COMPARED, DIVERGED));
        return Files.readAllBytes(f);
    }

    private static String legacy(String... rows) {
        return ResultCache.VERSION_PREFIX + VERSION + "\n" + ResultCache.LEGACY_HEADER + "\n" + String.join("\n", rows)
                + "\n";
    }

    @TestFactory
    Stream<DynamicTest> damagedRowsAreDroppedWithAWarningAndTheGoodOnesKept() throws IOException {
        byte[] good = good();
        DamagedFiles d = new DamagedFiles(good);
        int row4 = d.offsetOf("sgd@2,");
        int row5 = d.offsetOf("rmsprop@4,");
        String legacyCompared = "sgd@2,2000,20,0.125,2.5,5,2.5 1.5 0.75 0.25";
        d.bitFlip("contender", row4 + 1, 0, "line 4: CRC mismatch")
                .bitFlip("seed", row4 + 7, 1, "line 4: CRC mismatch")
                .bitFlip("final-loss", d.offsetOf("0.125") + 3, 2, "line 4: CRC mismatch")
                .bitFlip("curve-value", d.offsetOf("0.75") + 2, 0, "line 4: CRC mismatch")
                .bitFlip("crc", row5 - 3, 0, "line 4: CRC mismatch")
                .bitFlip("separator", row4 + 5, 4, "line 4: CRC mismatch")
                .edited("tampered-value", "sgd@2,2000,20,0.125", "sgd@2,2000,20,0.0125", "line 4: CRC mismatch")
                .edited("torn-curve", "0.75 0.25,", "0.75,", "line 4: CRC mismatch")
                .truncated(good.length - 12, "line 5: CRC mismatch")
                .inserted("not-utf8-byte", row4 + 2, new byte[] {(byte) 0xFF}, "line 4: not UTF-8")
                .inserted("not-utf8-sequence", row4 + 2, new byte[] {(byte) 0xC3, (byte) 0x28}, "line 4: not UTF-8")
                .inserted("extra-field", row5 - 10, ",x".getBytes(StandardCharsets.UTF_8), "line 4: CRC mismatch")
                .add("legacy-torn-curve", legacy(TUNING_LEGACY, "sgd@2,2000,20,0.125,2.5,5,2.5 1.5", DIVERGED_LEGACY)
                        .getBytes(StandardCharsets.UTF_8), "line 4: curve of 2 points, expected 4 (torn?)")
                .add("legacy-not-a-number", legacy(TUNING_LEGACY, legacyCompared.replace("0.125", "O.125"),
                        DIVERGED_LEGACY).getBytes(StandardCharsets.UTF_8), "line 4: not a number")
                .add("legacy-negative-time", legacy(TUNING_LEGACY, legacyCompared.replace(",2.5,5,", ",-2.5,5,"),
                        DIVERGED_LEGACY).getBytes(StandardCharsets.UTF_8), "line 4: seconds -2.5 is not a time")
                .add("legacy-window-zero", legacy(TUNING_LEGACY, legacyCompared.replace(",2.5,5,", ",2.5,0,"),
                        DIVERGED_LEGACY).getBytes(StandardCharsets.UTF_8), "line 4: steps 20 and window 0")
                .add("legacy-no-contender", legacy(TUNING_LEGACY, legacyCompared.replace("sgd@2", ""),
                        DIVERGED_LEGACY).getBytes(StandardCharsets.UTF_8), "line 4: contender '' is empty")
                .add("crc-row-in-a-legacy-file", legacy(TUNING_LEGACY, ResultCache.format(COMPARED), DIVERGED_LEGACY)
                        .getBytes(StandardCharsets.UTF_8), "line 4: expected 7 fields, got 9");
        return d.cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            Path file = c.write(dir);
            ResultCache cache = ResultCache.open(file, VERSION);
            ResultCache.Damage damage = cache.damage();
            assertTrue(damage != null, c + ": no damage reported");
            DamagedFiles.assertNamed(new IllegalStateException(damage.describe(file)), file, c);
            // the previous content that is good stays, exactly
            Map<String, ResultCache.Entry> kept = cache.entries().stream()
                    .collect(Collectors.toMap(ResultCache.Entry::contender, e -> e));
            for (ResultCache.Entry e : List.of(TUNING, COMPARED, DIVERGED)) {
                boolean damaged = c.field().startsWith("line 4") && e == COMPARED
                        || c.field().startsWith("line 5") && e == DIVERGED;
                if (!damaged) {
                    assertSame(e, kept.get(e.contender()), c + ": " + e.contender() + " must stay");
                }
            }
            assertEquals(2, cache.entries().size(), c + ": one row dropped, two kept");
        }));
    }

    private static void assertSame(ResultCache.Entry expected, ResultCache.Entry actual, String what) {
        assertTrue(actual != null, what);
        assertEquals(List.of(expected.contender(), expected.seed(), expected.steps(), expected.finalLoss(),
                expected.seconds(), expected.window()), List.of(actual.contender(), actual.seed(), actual.steps(),
                actual.finalLoss(), actual.seconds(), actual.window()), what);
        assertArrayEquals(expected.curve(), actual.curve(), what);
    }

    /** The rows without their wall times (and so their CRCs): what a rerun must reproduce exactly. */
    private static Set<String> withoutTimes(List<String> lines) {
        return lines.stream().map(l -> l.split(",", -1)).filter(f -> f.length == 8)
                .map(f -> String.join(",", f[0], f[1], f[2], f[3], f[5], f[6])).collect(Collectors.toSet());
    }

    private static final String TUNING_LEGACY = "adam@-10,1000,20,0.5,1.25,1,";
    private static final String DIVERGED_LEGACY = "rmsprop@4,2001,20,NaN,0.5,5,2.5 NaN NaN NaN";

    @Test
    void aDirectoryInPlaceOfTheCacheIsAnError() throws IOException {
        Path file = dir.resolve("lstm-sine-100.csv");
        Files.createDirectories(file);
        FileFormatException e = assertThrows(FileFormatException.class, () -> ResultCache.open(file, VERSION));
        assertEquals(file + ": is a directory, not a result cache", e.getMessage());
    }

    @Test
    void aDamagedVersionLineDropsEveryRowAsStale() throws IOException {
        byte[] bytes = good();
        bytes[3] = (byte) 0xFF; // inside "# version="
        Path file = dir.resolve("t.csv");
        Files.write(file, bytes);
        ResultCache c = ResultCache.open(file, VERSION);
        assertEquals(3, c.staleRows());
        assertEquals("none", c.staleVersion());
        assertNull(c.damage());
        assertTrue(c.entries().isEmpty());
    }

    /**
     * The defect this guards against: a cache with bytes that are not UTF-8 made its test fail, reported as
     * skipped with exit status 0. Now the test runs, warns naming the file, reruns exactly the damaged runs and
     * gives the same numbers as before the damage.
     */
    @Test
    void aSuiteRunOnADamagedCacheRerunsTheDamagedRowsAndGivesTheSameNumbers() throws Exception {
        Suite.Settings settings = new Suite.Settings(true, 2, 1, 4, 1, dir.resolve("work"), dir.resolve("no-mnist"),
                dir.resolve("no-cifar"), Map.of(), Map.of(), false);
        Experiment lstm = Experiments.byId("lstm-sine-100");
        ExperimentResult first;
        try (Suite suite = new Suite(settings, new PrintStream(new ByteArrayOutputStream()))) {
            first = suite.run(lstm);
        }
        assertTrue(first.ran() && first.computedRuns() > 3);
        Path file = dir.resolve("work").resolve(lstm.id() + ".csv");
        List<String> lines = Files.readAllLines(file);
        String compared = lines.stream().filter(l -> l.startsWith("adam@") && l.contains(" ")).findFirst()
                .orElseThrow();
        String tuning = lines.stream().filter(l -> l.contains(",,")).findFirst().orElseThrow();
        String torn = lines.stream().filter(l -> !l.startsWith("#") && l.contains(" ") && !l.equals(compared))
                .findFirst().orElseThrow();
        ByteArrayOutputStream damaged = new ByteArrayOutputStream();
        for (String l : lines) {
            if (l.equals(compared)) {       // a byte that is not UTF-8
                damaged.write(l.substring(0, 3).getBytes(StandardCharsets.UTF_8));
                damaged.write(0xFF);
                damaged.write(l.substring(3).getBytes(StandardCharsets.UTF_8));
            } else if (l.equals(tuning)) {  // a tampered loss
                damaged.write(l.replaceFirst(",(\\d)\\.", ",9.").getBytes(StandardCharsets.UTF_8));
            } else if (l.equals(torn)) {    // a torn curve
                damaged.write(l.substring(0, l.lastIndexOf(' ')).getBytes(StandardCharsets.UTF_8));
            } else {
                damaged.write(l.getBytes(StandardCharsets.UTF_8));
            }
            damaged.write('\n');
        }
        Files.write(file, damaged.toByteArray());

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ExperimentResult second;
        try (Suite suite = new Suite(settings, new PrintStream(log, true, StandardCharsets.UTF_8))) {
            second = suite.run(lstm);
        }
        String warning = log.toString(StandardCharsets.UTF_8);
        assertTrue(second.ran(), second.skipped());
        assertTrue(warning.contains("WARNING: 3 damaged rows of " + file + " dropped, to be run again")
                && warning.contains("not UTF-8") && warning.contains("CRC mismatch"), warning);
        assertEquals(3, second.computedRuns(), "exactly the damaged runs are run again");
        for (int i = 0; i < first.contenders().size(); i++) {
            assertArrayEquals(first.contenders().get(i).finalLosses(), second.contenders().get(i).finalLosses(),
                    first.contenders().get(i).label());
        }
        assertEquals(withoutTimes(lines), withoutTimes(Files.readAllLines(file)), "the cache is whole again, as it was");
    }
}
