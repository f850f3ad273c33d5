package org.rnnprop.pretrained;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rnnprop.core.FastStep;
import org.rnnprop.core.OptimizerKind;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.ReferenceStep;
import org.rnnprop.core.StepKernel;
import org.rnnprop.core.StepKernels;

/**
 * The float kernels against the double-precision reference over a 100-step trajectory with the shipped, trained
 * weights: gradients from 1e-8 to 1e3 with mixed signs, coordinates that are always or sometimes exactly zero,
 * and NaN and infinite gradients here and there. Each kernel keeps its own float state, so the comparison also
 * covers how rounding errors accumulate along the trajectory.
 *
 * <p>Tolerances, checked at every step for every coordinate (the golden fixture holds six steps from spec-initialised
 * weights to 1e-5 relative; over 100 steps float32 state drifts further, and a moment that is a sum of
 * cancelling large gradients has no relative accuracy to speak of):
 * <ul>
 *   <li>updates: {@code 2e-5 * alpha + 1e-4 * |update|};</li>
 *   <li>RNNprop's moments, at the gradient's scale: m within {@code 2e-6 * sqrt(v)}, v within {@code 2e-6 * v};</li>
 *   <li>LSTM states h and c: {@code 5e-4 + 1e-4 * |value|}.</li>
 * </ul>
 * Both kernels stayed within about 0.3 of these for both kinds when this test was written (JDK 17, AVX-512).
 */
class KernelParityTest {
    /** Updates: UPDATE_ATOL * alpha + UPDATE_RTOL * |update|. */
    private static final double UPDATE_ATOL = 2e-5;
    private static final double UPDATE_RTOL = 1e-4;
    /** RNNprop's moments, at the scale of the gradient: m within MOMENT_RTOL * sqrt(v), v within MOMENT_RTOL * v. */
    private static final double MOMENT_RTOL = 2e-6;
    /** LSTM states h and c: LSTM_ATOL + LSTM_RTOL * |value|. */
    private static final double LSTM_ATOL = 5e-4;
    private static final double LSTM_RTOL = 1e-4;
    private static final int STEPS = 100;
    private static final int N = 1003; // not a multiple of any vector width or chunk

    private static StepKernel kernel(String impl, OptimizerWeights w) {
        if (impl.equals("vector")) {
            assumeTrue(StepKernels.vectorEnabled(), "vector kernel not tested: run the JVM with "
                    + StepKernels.VECTOR_FLAG);
            return StepKernels.best(w, 2);
        }
        return new FastStep(w, 2);
    }

    /** Gradient of coordinate i at step t (1-based), deterministic. */
    private static float gradient(int i, int t, double magnitude, Random rnd) {
        if (i % 23 == 4 || (i % 7 == 2 && t % 5 == 0)) {
            return 0f; // always zero, or zero at some steps
        }
        if (i % 97 == 13 && t % 10 == 3) {
            return Float.NaN;
        }
        if (i % 89 == 7 && t % 17 == 5) {
            return t % 2 == 0 ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
        }
        double sign = i % 3 == 0 ? 1 : (rnd.nextBoolean() ? 1 : -1); // some keep their sign, most do not
        return (float) (sign * magnitude * (0.5 + rnd.nextDouble()));
    }

    @ParameterizedTest
    @CsvSource({"fast, rnnprop", "vector, rnnprop", "fast, dm-optimizer", "vector, dm-optimizer"})
    void hundredStepsOfWideGradientsStayWithinToleranceOfTheReference(String impl, String name) throws Exception {
        OptimizerWeights w = Pretrained.load(name);
        int width = w.stateWidth();
        double[] magnitude = new double[N];
        Random rnd = new Random(42);
        for (int i = 0; i < N; i++) {
            magnitude[i] = Math.pow(10, -8 + 11 * rnd.nextDouble());
        }
        ReferenceStep ref = new ReferenceStep(w);
        double[] refState = new double[N * width];
        FloatBuffer grad = direct(N);
        FloatBuffer state = direct(N * width);
        try (StepKernel k = kernel(impl, w)) {
            for (int t = 1; t <= STEPS; t++) {
                double[] g = new double[N];
                int nonFinite = 0;
                for (int i = 0; i < N; i++) {
                    float gi = gradient(i, t, magnitude[i], rnd);
                    grad.put(i, gi);
                    g[i] = gi;
                    nonFinite += Float.isFinite(gi) ? 0 : 1;
                }
                double[] expected = ref.step(t, g, refState);
                assertEquals(nonFinite, k.step(t, grad, state, grad, N), "skipped at step " + t);
                check(t, expected, grad, refState, state, w);
            }
        }
    }

    /**
     * Checks one step; returns the worst error as a fraction of its tolerance (above 1 fails). Moments and LSTM
     * states are held to tolerances of their own scale (see the class comment).
     */
    private static double check(int t, double[] update, FloatBuffer gotUpdate, double[] state, FloatBuffer gotState,
            OptimizerWeights w) {
        double alpha = w.hyperparameters().alpha();
        int width = w.stateWidth();
        int lstm = w.kind() == OptimizerKind.RNNPROP ? 2 : 0;
        double worst = 0;
        for (int i = 0; i < update.length; i++) {
            worst = Math.max(worst, ratio(t, "update", i, update[i], gotUpdate.get(i),
                    UPDATE_ATOL * alpha + UPDATE_RTOL * Math.abs(update[i])));
            int r = i * width;
            if (lstm == 2) {
                double v = state[r + 1];
                worst = Math.max(worst, ratio(t, "m", i, state[r], gotState.get(r), MOMENT_RTOL * Math.sqrt(v)));
                worst = Math.max(worst, ratio(t, "v", i, v, gotState.get(r + 1), MOMENT_RTOL * v));
            }
            for (int k = lstm; k < width; k++) {
                worst = Math.max(worst, ratio(t, "LSTM state " + (k - lstm) + " of", i, state[r + k],
                        gotState.get(r + k), LSTM_ATOL + LSTM_RTOL * Math.abs(state[r + k])));
            }
        }
        return worst;
    }

    private static double ratio(int t, String what, int i, double expected, float actual, double allowed) {
        double ratio = Math.abs(actual - expected) / allowed;
        if (expected == actual) {
            return 0; // also 0 == 0 where the tolerance is 0 (v of an always-zero gradient)
        }
        if (!(ratio <= 1)) {
            throw new AssertionError("step " + t + ", " + what + " coordinate " + i + ": got " + actual
                    + ", expected " + expected + " (tolerance " + allowed + ")");
        }
        return ratio;
    }

    private static FloatBuffer direct(int n) {
        return ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
}
