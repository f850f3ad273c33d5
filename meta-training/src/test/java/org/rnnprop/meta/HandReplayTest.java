package org.rnnprop.meta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnnprop.core.FastStep;
import org.rnnprop.core.OptimizerKind;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.ReferenceStep;
import org.rnnprop.core.SpecInitialization;
import org.rnnprop.core.Tensor;
import org.rnnprop.tasks.Rng;
import org.rnnprop.tasks.Task;

/**
 * The hand-written meta-backward, in plain Java and on the Vector API: the same meta-gradient as the autograd
 * reference for every recipe, and as each other, the derivative of the surrogate by finite differences in double
 * precision, a sum over coordinates, independent of the number of threads. The vector cases are skipped where
 * the JVM cannot run them.
 */
class HandReplayTest {

    /** The two implementations. */
    enum Impl {
        PLAIN,
        VECTOR;

        /** A replay on {@code threads} threads; skips the calling test where this JVM cannot run it. */
        HandReplay make(int threads) {
            if (this == VECTOR) {
                assumeTrue(ReplayBlocks.vectorUnavailableReason() == null, () -> "the vector meta-backward is not "
                        + "tested: " + ReplayBlocks.vectorUnavailableReason());
            }
            return new HandReplay(threads, this == VECTOR);
        }
    }

    static Stream<Arguments> recipesAndImpls() {
        return Arrays.stream(Recipe.values()).flatMap(r -> Arrays.stream(Impl.values()).map(i -> Arguments.of(r, i)));
    }

    static Stream<Arguments> kindsAndImpls() {
        return Arrays.stream(OptimizerKind.values())
                .flatMap(k -> Arrays.stream(Impl.values()).map(i -> Arguments.of(k, i)));
    }

    /** A period's recorded inputs: start state, gradients per step, loss weights, steps before. */
    record Period(float[] state0, float[][] gradients, double[] lossWeights, long t0) {
        int coordinates(OptimizerWeights w) {
            return state0.length / w.stateWidth();
        }
    }

    /** Spec-initialised weights with every tensor, biases included, moved off its initial value. */
    static OptimizerWeights perturbed(OptimizerKind kind, long seed) {
        OptimizerWeights w = SpecInitialization.create(kind, seed);
        Rng r = new Rng(seed + 100);
        Map<String, Tensor> t = new LinkedHashMap<>();
        w.tensors().forEach((k, v) -> {
            float[] d = v.data().clone();
            float[] noise = r.gaussian(d.length, 0.1);
            for (int i = 0; i < d.length; i++) {
                d[i] += noise[i];
            }
            t.put(k, new Tensor(v.shape(), d));
        });
        return new OptimizerWeights(kind, w.hyperparameters(), t, Checkpoint.placeholder());
    }

    /**
     * A period from a non-zero state (moments, h and c drawn at random), with gradients from 1e-8 to 1e4 in
     * magnitude, both signs, and some exact zeros; loss weights of the objective for losses drawn in [0.1, 3].
     */
    static Period period(OptimizerWeights w, Recipe.Objective objective, int n, int steps, long t0, long seed) {
        Rng r = new Rng(seed);
        int width = w.stateWidth();
        int h = w.hyperparameters().hiddenSize();
        int at = w.kind() == OptimizerKind.RNNPROP ? 2 : 0;
        float[] state0 = new float[n * width];
        for (int i = 0; i < n; i++) {
            int row = i * width;
            if (at == 2) {
                double scale = Math.pow(10, r.uniform(-6, 3));
                state0[row] = (float) (r.nextGaussian() * scale);
                state0[row + 1] = (float) (Math.abs(r.nextGaussian()) * scale * scale);
            }
            for (int u = 0; u < h; u++) {
                state0[row + at + u] = (float) Math.tanh(r.nextGaussian());
                state0[row + at + h + u] = (float) (2 * r.nextGaussian());
                state0[row + at + 2 * h + u] = (float) Math.tanh(r.nextGaussian());
                state0[row + at + 3 * h + u] = (float) (2 * r.nextGaussian());
            }
        }
        float[][] grads = new float[steps][n];
        for (int k = 0; k < steps; k++) {
            for (int i = 0; i < n; i++) {
                double magnitude = Math.pow(10, r.uniform(-8, 4));
                grads[k][i] = r.nextInt(20) == 0 ? 0f : (float) (r.nextDouble() < 0.5 ? -magnitude : magnitude);
            }
        }
        double[] lossWeights = new double[steps];
        for (int k = 0; k < steps; k++) {
            lossWeights[k] = MetaGradient.lossWeight(objective, k, steps, r.uniform(0.1, 3));
        }
        return new Period(state0, grads, lossWeights, t0);
    }

    @ParameterizedTest
    @MethodSource("recipesAndImpls")
    void agreesWithTheAutogradReference(Recipe recipe, Impl impl) {
        OptimizerWeights w = perturbed(recipe.kind(), 5);
        HandReplay hand = impl.make(2);
        try (NDManager m = NDManager.newBaseManager()) {
            AutogradReplay reference = new AutogradReplay(m);
            for (long t0 : new long[] {0, 13}) {
                // 150 coordinates: two full blocks and a partial one
                Period p = period(w, recipe.objective(), 150, 7, t0, 11 + t0);
                Map<String, float[]> expected = reference.gradient(w, p.state0(), p.gradients(), p.lossWeights(), t0);
                Map<String, float[]> actual = hand.gradient(w, p.state0(), p.gradients(), p.lossWeights(), t0);
                assertEquals(expected.keySet(), actual.keySet());
                double rel = SampledPeriodTest.relativeError(expected, actual);
                assertTrue(rel <= 1e-4, recipe.id() + ", t0 " + t0 + ": relative error " + rel);
                for (String tensor : expected.keySet()) {
                    double relTensor = SampledPeriodTest.relativeError(Map.of(tensor, expected.get(tensor)),
                            Map.of(tensor, actual.get(tensor)));
                    assertTrue(relTensor <= 1e-3, recipe.id() + " " + tensor + ": relative error " + relTensor);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kindsAndImpls")
    void matchesFiniteDifferencesOfTheSurrogateInDoublePrecision(OptimizerKind kind, Impl impl) {
        HandReplay hand = impl.make(1);
        OptimizerWeights w = perturbed(kind, 8);
        Period p = period(w, Recipe.Objective.MEAN_LOSS, 5, 6, 2, 3);
        // magnitudes the double-precision reference step and the float kernel both handle alike
        for (float[] g : p.gradients()) {
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) Math.max(-50, Math.min(50, g[i]));
            }
        }
        Map<String, float[]> grad = hand.gradient(w, p.state0(), p.gradients(), p.lossWeights(), p.t0());
        // along a random direction through every weight
        Rng r = new Rng(21);
        Map<String, float[]> direction = new LinkedHashMap<>();
        w.tensors().forEach((k, t) -> direction.put(k, r.gaussian(t.size(), 1)));
        assertDirectionalDerivative(w, p, grad, direction, 1e-3, "random direction");
        // and along each tensor alone, so a wrong small tensor is not hidden by a right large one
        for (String tensor : w.tensors().keySet()) {
            Map<String, float[]> one = new LinkedHashMap<>();
            w.tensors().forEach((k, t) -> one.put(k, k.equals(tensor) ? direction.get(k) : new float[t.size()]));
            assertDirectionalDerivative(w, p, grad, one, 1e-3, tensor);
        }
    }

    /**
     * Checks that (S(w + h d) - S(w - h d)) equals grad . (w+ - w-) with the weights rounded to float, S in double.
     */
    private static void assertDirectionalDerivative(OptimizerWeights w, Period p, Map<String, float[]> grad,
            Map<String, float[]> direction, double h, String what) {
        OptimizerWeights plus = moved(w, direction, h);
        OptimizerWeights minus = moved(w, direction, -h);
        double linear = 0;
        for (String k : w.tensors().keySet()) {
            float[] a = plus.tensor(k).data();
            float[] b = minus.tensor(k).data();
            float[] g = grad.get(k);
            for (int i = 0; i < g.length; i++) {
                linear += (double) g[i] * ((double) a[i] - b[i]);
            }
        }
        double difference = surrogate(plus, p) - surrogate(minus, p);
        assertTrue(Math.abs(linear) > 1e-9, what + ": the derivative is zero, the check would prove nothing");
        assertEquals(difference, linear, 2e-4 * Math.abs(difference), what + ": finite difference " + difference
                + ", gradient . step " + linear);
    }

    private static OptimizerWeights moved(OptimizerWeights w, Map<String, float[]> direction, double h) {
        Map<String, Tensor> t = new LinkedHashMap<>();
        w.tensors().forEach((k, v) -> {
            float[] d = v.data().clone();
            float[] dir = direction.get(k);
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) (d[i] + h * dir[i]);
            }
            t.put(k, new Tensor(v.shape(), d));
        });
        return new OptimizerWeights(w.kind(), w.hyperparameters(), t, Checkpoint.placeholder());
    }

    /** The surrogate sum_k w_k <g_k, theta_k - theta_0>, by the double-precision reference step. */
    static double surrogate(OptimizerWeights w, Period p) {
        ReferenceStep step = new ReferenceStep(w);
        int n = p.coordinates(w);
        double[] state = new double[p.state0().length];
        for (int i = 0; i < state.length; i++) {
            state[i] = p.state0()[i];
        }
        double[] displacement = new double[n];
        double s = 0;
        for (int k = 0; k < p.gradients().length; k++) {
            double[] g = new double[n];
            for (int i = 0; i < n; i++) {
                g[i] = p.gradients()[k][i];
                s += p.lossWeights()[k] * g[i] * displacement[i];
            }
            double[] u = step.step(p.t0() + k + 1, g, state);
            for (int i = 0; i < n; i++) {
                displacement[i] -= u[i];
            }
        }
        return s;
    }

    @ParameterizedTest
    @EnumSource(Impl.class)
    void disjointCoordinateSamplesAddUpToTheWholeMetaGradient(Impl impl) {
        HandReplay hand = impl.make(2);
        OptimizerWeights w = perturbed(OptimizerKind.RNNPROP, 4);
        Period p = period(w, Recipe.Objective.MEAN_LOG_LOSS, 200, 5, 3, 8);
        int width = w.stateWidth();
        Map<String, float[]> whole = hand.gradient(w, p.state0(), p.gradients(), p.lossWeights(), 3);
        Map<String, float[]> sum = AutogradReplay.zeros(w);
        int[] cuts = {0, 30, 130, 200};
        for (int c = 0; c + 1 < cuts.length; c++) {
            int from = cuts[c];
            int to = cuts[c + 1];
            float[][] part = new float[p.gradients().length][];
            for (int k = 0; k < part.length; k++) {
                part[k] = Arrays.copyOfRange(p.gradients()[k], from, to);
            }
            hand.gradient(w, Arrays.copyOfRange(p.state0(), from * width, to * width), part, p.lossWeights(), 3)
                    .forEach((k, v) -> {
                        float[] s = sum.get(k);
                        for (int i = 0; i < v.length; i++) {
                            s[i] += v[i];
                        }
                    });
        }
        double rel = SampledPeriodTest.relativeError(whole, sum);
        assertTrue(rel < 1e-5, "relative error " + rel);
    }

    @ParameterizedTest
    @EnumSource(Impl.class)
    void theResultDoesNotDependOnTheNumberOfThreads(Impl impl) {
        OptimizerWeights w = perturbed(OptimizerKind.RNNPROP, 6);
        Period p = period(w, Recipe.Objective.LAST_LOSS, 700, 4, 1, 9);
        Map<String, float[]> one = impl.make(1).gradient(w, p.state0(), p.gradients(), p.lossWeights(), 1);
        Map<String, float[]> three = impl.make(3).gradient(w, p.state0(), p.gradients(), p.lossWeights(), 1);
        for (String k : one.keySet()) {
            assertArrayEquals(one.get(k), three.get(k), k);
        }
    }

    @ParameterizedTest
    @EnumSource(Recipe.class)
    void theVectorAndPlainPathsAgree(Recipe recipe) {
        HandReplay vector = Impl.VECTOR.make(2);
        OptimizerWeights w = perturbed(recipe.kind(), 12);
        // a full period of 20 steps over three full blocks and a partial one, from a state well into a run
        Period p = period(w, recipe.objective(), 230, 20, 140, 31);
        Map<String, float[]> plain = Impl.PLAIN.make(2).gradient(w, p.state0(), p.gradients(), p.lossWeights(),
                p.t0());
        Map<String, float[]> fast = vector.gradient(w, p.state0(), p.gradients(), p.lossWeights(), p.t0());
        for (String tensor : plain.keySet()) {
            double rel = SampledPeriodTest.relativeError(Map.of(tensor, plain.get(tensor)),
                    Map.of(tensor, fast.get(tensor)));
            assertTrue(rel <= 1e-4, recipe.id() + " " + tensor + ": relative error " + rel);
        }
    }

    /**
     * A period of the long-horizon recipe on a sample of the coordinates, as {@link SampledPeriod} hands it to
     * the meta-backward: both paths give the autograd reference's meta-gradient.
     */
    @ParameterizedTest
    @EnumSource(Impl.class)
    void aSampledLongHorizonPeriodGivesTheAutogradMetaGradient(Impl impl) {
        HandReplay hand = impl.make(2);
        OptimizerWeights w = perturbed(OptimizerKind.RNNPROP, 9);
        List<Period> recorded = new ArrayList<>();
        PeriodBackward recorder = (weights, state0, gradients, lossWeights, t0) -> {
            recorded.add(new Period(state0.clone(), gradients.clone(), lossWeights.clone(), t0));
            return AutogradReplay.zeros(weights);
        };
        try (NDManager m = NDManager.newBaseManager(); FastStep kernel = new FastStep(w, 1)) {
            Task task = SampledPeriodTest.tinyTask(m);
            KernelTrajectory trajectory = new KernelTrajectory(task, w, m, new Rng(3));
            Rng rng = new Rng(41);
            for (int period = 0; period < 2; period++) { // the second starts from a non-zero state
                SampledPeriod.run(w, kernel, trajectory, rng, 8, Recipe.Objective.MEAN_LOG_LOSS, 23, 1e9, recorder,
                        new MetaTrainer.Timings());
            }
            Period p = recorded.get(1);
            assertEquals(23, p.coordinates(w));
            Map<String, float[]> expected = new AutogradReplay(m).gradient(w, p.state0(), p.gradients(),
                    p.lossWeights(), p.t0());
            Map<String, float[]> actual = hand.gradient(w, p.state0(), p.gradients(), p.lossWeights(), p.t0());
            double rel = SampledPeriodTest.relativeError(expected, actual);
            assertTrue(rel <= 1e-4, "relative error " + rel);
        }
    }

    @ParameterizedTest
    @EnumSource(Impl.class)
    void stepsAfterTheLastWeightedLossChangeNothing(Impl impl) {
        HandReplay hand = impl.make(1);
        OptimizerWeights w = perturbed(OptimizerKind.DM_OPTIMIZER, 2);
        Period p = period(w, Recipe.Objective.MEAN_LOSS, 70, 9, 4, 6);
        double[] weights = p.lossWeights().clone();
        Arrays.fill(weights, 6, 9, 0); // the losses entering steps 6 .. 8 are not weighted
        Map<String, float[]> whole = hand.gradient(w, p.state0(), p.gradients(), weights, p.t0());
        Map<String, float[]> cut = hand.gradient(w, p.state0(), Arrays.copyOf(p.gradients(), 6),
                Arrays.copyOf(weights, 6), p.t0());
        for (String k : whole.keySet()) {
            assertArrayEquals(cut.get(k), whole.get(k), k);
        }
        double[] none = new double[9];
        none[0] = 1; // the first loss does not depend on the weights
        hand.gradient(w, p.state0(), p.gradients(), none, p.t0()).forEach((k, g) -> {
            for (float x : g) {
                assertEquals(0f, x, k);
            }
        });
    }

    @Test
    void theDefaultPathIsTheVectorOneWhereTheJvmCanRunIt() {
        assertEquals(ReplayBlocks.vectorUnavailableReason() == null, new HandReplay(1).vector());
    }

    @Test
    void inconsistentRecordsAreRejectedWithTheirSizes() {
        OptimizerWeights w = perturbed(OptimizerKind.DM_OPTIMIZER, 1);
        Period p = period(w, Recipe.Objective.MEAN_LOSS, 10, 3, 0, 1);
        HandReplay hand = new HandReplay(1);
        float[][] shortStep = {p.gradients()[0], Arrays.copyOf(p.gradients()[1], 9), p.gradients()[2]};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> hand.gradient(w, p.state0(), shortStep, p.lossWeights(), 0));
        assertTrue(e.getMessage().contains("gradients[1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> hand.gradient(w, p.state0(), p.gradients(), new double[2], 0));
        assertTrue(e.getMessage().contains("loss weights"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> hand.gradient(w, Arrays.copyOf(p.state0(), 15), p.gradients(), p.lossWeights(), 0));
        assertTrue(e.getMessage().contains("state width"), e.getMessage());
    }
}
