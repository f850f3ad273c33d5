package org.rnnprop.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.rnnprop.core.StepKernel;
import org.rnnprop.core.StepKernels;

/** The updater's plumbing: non-finite gradients, memory layouts, state handling. */
class RnnpropUpdaterTest {
    private static final Rnnprop RNNPROP = Rnnprop.pretrained("rnnprop-untrained");

    @Test
    void nonFiniteGradientLeavesParameterAndStateAndIsCounted() {
        MultiLayerNetwork net = TestNets.sixtyFourParameters(RNNPROP, DataType.FLOAT);
        int w = RNNPROP.stateWidth();
        float[] g = TestNets.gradient(64, 1);
        TestNets.stepWithGradient(net, g, 0); // a first step, so the state is not all zeros
        RnnpropUpdater u = RnnpropUpdater.of(net.getUpdater()).get(0);
        assertEquals(0, u.getSkippedLastStep());

        float[] paramsBefore = net.params().toFloatVector();
        float[] stateBefore = net.getUpdater().getStateViewArray().toFloatVector();
        int[] bad = {5, 17, 63};
        g = TestNets.gradient(64, 2);
        g[5] = Float.NaN;
        g[17] = Float.POSITIVE_INFINITY;
        g[63] = Float.NEGATIVE_INFINITY;
        TestNets.stepWithGradient(net, g, 1);
        float[] paramsAfter = net.params().toFloatVector();
        float[] stateAfter = net.getUpdater().getStateViewArray().toFloatVector();

        assertEquals(3, u.getSkippedLastStep());
        assertEquals(3, u.getSkippedTotal());
        for (int i : bad) {
            assertEquals(paramsBefore[i], paramsAfter[i], "parameter " + i);
            assertArrayEquals(Arrays.copyOfRange(stateBefore, i * w, (i + 1) * w),
                    Arrays.copyOfRange(stateAfter, i * w, (i + 1) * w), "state row " + i);
        }
        for (float v : paramsAfter) {
            assertTrue(Float.isFinite(v), "a parameter became non-finite");
        }
        assertNotEquals(paramsBefore[6], paramsAfter[6], "finite coordinates still move");

        g = TestNets.gradient(64, 3);
        g[0] = Float.NaN;
        TestNets.stepWithGradient(net, g, 2);
        assertEquals(1, u.getSkippedLastStep());
        assertEquals(4, u.getSkippedTotal());
    }

    @Test
    void floatNetworkStepsInPlaceAndDoubleNetworkCopies() {
        MultiLayerNetwork net = TestNets.sixtyFourParameters(RNNPROP, DataType.FLOAT);
        TestNets.stepWithGradient(net, TestNets.gradient(64, 1), 0);
        assertTrue(RnnpropUpdater.of(net.getUpdater()).get(0).lastStepInPlace());
        net = TestNets.sixtyFourParameters(RNNPROP, DataType.DOUBLE);
        TestNets.stepWithGradient(net, TestNets.gradient(64, 1), 0);
        assertFalse(RnnpropUpdater.of(net.getUpdater()).get(0).lastStepInPlace());
    }

    /**
     * The in-place path on offset views, the copying paths (float64, strided) and the core kernel on plain
     * arrays (the kind the updater runs, with a thread of its own) give bit-identical results; 3,000
     * coordinates so the kernel splits work across threads.
     */
    @Test
    void everyMemoryLayoutGivesTheKernelsExactResult() {
        int n = 3000;
        int w = RNNPROP.stateWidth();
        float[] expectedState = new float[n * w];
        float[] expectedUpdate = new float[n];
        try (StepKernel reference = StepKernels.best(RNNPROP.weights(), 1)) {
            Layout[] layouts = {Layout.OFFSET_VIEW_FLOAT, Layout.DOUBLE, Layout.STRIDED_FLOAT};
            RnnpropUpdater[] updaters = new RnnpropUpdater[layouts.length];
            INDArray[] states = new INDArray[layouts.length];
            for (int k = 0; k < layouts.length; k++) {
                states[k] = layouts[k].stateArray(n * w);
                updaters[k] = RNNPROP.instantiate(states[k], true);
            }
            assertTrue(FlatFloats.of(states[0]).isDirect());
            assertFalse(FlatFloats.of(states[1]).isDirect());
            for (int step = 0; step < 3; step++) {
                float[] g = TestNets.gradient(n, 10 + step);
                g[123] = Float.NaN;
                float[] update = g.clone();
                reference.step(step + 1, g, expectedState, update);
                for (int k = 0; k < layouts.length; k++) {
                    INDArray grad = layouts[k].gradientArray(g);
                    assertEquals(layouts[k] == Layout.OFFSET_VIEW_FLOAT, FlatFloats.of(grad).isDirect());
                    updaters[k].applyUpdater(grad, step, 0);
                    assertArrayEquals(update, floats(grad), layouts[k] + " update, step " + (step + 1));
                    assertArrayEquals(expectedState, floats(states[k]), layouts[k] + " state, step " + (step + 1));
                    assertEquals(1, updaters[k].getSkippedLastStep());
                }
            }
        }
    }

    @Test
    void updatersShareOneKernelPerConfig() {
        assertSame(Kernels.step(RNNPROP), Kernels.step(RNNPROP.clone()));
        assertSame(Kernels.step(RNNPROP), Kernels.step(Rnnprop.pretrained("rnnprop-untrained")));
        assertNotEquals(Kernels.step(RNNPROP), Kernels.step(RNNPROP.withAlphaScale(0.5)));
    }

    @Test
    void stateViewOfWrongSizeIsRejected() {
        INDArray view = Nd4j.zeros(DataType.FLOAT, 1, 10 * RNNPROP.stateWidth() + 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RnnpropUpdater(RNNPROP).setStateViewArray(view, new long[] {10}, 'c', true));
        assertTrue(e.getMessage().contains("820"), e.getMessage());
        RnnpropUpdater u = new RnnpropUpdater(RNNPROP);
        assertThrows(IllegalStateException.class, () -> u.applyUpdater(Nd4j.ones(DataType.FLOAT, 4), 0, 0));
    }

    /** SameDiff's way: state as a map, created and restored through instantiate(Map, boolean). */
    @Test
    void stateMapRoundTrip() {
        int n = 10;
        INDArray state = Nd4j.zeros(DataType.FLOAT, 1, n * RNNPROP.stateWidth());
        RnnpropUpdater u = RNNPROP.instantiate(state, true);
        INDArray g = Nd4j.createFromArray(TestNets.gradient(n, 4));
        u.applyUpdater(g, 0, 0);
        Map<String, INDArray> saved = u.getState();
        assertSame(state, saved.get(RnnpropUpdater.STATE_KEY));
        RnnpropUpdater restored = RNNPROP.instantiate(Map.of(RnnpropUpdater.STATE_KEY, state.dup()), false);
        INDArray g1 = Nd4j.createFromArray(TestNets.gradient(n, 5));
        INDArray g2 = g1.dup();
        u.applyUpdater(g1, 1, 0);
        restored.applyUpdater(g2, 1, 0);
        assertArrayEquals(g1.toFloatVector(), g2.toFloatVector());
        assertThrows(IllegalStateException.class, () -> RNNPROP.instantiate(Map.of("M", state), false));
    }

    @Test
    void findsUpdatersOfEveryBlock() {
        MultiLayerNetwork net = TestNets.classifierNet(RNNPROP);
        List<RnnpropUpdater> all = RnnpropUpdater.of(net.getUpdater());
        assertEquals(1, all.size(), "equal configs share one block");
        assertEquals(RNNPROP, all.get(0).getConfig());
    }

    private static float[] floats(INDArray a) {
        return a.dup().castTo(DataType.FLOAT).reshape(a.length()).toFloatVector();
    }

    /** How the gradient and state arrays are laid out in memory. */
    private enum Layout {
        /** Float32 views that start inside a larger allocation: the in-place path at a nonzero offset. */
        OFFSET_VIEW_FLOAT {
            @Override
            INDArray gradientArray(float[] g) {
                INDArray big = Nd4j.zeros(DataType.FLOAT, g.length + 5);
                INDArray view = big.get(NDArrayIndex.interval(3, 3 + g.length));
                view.assign(Nd4j.createFromArray(g));
                return view;
            }

            @Override
            INDArray stateArray(int length) {
                return Nd4j.zeros(DataType.FLOAT, 1, length + 7).get(NDArrayIndex.point(0),
                        NDArrayIndex.interval(7, 7 + length));
            }
        },
        /** Float64 everywhere: copied in slabs through float scratch. */
        DOUBLE {
            @Override
            INDArray gradientArray(float[] g) {
                return Nd4j.createFromArray(g).castTo(DataType.DOUBLE);
            }

            @Override
            INDArray stateArray(int length) {
                return Nd4j.zeros(DataType.DOUBLE, 1, length);
            }
        },
        /** A gradient that is a column of a matrix (stride 2): copied element by element. */
        STRIDED_FLOAT {
            @Override
            INDArray gradientArray(float[] g) {
                INDArray m = Nd4j.zeros(DataType.FLOAT, g.length, 2);
                INDArray column = m.getColumn(1);
                column.assign(Nd4j.createFromArray(g));
                return column;
            }

            @Override
            INDArray stateArray(int length) {
                return Nd4j.zeros(DataType.FLOAT, 1, length);
            }
        };

        abstract INDArray gradientArray(float[] g);

        abstract INDArray stateArray(int length);
    }
}
