package org.rnnprop.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnnprop.core.internal.VectorActivations;

/**
 * What only the vector kernel needs checking for: its vector exp and tanh, network sizes that do and do not fill
 * whole vectors, and coordinate counts that do not. The behaviour it shares with FastStep (golden fixture,
 * skipped gradients, threads, direct buffers, update written over the gradient) is in StepKernelGoldenTest.
 */
class VectorStepTest {
    @BeforeEach
    void needsVectorModule() {
        Impl.assumeVector();
    }

    private static int lanes() {
        return jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
    }

    /** Applies one of the vector kernel's lane functions to {@code n} points spread over [from, to]. */
    private static double worstAbsoluteError(boolean elu, DoubleUnaryOperator exact, float from, float to) {
        int n = 160_000; // a whole number of vectors for every width up to 2048 bits
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = from + (to - from) * i / (n - 1);
        }
        float[] y = x.clone();
        if (elu) {
            VectorActivations.eluLanes(y, 0, n);
        } else {
            float[] ones = new float[n];
            java.util.Arrays.fill(ones, 1f);
            VectorActivations.tanhLanes(x, 0, y, 0, ones, 0, new float[n], 0, n);
        }
        double worst = 0;
        for (int i = 0; i < n; i++) {
            worst = Math.max(worst, Math.abs(y[i] - exact.applyAsDouble(x[i])));
        }
        return worst;
    }

    @Test
    void eluIsAccurateToAboutOneUlpOfItsResult() {
        DoubleUnaryOperator elu = x -> x > 0 ? x : Math.expm1(x);
        assertTrue(worstAbsoluteError(true, elu, -100f, 0f) < 1.2e-7);
        assertTrue(worstAbsoluteError(true, elu, -1e-3f, 0f) < 1e-10, "relative accuracy near 0");
        assertEquals(0, worstAbsoluteError(true, elu, 0f, 30f), "non-negative inputs pass unchanged");
    }

    @Test
    void tanhMatchesTheMathLibrary() {
        assertTrue(worstAbsoluteError(false, Math::tanh, -20f, 20f) < 4e-7);
        assertTrue(worstAbsoluteError(false, Math::tanh, -1e-3f, 1e-3f) < 3e-10, "relative accuracy near 0");
    }

    /** Gradients spanning 1e-8 to 1e3 with mixed signs and some zeros, different at every step. */
    private static float[] gradients(int n, int t, Random rnd) {
        float[] g = new float[n];
        for (int i = 0; i < n; i++) {
            double magnitude = Math.pow(10, -8 + 11.0 * ((i * 7919L) % 1000) / 999);
            g[i] = i % 11 == 5 ? 0f : (float) (magnitude * rnd.nextGaussian());
        }
        return g;
    }

    /** Steps the kernel and the reference side by side for three steps and holds them to the fixture's tolerance. */
    private static void checkAgainstReference(StepKernel kernel, int n) {
        ReferenceStep ref = new ReferenceStep(kernel.weights());
        int w = kernel.stateWidth();
        FloatBuffer grad = direct(n);
        FloatBuffer state = direct(n * w);
        FloatBuffer update = direct(n);
        double[] refState = new double[n * w];
        Random rnd = new Random(n);
        for (int t = 1; t <= 3; t++) {
            float[] g = gradients(n, t, rnd);
            grad.put(0, g);
            double[] gd = new double[n];
            for (int i = 0; i < n; i++) {
                gd[i] = g[i];
            }
            assertEquals(0, kernel.step(t, grad, state, update, n));
            double[] expected = ref.step(t, gd, refState);
            float[] got = new float[n];
            update.get(0, got);
            GoldenFixture.check("n " + n + " step " + t + " update", expected, got);
            float[] gotState = new float[n * w];
            state.get(0, gotState);
            GoldenFixture.check("n " + n + " step " + t + " state", refState, gotState);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 17, 63, 65, 130, 4096 + 37})
    void coordinateCountsThatFillNoWholeVectorOrBlock(int n) {
        for (OptimizerKind kind : OptimizerKind.values()) {
            try (StepKernel k = VectorStep.withThreads(SpecInitialization.create(kind, 7), 2)) {
                checkAgainstReference(k, n);
            }
        }
    }

    /** Hidden and preprocessing widths that are and are not multiples of the vector width. */
    @ParameterizedTest
    @CsvSource({"16, 20", "37, 3", "32, 40", "20, 1"})
    void networkSizesThatFillNoWholeVector(int hidden, int preprocess) {
        org.junit.jupiter.api.Assumptions.assumeTrue(hidden >= lanes(), "vectors wider than the hidden size");
        for (OptimizerKind kind : OptimizerKind.values()) {
            Hyperparameters d = Hyperparameters.defaults(kind);
            Hyperparameters hp = new Hyperparameters(d.beta1(), d.beta2(), d.epsilon(), d.alpha(), preprocess, hidden,
                    d.forgetBias(), d.logScale());
            try (StepKernel k = VectorStep.withThreads(SpecInitialization.create(kind, hp, 11), 1)) {
                checkAgainstReference(k, 70);
            }
        }
    }

    @Test
    void factoryPicksTheVectorKernelAndFallsBackForNetworksNarrowerThanAVector() {
        OptimizerWeights spec = SpecInitialization.create(OptimizerKind.RNNPROP, 1);
        try (StepKernel k = StepKernels.best(spec, 1)) {
            assertInstanceOf(VectorStep.class, k);
        }
        assertInstanceOf(VectorStep.class, StepKernels.best(spec));
        Hyperparameters d = Hyperparameters.defaults(OptimizerKind.RNNPROP);
        Hyperparameters narrow = new Hyperparameters(d.beta1(), d.beta2(), d.epsilon(), d.alpha(), 20, lanes() - 1,
                d.forgetBias(), d.logScale());
        try (StepKernel k = StepKernels.best(SpecInitialization.create(OptimizerKind.RNNPROP, narrow, 1), 1)) {
            assertInstanceOf(FastStep.class, k);
            checkAgainstReference(k, 10);
        }
    }

    private static FloatBuffer direct(int n) {
        return ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
}
