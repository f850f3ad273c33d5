package org.rnnprop.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * {@link PackedStep} is exactly decode, the float32 kernel, encode; its layout is the documented one; skipped
 * coordinates keep their packed bits. (Its agreement with float32 state over a trajectory of the shipped weights
 * is tested in {@code rnnprop-pretrained}, which has them.)
 */
class PackedStepTest {
    private static final StatePrecision[] COMPACT = {StatePrecision.FLOAT16, StatePrecision.BFLOAT16};

    /** Gradients over many magnitudes, zeros and the odd non-finite one. */
    private static float[] gradients(int n, int step, boolean nonFinite) {
        Random r = new Random(1000L * step + n);
        float[] g = new float[n];
        for (int i = 0; i < n; i++) {
            g[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(9) - 5));
            if (i % 97 == 5) {
                g[i] = 0f;
            }
        }
        if (nonFinite) {
            g[n / 3] = Float.NaN;
            g[n / 2] = Float.POSITIVE_INFINITY;
            g[n - 1] = Float.NEGATIVE_INFINITY;
        }
        return g;
    }

    /**
     * Five steps over enough coordinates to spread over three threads, on direct buffers, against a single-
     * threaded FastStep on explicitly decoded rows whose result is explicitly encoded: identical bits.
     */
    @ParameterizedTest
    @EnumSource(OptimizerKind.class)
    void isDecodeThenTheFloat32KernelThenEncode(OptimizerKind kind) {
        OptimizerWeights w = GoldenFixture.load(kind).weights();
        int n = 2 * PackedStep.PARALLEL_THRESHOLD + 77;
        for (StatePrecision p : COMPACT) {
            try (PackedStep packed = new PackedStep(p, () -> new FastStep(w, 1), 3);
                    FastStep plain = new FastStep(w, 1)) {
                int slots = packed.slots();
                int width = w.stateWidth();
                assertEquals(kind == OptimizerKind.RNNPROP ? 42 : 40, slots);
                IntBuffer state = ByteBuffer.allocateDirect(4 * n * slots).order(ByteOrder.nativeOrder())
                        .asIntBuffer();
                FloatBuffer grad = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asFloatBuffer();
                int[] expectedPacked = new int[n * slots];
                float[] rows = new float[n * width];
                float[] expectedUpdate = new float[n];
                for (int t = 1; t <= 5; t++) {
                    float[] g = gradients(n, t, t >= 3);
                    packed.unpack(expectedPacked, 0, rows, 0, n);
                    int skippedPlain = plain.step(t, g, rows, expectedUpdate);
                    for (int i = 0; i < n; i++) {
                        if (Float.isFinite(g[i])) {
                            packed.pack(rows, i * width, expectedPacked, i * slots, 1);
                        }
                    }
                    grad.put(0, g);
                    int skipped = packed.step(t, grad, state, grad, n); // update over the gradient
                    assertEquals(skippedPlain, skipped);
                    float[] update = new float[n];
                    grad.get(0, update);
                    int[] got = new int[n * slots];
                    state.get(0, got);
                    assertArrayEquals(expectedUpdate, update, p + " step " + t + " update");
                    assertArrayEquals(expectedPacked, got, p + " step " + t + " packed state");
                }
            }
        }
    }

    /** Slot by slot: moments as float bits, then value 2k in the low and 2k + 1 in the high half. */
    @Test
    void layoutIsTheDocumentedOne() {
        OptimizerWeights w = GoldenFixture.load(OptimizerKind.RNNPROP).weights();
        try (PackedStep packed = new PackedStep(StatePrecision.FLOAT16, () -> new FastStep(w, 1), 1)) {
            float[] row = new float[82];
            row[0] = 0.25f;
            row[1] = -3f;
            for (int k = 2; k < 82; k++) {
                row[k] = k - 2; // small integers are exact in float16
            }
            int[] slots = new int[42];
            packed.pack(row, 0, slots, 0, 1);
            assertEquals(Float.floatToRawIntBits(0.25f), slots[0]);
            assertEquals(Float.floatToRawIntBits(-3f), slots[1]);
            assertEquals(0x3C00 << 16, slots[2]); // values 0 and 1
            for (int k = 0; k < 40; k++) {
                assertEquals(StatePrecision.FLOAT16.encode(2 * k), slots[2 + k] & 0xFFFF);
                assertEquals(StatePrecision.FLOAT16.encode(2 * k + 1), slots[2 + k] >>> 16);
            }
            float[] back = new float[82];
            packed.unpack(slots, 0, back, 0, 1);
            assertArrayEquals(row, back);
        }
    }

    /**
     * A coordinate with a NaN or infinite gradient keeps its packed row bit for bit, whatever the bits (here
     * random ones, NaN patterns in float and 16-bit view included), and gets update 0.
     */
    @ParameterizedTest
    @EnumSource(OptimizerKind.class)
    void skippedCoordinatesKeepTheirPackedRowBitForBit(OptimizerKind kind) {
        OptimizerWeights w = GoldenFixture.load(kind).weights();
        int n = PackedStep.PARALLEL_THRESHOLD + 500;
        for (StatePrecision p : COMPACT) {
            try (PackedStep packed = new PackedStep(p, () -> new FastStep(w, 1), 2)) {
                int slots = packed.slots();
                int[] state = new int[n * slots];
                float[] g = gradients(n, 1, false);
                float[] update = new float[n];
                packed.step(1, g, state, update);
                int[] skippedRows = {0, 7, n / 2, n - 1};
                Random r = new Random(7);
                for (int i : skippedRows) {
                    for (int k = 0; k < slots; k++) {
                        state[i * slots + k] = r.nextInt();
                    }
                    state[i * slots + slots - 1] = 0x7F81_7C01; // NaN as float; NaN in both 16-bit halves
                }
                int[] before = state.clone();
                g = gradients(n, 2, false);
                g[0] = Float.NaN;
                g[7] = Float.POSITIVE_INFINITY;
                g[n / 2] = Float.NEGATIVE_INFINITY;
                g[n - 1] = Float.intBitsToFloat(0x7F80_0001); // a signalling NaN
                assertEquals(4, packed.step(2, g, state, update));
                for (int i : skippedRows) {
                    assertEquals(0f, update[i]);
                    assertArrayEquals(Arrays.copyOfRange(before, i * slots, (i + 1) * slots),
                            Arrays.copyOfRange(state, i * slots, (i + 1) * slots), p + " row " + i);
                }
                assertTrue(update[1] != 0f, "finite coordinates still move");
                assertTrue(!Arrays.equals(before, state), "the others' state moves");
            }
        }
    }

    /**
     * The worst case for float16's range: weights whose layer-1 gates are saturated open (i = j = f = 1), so c1
     * grows by 1 every step, as far as float32 goes. In float16 an increment of 1 is lost from 2048 on (half an
     * ulp there), so c1 stops there and never overflows; a c1 stored at 65504 stays finite too.
     */
    @Test
    void float16CellStateNeverOverflows() {
        OptimizerWeights base = GoldenFixture.load(OptimizerKind.RNNPROP).weights();
        java.util.Map<String, Tensor> tensors = new java.util.LinkedHashMap<>(base.tensors());
        int h = base.hyperparameters().hiddenSize();
        Tensor k1 = base.tensor(NetworkLayout.LSTM1_KERNEL);
        tensors.put(NetworkLayout.LSTM1_KERNEL, new Tensor(k1.shape(), new float[k1.size()]));
        float[] bias = new float[4 * h];
        Arrays.fill(bias, 0, 3 * h, 50f); // gates i, j, f
        tensors.put(NetworkLayout.LSTM1_BIAS, new Tensor(new int[] {4 * h}, bias));
        OptimizerWeights w = new OptimizerWeights(base.kind(), base.hyperparameters(), tensors, base.provenance());
        int c1 = NetworkLayout.hiddenOffset(w.kind(), w.hyperparameters(), 0) + h;
        try (FastStep plain = new FastStep(w, 1);
                PackedStep packed = new PackedStep(StatePrecision.FLOAT16, () -> new FastStep(w, 1), 1)) {
            float[] rows = new float[2 * w.stateWidth()];
            rows[w.stateWidth() + c1] = 65504f; // coordinate 1 starts at float16's largest value
            int[] state = new int[2 * packed.slots()];
            packed.pack(rows, 0, state, 0, 2);
            float[] plainRows = new float[w.stateWidth()];
            float[] update = new float[2];
            for (int t = 1; t <= 3000; t++) {
                plain.step(t, new float[] {0.5f}, plainRows, new float[1]);
                packed.step(t, new float[] {0.5f, 0.5f}, state, update);
                assertTrue(Math.abs(update[0]) <= 0.1 && Math.abs(update[1]) <= 0.1);
            }
            packed.unpack(state, 0, rows, 0, 2);
            assertEquals(3000f, plainRows[c1], 1f, "float32 c1 grows by 1 per step");
            assertEquals(2048f, rows[c1], "float16 c1 stops where 1 is half an ulp");
            assertEquals(65504f, rows[w.stateWidth() + c1]);
        }
    }

    @Test
    void refusesFloat32AndShortBuffers() {
        OptimizerWeights w = GoldenFixture.load(OptimizerKind.RNNPROP).weights();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PackedStep(StatePrecision.FLOAT32, () -> new FastStep(w, 1), 1));
        assertTrue(e.getMessage().contains("FLOAT32"), e.getMessage());
        try (PackedStep packed = new PackedStep(StatePrecision.BFLOAT16, () -> new FastStep(w, 1), 1)) {
            assertThrows(IllegalArgumentException.class,
                    () -> packed.step(1, new float[2], new int[83], new float[2]));
            assertThrows(IllegalArgumentException.class,
                    () -> packed.step(0, new float[2], new int[84], new float[2]));
            IllegalArgumentException short_ = assertThrows(IllegalArgumentException.class, () -> packed.step(1,
                    FloatBuffer.allocate(10), IntBuffer.allocate(42 * 9), FloatBuffer.allocate(10), 10));
            assertTrue(short_.getMessage().contains("needs 420"), short_.getMessage());
        }
    }

    @Test
    void sizesPerCoordinate() {
        OptimizerWeights rnnprop = GoldenFixture.load(OptimizerKind.RNNPROP).weights();
        OptimizerWeights dm = GoldenFixture.load(OptimizerKind.DM_OPTIMIZER).weights();
        assertEquals(328, StatePrecision.FLOAT32.bytesPerCoordinate(rnnprop));
        assertEquals(168, StatePrecision.FLOAT16.bytesPerCoordinate(rnnprop));
        assertEquals(168, StatePrecision.BFLOAT16.bytesPerCoordinate(rnnprop));
        assertEquals(82, StatePrecision.FLOAT32.slots(rnnprop));
        assertEquals(40, StatePrecision.BFLOAT16.slots(dm));
        assertEquals(320, StatePrecision.FLOAT32.bytesPerCoordinate(dm));
    }
}
