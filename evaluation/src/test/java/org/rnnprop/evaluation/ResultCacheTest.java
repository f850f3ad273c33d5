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
        ResultCache.Entry a = new ResultCache.Entry("adam@-10", 3, 100, 0.1234567890123, 1.5, 1,
                new float[] {2.3f, 1.25e-7f, Float.NaN});
        ResultCache.Entry b = new ResultCache.Entry("sgd@2", 1_000_000, 100, Double.NaN, 0.25, 1, new float[0]);
        ResultCache.Entry t = new ResultCache.Entry("adam-1e-3", 4, 938, 0.05, 9.0, 2, new float[] {1f}, 0.9871);
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
        Files.writeString(f, ResultCache.VERSION_PREFIX + "v1\n" + ResultCache.HEADER
                + "\nadam@-10,0,100,0.5,1.0,1,0.7 0.6\ngarbage row\n");
        ResultCache c = ResultCache.open(f, "v1");
        assertEquals(1, c.entries().size());
        assertEquals(0.5, c.get("adam@-10", 0, 100).orElseThrow().finalLoss());
        assertTrue(Double.isNaN(c.get("adam@-10", 0, 100).orElseThrow().testAccuracy()),
                "a row from before the test-accuracy column is still read");
    }
}
