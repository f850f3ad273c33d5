package org.rnnprop.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rnnprop.core.FastStep;
import org.rnnprop.core.OptimizerKind;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.SpecInitialization;
import org.rnnprop.djl.internal.NdState;
import org.rnnprop.djl.internal.NdWeights;
import org.rnnprop.tasks.ConvexTask;
import org.rnnprop.tasks.MlpTask;
import org.rnnprop.tasks.Rng;
import org.rnnprop.tasks.ScaledTask;
import org.rnnprop.tasks.SumTask;
import org.rnnprop.tasks.Task;

/**
 * The long-horizon recipe's period: with every coordinate it gives the same meta-gradient as the autograd
 * period of the paper's recipes; its coordinate sample is exact in sum; a blown-up period stops where it
 * blew up.
 */
class SampledPeriodTest {

    static Task tinyTask(NDManager m) {
        Rng r = new Rng(17);
        return new SumTask(List.of(
                ScaledTask.random(new MlpTask(MetaGradientTest.tinyData(), m, 4, 1, MlpTask.Act.TANH, 8), 1, r),
                ConvexTask.random(5, r)));
    }

    @ParameterizedTest
    @EnumSource(value = Recipe.Objective.class)
    void everyCoordinateGivesTheAutogradPeriodsMetaGradient(Recipe.Objective objective) {
        OptimizerWeights w = SpecInitialization.create(OptimizerKind.RNNPROP, 3);
        int unroll = 5;
        try (NDManager m = NDManager.newBaseManager(); FastStep kernel = new FastStep(w, 1)) {
            Task task = tinyTask(m);
            KernelTrajectory trajectory = new KernelTrajectory(task, w, m, new Rng(2));
            Rng rng = new Rng(40);
            // a first period, so the one compared starts from a non-zero state at t0 = 5
            SampledPeriod.run(w, kernel, trajectory, rng, unroll, objective, 0, 10, new AutogradReplay(m),
                    new MetaTrainer.Timings());
            NDArray theta = m.create(trajectory.theta().clone());
            NdState state = NdState.fromRows(w.kind(), w.hyperparameters().hiddenSize(),
                    m.create(trajectory.state().clone(), new Shape(task.dimension(), w.stateWidth())));
            long t0 = trajectory.steps();
            Rng periodRng = Rng.of(5, 5);
            SampledPeriod.Outcome sampled = SampledPeriod.run(w, kernel, trajectory, periodRng, unroll, objective, 0,
                    1e9, new AutogradReplay(m), new MetaTrainer.Timings());
            MetaGradient.Period reference = MetaGradient.period(NdWeights.of(w, m), task, Rng.of(5, 5), theta, state,
                    t0, unroll, objective, new MetaTrainer.Timings());
            assertNotNull(sampled.gradients());
            assertEquals(reference.metaLoss(), sampled.metaLoss(), 1e-5 * Math.abs(reference.metaLoss()) + 1e-6);
            assertTrue(relativeError(reference.gradients(), sampled.gradients()) < 1e-4,
                    objective + ": relative error " + relativeError(reference.gradients(), sampled.gradients()));
        }
    }

    @Test
    void disjointCoordinateSamplesAddUpToTheWholeMetaGradient() {
        OptimizerWeights w = SpecInitialization.create(OptimizerKind.RNNPROP, 4);
        int n = 30;
        int width = w.stateWidth();
        Rng r = new Rng(8);
        float[] state0 = r.gaussian(n * width, 0.3);
        for (int i = 0; i < n; i++) {
            state0[i * width + 1] = Math.abs(state0[i * width + 1]); // v is a second moment: not negative
        }
        float[][] grads = new float[4][];
        for (int k = 0; k < grads.length; k++) {
            grads[k] = r.gaussian(n, 1);
        }
        double[] lossWeights = {0.1, 0.2, 0.3, 0.4};
        try (NDManager m = NDManager.newBaseManager()) {
            AutogradReplay replay = new AutogradReplay(m);
            Map<String, float[]> whole = replay.gradient(w, state0, grads, lossWeights, 3);
            Map<String, float[]> sum = AutogradReplay.zeros(w);
            for (int from = 0; from < n; from += 10) {
                int to = from + 10;
                float[][] part = new float[grads.length][];
                for (int k = 0; k < grads.length; k++) {
                    part[k] = Arrays.copyOfRange(grads[k], from, to);
                }
                Map<String, float[]> g = replay.gradient(w, Arrays.copyOfRange(state0, from * width, to * width), part,
                        lossWeights, 3);
                g.forEach((k, v) -> {
                    float[] s = sum.get(k);
                    for (int i = 0; i < v.length; i++) {
                        s[i] += v[i];
                    }
                });
            }
            assertTrue(relativeError(whole, sum) < 1e-5, "relative error " + relativeError(whole, sum));
        }
    }

    @Test
    void samplesAreDistinctCoordinatesOrAllOfThem() {
        int[] s = SampledPeriod.sample(1000, 64, new Rng(1));
        assertEquals(64, s.length);
        assertEquals(64, Arrays.stream(s).distinct().count());
        assertTrue(Arrays.stream(s).allMatch(i -> i >= 0 && i < 1000));
        assertEquals(10, SampledPeriod.sample(10, 64, new Rng(1)).length);
        assertEquals(10, SampledPeriod.sample(10, 0, new Rng(1)).length);
    }

    @Test
    void aLossThatBlowsUpEndsThePeriodWithTheStepsThatRaisedIt() {
        OptimizerWeights w = SpecInitialization.create(OptimizerKind.RNNPROP, 3);
        try (NDManager m = NDManager.newBaseManager(); FastStep kernel = new FastStep(w, 1)) {
            Task exploding = new ExplodingTask(3);
            KernelTrajectory trajectory = new KernelTrajectory(exploding, w, m, new Rng(2));
            SampledPeriod.Outcome out = SampledPeriod.run(w, kernel, trajectory, new Rng(3), 10,
                    Recipe.Objective.MEAN_LOG_LOSS, 0, 10, new AutogradReplay(m), new MetaTrainer.Timings());
            assertTrue(out.blewUp());
            assertEquals(4, out.steps(), "steps 1-3 at loss 1, the 4th at 100 > 10 x 1");
            assertNotNull(out.gradients());
            Task nan = new ExplodingTask(0);
            KernelTrajectory t2 = new KernelTrajectory(nan, w, m, new Rng(2));
            SampledPeriod.Outcome none = SampledPeriod.run(w, kernel, t2, new Rng(3), 10,
                    Recipe.Objective.MEAN_LOG_LOSS, 0, 10, new AutogradReplay(m), new MetaTrainer.Timings());
            assertTrue(none.blewUp());
            assertNull(none.gradients(), "no step with a finite loss: no meta-gradient");
        }
    }

    static double relativeError(Map<String, float[]> expected, Map<String, float[]> actual) {
        double num = 0;
        double den = 0;
        for (Map.Entry<String, float[]> e : expected.entrySet()) {
            float[] a = actual.get(e.getKey());
            for (int i = 0; i < a.length; i++) {
                num += Math.pow(e.getValue()[i] - a[i], 2);
                den += Math.pow(e.getValue()[i], 2);
            }
        }
        assertTrue(den > 0, "zero meta-gradient: the comparison would prove nothing");
        return Math.sqrt(num / den);
    }

    /**
     * Loss 1 for the first {@code calm} evaluations, then 100 (with {@code calm} 0, NaN from the start);
     * gradient theta.
     */
    static final class ExplodingTask implements Task {
        private final int calm;
        private int calls;

        ExplodingTask(int calm) {
            this.calm = calm;
        }

        @Override
        public int dimension() {
            return 6;
        }

        @Override
        public NDArray initialParameters(NDManager manager, Rng rng) {
            return manager.create(rng.gaussian(6, 1));
        }

        @Override
        public Object sampleBatch(Rng rng) {
            return null;
        }

        @Override
        public LossAndGradient lossAndGradient(NDArray theta, Object batch) {
            float loss = calm == 0 ? Float.NaN : calls++ < calm ? 1 : 100;
            return new LossAndGradient(theta.getManager().create(loss), theta.duplicate());
        }
    }
}
