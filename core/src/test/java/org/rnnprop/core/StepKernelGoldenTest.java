package org.rnnprop.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every core kernel against the golden fixture, plus the behaviour the fixture cannot show. */
class StepKernelGoldenTest {

    @ParameterizedTest
    @EnumSource(OptimizerKind.class)
    void referenceReproducesFixtureInFloatApi(OptimizerKind kind) {
        GoldenFixture f = GoldenFixture.load(kind);
        f.checkKernel(new ReferenceStep(f.weights()));
    }

    /** Every multithreaded kernel for every kind of optimizer. */
    static Stream<Arguments> kernels() {
        return Stream.of(Impl.values()).flatMap(i -> Stream.of(OptimizerKind.values()).map(k -> Arguments.of(i, k)));
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void singleThreadReproducesFixture(Impl impl, OptimizerKind kind) {
        GoldenFixture f = GoldenFixture.load(kind);
        try (StepKernel kernel = impl.make(f.weights(), 1)) {
            f.checkKernel(kernel);
        }
    }

    /** Many copies of the fixture's coordinates, so chunks and threads split them at odd places. */
    @ParameterizedTest
    @MethodSource("kernels")
    void multiThreadReproducesFixtureOnDirectBuffers(Impl impl, OptimizerKind kind) {
        GoldenFixture f = GoldenFixture.load(kind);
        int copies = 61; // 61 * 64 coordinates: several chunks, last one partial
        int n = copies * f.coordinates();
        int w = f.weights().stateWidth();
        FloatBuffer grad = direct(n);
        FloatBuffer state = direct(n * w);
        try (StepKernel fast = impl.make(f.weights(), 3)) {
            for (int s = 0; s < f.steps(); s++) {
                float[] g = f.gradient(s);
                for (int c = 0; c < copies; c++) {
                    grad.put(c * g.length, g);
                }
                assertEquals(0, fast.step(s + 1, grad, state, grad, n)); // update written over the gradient
                double[] u = f.update(s);
                double[] st = f.state(s);
                for (int c = 0; c < copies; c++) {
                    float[] got = new float[g.length];
                    grad.get(c * g.length, got);
                    GoldenFixture.check("copy " + c + " step " + (s + 1) + " update", u, got);
                    float[] gotState = new float[st.length];
                    state.get(c * st.length, gotState);
                    GoldenFixture.check("copy " + c + " step " + (s + 1) + " state", st, gotState);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(OptimizerKind.class)
    void referenceSkipsNonFiniteGradients(OptimizerKind kind) {
        checkSkipsNonFiniteGradients(new ReferenceStep(GoldenFixture.load(kind).weights()));
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void nonFiniteGradientsSkipCoordinateAndKeepState(Impl impl, OptimizerKind kind) {
        try (StepKernel k = impl.make(GoldenFixture.load(kind).weights(), 2)) {
            checkSkipsNonFiniteGradients(k);
        }
    }

    private static void checkSkipsNonFiniteGradients(StepKernel k) {
        int n = 2000;
        int w = k.stateWidth();
        float[] state = new float[n * w];
        float[] update = new float[n];
        float[] g = new float[n];
        java.util.Arrays.fill(g, 0.01f);
        k.step(1, g, state, update);
        float[] before = state.clone();
        g[3] = Float.NaN;
        g[1500] = Float.POSITIVE_INFINITY;
        g[1999] = Float.NEGATIVE_INFINITY;
        int skipped = k.step(2, g, state, update);
        assertEquals(3, skipped, k.getClass().getSimpleName());
        for (int i : new int[] {3, 1500, 1999}) {
            assertEquals(0f, update[i]);
            float[] rowBefore = java.util.Arrays.copyOfRange(before, i * w, (i + 1) * w);
            float[] rowAfter = java.util.Arrays.copyOfRange(state, i * w, (i + 1) * w);
            assertArrayEquals(rowBefore, rowAfter, "state row " + i + " changed");
        }
        for (float v : state) {
            assertTrue(Float.isFinite(v), "state poisoned");
        }
        assertTrue(update[4] != 0f, "finite coordinates still move");
    }

    @ParameterizedTest
    @EnumSource(Impl.class)
    void stepCountIsOneBased(Impl impl) {
        GoldenFixture f = GoldenFixture.load(OptimizerKind.RNNPROP);
        try (StepKernel fast = impl.make(f.weights(), 1)) {
            assertThrows(IllegalArgumentException.class,
                    () -> fast.step(0, new float[1], new float[fast.stateWidth()], new float[1]));
        }
    }

    @Test
    void updatesAreBoundedByAlphaForRnnprop() {
        GoldenFixture f = GoldenFixture.load(OptimizerKind.RNNPROP);
        for (int s = 0; s < f.steps(); s++) {
            for (double u : f.update(s)) {
                assertTrue(Math.abs(u) <= 0.1, "update " + u + " exceeds alpha");
            }
        }
    }

    private static FloatBuffer direct(int n) {
        return ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
}
