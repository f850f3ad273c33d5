package org.rnnprop.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.rnnprop.core.DamagedFiles;
import org.rnnprop.core.OptimizerKind;
import org.rnnprop.core.StatePrecision;
import org.rnnprop.pretrained.Pretrained;

/**
 * Damaged and hostile optimizer state files: each is refused with a message naming the file and the field, no
 * large array is allocated for a size that the file cannot hold, and an optimizer whose load fails keeps the
 * state it had.
 */
class StateFileCorpusTest {
    private static final int WIDTH = 82;
    /** What one read may allocate, at most, however large the sizes a damaged file claims. */
    private static final long ALLOCATION_LIMIT = 32L << 20;

    private static String checksum;
    private static NDManager manager;
    private static Block block;
    private static RnnpropOptimizer optimizer;
    private static StateFile.Snapshot before;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadGoodState() throws IOException {
        checksum = Pretrained.load("rnnprop-untrained").checksum();
        manager = NDManager.newBaseManager();
        block = Linear.builder().setUnits(3).build(); // parameters "weight" (3 x 2) and "bias" (3)
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
        optimizer = RnnpropOptimizer.builder().optPretrained("rnnprop-untrained").build();
        before = snapshot(entry("bias", 3, 0, 3), entry("weight", 7, 1, 6));
        optimizer.loadState(new ByteArrayInputStream(bytes(before)), "good", block);
    }

    @AfterAll
    static void close() {
        optimizer.close();
        manager.close();
    }

    private static StateFile.Entry entry(String name, long steps, long skipped, int n) {
        float[] rows = new float[n * WIDTH];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = (float) Math.sin(i + name.length());
        }
        return new StateFile.Entry(name, steps, skipped, n, rows);
    }

    private static StateFile.Snapshot snapshot(StateFile.Entry... entries) {
        return new StateFile.Snapshot(OptimizerKind.RNNPROP, checksum, WIDTH, List.of(entries));
    }

    private static byte[] bytes(StateFile.Snapshot s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StateFile.write(s, out);
        return out.toByteArray();
    }

    private static byte[] longAt(byte[] good, int offset, long value) {
        byte[] b = good.clone();
        ByteBuffer.wrap(b).putLong(offset, value);
        return b;
    }

    @TestFactory
    Stream<DynamicTest> damagedStateFilesAreRefusedByNameAndChangeNothing() throws IOException {
        byte[] good = bytes(before);
        DamagedFiles d = new DamagedFiles(good);
        int kind = 12;                                      // after magic (8) and version (4): UTF length, text
        int weights = kind + 2 + "rnnprop".length();
        int width = weights + 2 + 64;
        int precision = width + 4;
        int count = precision + 2 + "float32".length();
        int name0 = count + 4;
        int steps0 = name0 + 2 + "bias".length();
        int skipped0 = steps0 + 8;
        int n0 = skipped0 + 8;
        int rows0 = n0 + 8;
        int name1 = rows0 + 4 * 3 * WIDTH;
        int crc = good.length - 8;
        d.truncated(0, "magic").truncated(5, "magic").truncated(10, "version").truncated(kind + 4, "kind")
                .truncated(weights + 10, "weights").truncated(width + 2, "width")
                .truncated(precision + 1, "precision").truncated(precision + 5, "precision").truncated(count + 1, "count")
                .truncated(name0 + 3, "parameters[0].name").truncated(steps0 + 7, "('bias').steps")
                .truncated(skipped0 + 1, "('bias').skipped").truncated(n0 + 4, "('bias').coordinates")
                .truncated(rows0 + 100, "('bias').coordinates: 3 coordinates need 984 bytes").truncated(name1, "parameters[1].name")
                .truncated(crc, "crc32").truncated(good.length - 1, "crc32")
                .bitFlip("magic", 3, 0, "magic")
                .bitFlip("version", 11, 1, "version")
                .bitFlip("kind-length", kind, 7, "kind")
                .bitFlip("kind", kind + 3, 2, "kind")
                .bitFlip("weights-length", weights + 1, 0, "weights")
                .bitFlip("weights-digit", weights + 2 + 5, 6, "weights")
                .bitFlip("weights-hex-digit", weights + 2 + 5, 0, "crc32")
                .bitFlip("width-sign", width, 7, "width")
                .bitFlip("width-huge", width + 1, 6, "width")
                .bitFlip("width-small", width + 3, 0, "('').coordinates")
                .bitFlip("precision-name", precision + 2 + 1, 1, "precision")
                .bitFlip("precision-length", precision + 1, 4, "precision")
                .bitFlip("count-sign", count, 7, "count")
                .bitFlip("count-huge", count + 1, 3, "count")
                .bitFlip("name-length", name0 + 1, 5, "parameters[0]")
                .overwritten("name-not-utf8", name0 + 2, new byte[] {(byte) 0xFF, (byte) 0xFE}, "parameters[0].name")
                .bitFlip("steps", steps0 + 7, 0, "crc32")
                .bitFlip("steps-beyond-int", steps0 + 3, 7, "crc32")
                .bitFlip("skipped", skipped0 + 7, 1, "crc32")
                .bitFlip("coordinates-8GiB", n0 + 4, 0, "('bias').coordinates")
                .bitFlip("coordinates-negative", n0, 7, "('bias').coordinates")
                .bitFlip("coordinates-one-more", n0 + 7, 0, "parameters[1].name")
                .add("coordinates-long-max", longAt(good, n0, Long.MAX_VALUE), "('bias').coordinates")
                .bitFlip("row-value", rows0 + 41, 4, "crc32")
                .overwritten("row-NaN-unchecked", rows0, new byte[] {0x7f, (byte) 0xc0, 0, 0}, "crc32")
                .bitFlip("crc", crc + 6, 2, "crc32")
                .add("trailing-bytes", java.util.Arrays.copyOf(good, good.length + 3), "after the checksum")
                .add("weight-file-instead", "{\"format\": \"rnnprop-weights\"}".getBytes(), "magic")
                .add("steps-beyond-int-valid-crc", bytes(snapshot(entry("bias", 1L << 31, 0, 3))),
                        "('bias').steps")
                .add("steps-negative-valid-crc", bytes(snapshot(entry("bias", -1, 0, 3))), "('bias').steps")
                .add("skipped-beyond-steps-valid-crc", bytes(snapshot(entry("bias", 3, 10, 3))),
                        "('bias').skipped")
                .add("rows-NaN-valid-crc", bytes(snapshot(withValue(entry("weight", 2, 0, 6), 100, Float.NaN))),
                        "('weight').rows")
                .add("rows-NaN-float16-valid-crc", bytes(new StateFile.Snapshot(OptimizerKind.RNNPROP, checksum, WIDTH,
                        StatePrecision.FLOAT16, List.of(withValue(entry("weight", 2, 0, 6), 90, Float.NaN)))),
                        "('weight').rows")
                .add("duplicate-name-valid-crc", bytes(snapshot(entry("bias", 1, 0, 3),
                        entry("bias", 1, 0, 3))), "parameters[1].name")
                .add("empty-name-valid-crc", bytes(snapshot(entry("", 1, 0, 2))), "parameters[0].name")
                .add("other-kind-valid-crc", bytes(new StateFile.Snapshot(OptimizerKind.DM_OPTIMIZER, checksum, 80,
                        List.of())), "kind")
                .add("other-weights-valid-crc", bytes(new StateFile.Snapshot(OptimizerKind.RNNPROP, "0".repeat(64),
                        WIDTH, List.of())), "weights")
                .add("other-width-valid-crc", bytes(new StateFile.Snapshot(OptimizerKind.RNNPROP, checksum, 80,
                        List.of())), "width")
                .add("unknown-parameter-valid-crc", bytes(snapshot(entry("conv.weight", 1, 0, 2))), "parameters[0]")
                .directory("is a directory");
        List<DynamicTest> tests = new ArrayList<>();
        for (DamagedFiles.Case c : d.cases()) {
            tests.add(DynamicTest.dynamicTest(c.name(), () -> {
                Path file = c.write(dir);
                long allocated = allocatedBytes();
                StateFileException e = assertThrows(StateFileException.class, () -> optimizer.loadState(file, block));
                assertTrue(allocatedBytes() - allocated < ALLOCATION_LIMIT, c + ": allocated "
                        + (allocatedBytes() - allocated) + " bytes");
                DamagedFiles.assertNamed(e, file, c);
                if (c.content() != null) {
                    // the same bytes from a stream, whose length the reader cannot know
                    allocated = allocatedBytes();
                    StateFileException s = assertThrows(StateFileException.class, () -> optimizer.loadState(
                            new ByteArrayInputStream(c.content()), file.toString(), block));
                    assertTrue(allocatedBytes() - allocated < ALLOCATION_LIMIT + c.content().length, c
                            + ": allocated " + (allocatedBytes() - allocated) + " bytes from a stream");
                    DamagedFiles.assertNamed(s, file, c);
                }
                assertUnchanged(c);
            }));
        }
        return tests.stream();
    }

    private static StateFile.Entry withValue(StateFile.Entry e, int index, float value) {
        float[] rows = e.rows().clone();
        rows[index] = value;
        return new StateFile.Entry(e.name(), e.steps(), e.skipped(), e.coordinates(), rows);
    }

    private static void assertUnchanged(DamagedFiles.Case c) {
        for (StateFile.Entry e : before.entries()) {
            String id = block.getParameters().get(e.name()).getId();
            assertEquals(e.steps(), optimizer.stepCount(id), c + ": the step count of " + e.name() + " must stay");
            assertArrayEquals(e.rows(), optimizer.stateRows(id), c + ": the state of " + e.name() + " must stay");
        }
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
