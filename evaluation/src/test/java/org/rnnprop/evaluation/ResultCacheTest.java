package org.rnnprop.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultCacheTest {

    @Test
    void roundTripsExactlyIncludingNaN(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("sub/test.csv");
        ResultCache c = ResultCache.open(f, "v1");
        ResultCache.Entry a = new ResultCache.Entry("adam@-10", 3, 100, 0.1234567890123, 1.5, 34,
                new float[] {2.3f, 1.25e-7f, Float.NaN});
        ResultCache.Entry b = new ResultCache.Entry("sgd@2", 1_000_000, 100, Double.NaN, 0.25, 1, new float[0]);
        ResultCache.Entry t = new ResultCache.Entry("adam-1e-3", 4, 938, 0.05, 9.0, 938, new float[] {1f}, 0.9871);
        c.putAll(List.of(a, b, t));
        try (var files = Files.list(f.getParent())) {
            assertEquals(List.of(f), files.toList(), "only the cache file, no temporary left over");
        }

        ResultCache again = ResultCache.open(f, "v1");
        ResultCache.Entry a2 = again.get("adam@-10", 3, 100).orElseThrow();
        assertEquals(a.finalLoss(), a2.finalLoss(), 0.0);
        assertArrayEquals(a.curve(), a2.curve());
        assertTrue(Double.isNaN(again.get("sgd@2", 1_000_000, 100).orElseThrow().finalLoss()));
        assertEquals(0, again.get("sgd@2", 1_000_000, 100).orElseThrow().curve().length);
        assertTrue(again.get("adam@-10", 3, 20).isEmpty(), "another step count is another run");
        assertEquals(0.9871, again.get("adam-1e-3", 4, 938).orElseThrow().testAccuracy(), 0.0);
        assertTrue(Double.isNaN(a2.testAccuracy()), "no test accuracy measured");
    }

    @Test
    void unreadableRowsAreDroppedNotFatal(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.csv");
        Files.writeString(f, ResultCache.VERSION_PREFIX + "v1\n" + ResultCache.LEGACY_HEADER
                + "\nadam@-10,0,100,0.5,1.0,50,0.7 0.6\ngarbage row\n");
        ResultCache c = ResultCache.open(f, "v1");
        assertEquals(1, c.entries().size());
        assertEquals(0.5, c.get("adam@-10", 0, 100).orElseThrow().finalLoss());
        assertEquals(1, c.damage().rows());
        assertEquals(List.of("line 4: expected 7 fields, got 1"), c.damage().examples());
    }

    @Test
    void filesWithoutTheCrcColumnAreReadAndGetItAtTheNextWrite(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.csv");
        Files.writeString(f, ResultCache.VERSION_PREFIX + "v1\n" + ResultCache.LEGACY_HEADER
                + "\nadam@-10,0,100,0.5,1.0,50,0.7 0.6\n");
        ResultCache c = ResultCache.open(f, "v1");
        assertEquals(null, c.damage());
        c.putAll(List.of(new ResultCache.Entry("sgd@2", 0, 100, 0.25, 1.0, 1, new float[0])));
        List<String> lines = Files.readAllLines(f);
        assertEquals(ResultCache.HEADER, lines.get(1));
        assertEquals("adam@-10,0,100,0.5,1.0,50,0.7 0.6,NaN," + crc32("adam@-10,0,100,0.5,1.0,50,0.7 0.6,NaN"),
                lines.get(2));
        assertEquals(2, ResultCache.open(f, "v1").entries().size());
    }

    private static String crc32(String s) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return String.format("%08x", crc.getValue());
    }

    @Test
    void legacyRowsHaveNoTestAccuracy(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.csv");
        Files.writeString(f, ResultCache.VERSION_PREFIX + "v1\n" + ResultCache.LEGACY_HEADER
                + "\nadam@-10,0,100,0.5,1.0,50,0.7 0.6\n");
        ResultCache c = ResultCache.open(f, "v1");
        assertTrue(Double.isNaN(c.get("adam@-10", 0, 100).orElseThrow().testAccuracy()),
                "a row from before the test-accuracy column is still read");
    }
}
