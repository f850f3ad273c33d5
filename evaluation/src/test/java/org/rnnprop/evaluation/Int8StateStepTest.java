package org.rnnprop.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rnnprop.core.FastStep;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.StatePrecision;
import org.rnnprop.pretrained.Pretrained;

/** The simulated 8-bit state: which values of a row it rounds, how, and what it leaves alone. */
class Int8StateStepTest {
    private static final int N = 64;
    private static final int H = 20;
    /** RNNprop's row: m, v, then h1, c1, h2, c2 of 20 each. */
    private static final int[] H_BLOCKS = {2, 42};

    @Test
    void bytesPerParameterAreWhatAnEightBitStoreWouldNeed() throws Exception {
        OptimizerWeights rnnprop = Pretrained.load("rnnprop");
        // m, v float32 (8); per layer 20 codes + a float16 scale for h (22), c as 20 float16 (40) or 22
        assertEquals(132, Int8StateStep.bytesPerCoordinate(rnnprop, Int8StateStep.Cells.FLOAT16));
        assertEquals(96, Int8StateStep.bytesPerCoordinate(rnnprop, Int8StateStep.Cells.INT8));
        assertEquals(33, StateFormat.INT8_H.slots(rnnprop));
        assertEquals(24, StateFormat.INT8_HC.slots(rnnprop));
        OptimizerWeights dm = Pretrained.load("dm-optimizer");
        assertEquals(124, Int8StateStep.bytesPerCoordinate(dm, Int8StateStep.Cells.FLOAT16));
        assertEquals(88, Int8StateStep.bytesPerCoordinate(dm, Int8StateStep.Cells.INT8));
    }

    /**
     * From the same state, one step gives float32's updates and moments exactly (rounding comes after the step);
     * h (and c for INT8) are float32's values rounded blockwise, c for FLOAT16 float32's rounded to float16.
     */
    @ParameterizedTest
    @EnumSource(Int8StateStep.Cells.class)
    void aStepIsFloat32sStepWithTheNewLstmStatesRounded(Int8StateStep.Cells cells) throws Exception {
        OptimizerWeights w = Pretrained.load("rnnprop");
        Random r = new Random(11);
        float[] start = new float[N * w.stateWidth()];
        float[] grad = new float[N];
        try (FastStep plain = new FastStep(w, 1); Int8StateStep int8 = new Int8StateStep(new FastStep(w, 1), cells)) {
            // a few steps of float32 for a state that is not zero
            for (int t = 1; t <= 5; t++) {
                for (int i = 0; i < N; i++) {
                    grad[i] = (float) (r.nextGaussian() * Math.pow(10, -4 + 6 * r.nextDouble()));
                }
                plain.step(t, grad, start, new float[N]);
            }
            float[] expected = start.clone();
            float[] actual = start.clone();
            float[] expectedUpdate = new float[N];
            float[] actualUpdate = new float[N];
            plain.step(6, grad, expected, expectedUpdate);
            int8.step(6, grad, actual, actualUpdate);
            assertArrayEquals(expectedUpdate, actualUpdate);
            float[] block = new float[H];
            for (int i = 0; i < N; i++) {
                int row = i * w.stateWidth();
                assertEquals(expected[row], actual[row], "m");
                assertEquals(expected[row + 1], actual[row + 1], "v");
                for (int h : H_BLOCKS) {
                    System.arraycopy(expected, row + h, block, 0, H);
                    BlockwiseInt8.roundTrip(block, 0, H);
                    assertArrayEquals(block, Arrays.copyOfRange(actual, row + h, row + h + H), "h");
                    System.arraycopy(expected, row + h + H, block, 0, H);
                    if (cells == Int8StateStep.Cells.INT8) {
                        BlockwiseInt8.roundTrip(block, 0, H);
                    } else {
                        for (int k = 0; k < H; k++) {
                            block[k] = StatePrecision.FLOAT16.round(block[k]);
                        }
                    }
                    assertArrayEquals(block, Arrays.copyOfRange(actual, row + h + H, row + h + 2 * H), "c");
                }
            }
            assertTrue(!Arrays.equals(expected, actual), "something was rounded");
        }
    }

    @Test
    void aCoordinateWithANonFiniteGradientKeepsItsRowEvenWhenTheUpdateOverwritesTheGradient() throws Exception {
        OptimizerWeights w = Pretrained.load("rnnprop");
        int width = w.stateWidth();
        float[] state = new float[N * width];
        Random r = new Random(5);
        for (int i = 0; i < state.length; i++) {
            state[i] = (float) r.nextGaussian(); // not on the 8-bit grid: rounding would show
        }
        float[] before = state.clone();
        float[] grad = new float[N];
        Arrays.fill(grad, 0.01f);
        grad[3] = Float.NaN;
        grad[40] = Float.POSITIVE_INFINITY;
        try (Int8StateStep int8 = new Int8StateStep(new FastStep(w, 1), Int8StateStep.Cells.INT8)) {
            assertEquals(2, int8.step(1, grad, state, grad)); // update written over the gradient
        }
        for (int i : new int[] {3, 40}) {
            assertArrayEquals(Arrays.copyOfRange(before, i * width, (i + 1) * width),
                    Arrays.copyOfRange(state, i * width, (i + 1) * width), "row " + i);
            assertEquals(0f, grad[i]);
        }
        assertTrue(state[4 * width + 2] != before[4 * width + 2], "the other rows step");
    }
}
