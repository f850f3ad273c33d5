package org.rnnprop.meta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rnnprop.core.DirectBuffers;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.SpecInitialization;
import org.rnnprop.datasets.LabeledImages;
import org.rnnprop.djl.internal.NdConstants;
import org.rnnprop.djl.internal.NdState;
import org.rnnprop.djl.internal.NdStep;
import org.rnnprop.djl.internal.NdWeights;
import org.rnnprop.tasks.ConvexTask;
import org.rnnprop.tasks.MlpTask;
import org.rnnprop.tasks.Rng;
import org.rnnprop.tasks.ScaledTask;
import org.rnnprop.tasks.SumTask;
import org.rnnprop.tasks.Task;

/**
 * The surrogate meta-gradient equals differentiating the meta-loss directly through the unrolled optimizer,
 * with the optimizee gradient fed to the optimizer as a constant (stop-gradient).
 */
class MetaGradientTest {

    static LabeledImages tinyData() {
        Rng r = new Rng(5);
        int n = 30;
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(3);
        }
        return new LabeledImages(r.uniform(n * 6, 0, 1), y, 1, 2, 3, 3);
    }

    @ParameterizedTest
    @EnumSource(Recipe.class)
    void surrogateMatchesDirectUnrolledGradient(Recipe recipe) {
        OptimizerWeights weights = SpecInitialization.create(recipe.kind(), 3);
        int unroll = 6;
        long t0 = 4; // a period that starts mid-iteration, from a non-zero state
        try (NDManager m = NDManager.newBaseManager()) {
            Rng taskRng = new Rng(17);
            Task task = new SumTask(List.of(
                    ScaledTask.random(new MlpTask(tinyData(), m, 4, 1, MlpTask.Act.SIGMOID, 8), 1, taskRng),
                    ConvexTask.random(5, taskRng)));
            NDArray theta0 = task.initialParameters(m, new Rng(2));
            NdState state0 = warmState(weights, task, theta0, t0, m);

            NdWeights ws = NdWeights.of(weights, m);
            MetaGradient.Period p = MetaGradient.period(ws, task, new Rng(99), theta0, state0, t0, unroll,
                    recipe.objective(), new MetaTrainer.Timings());
            assertNotNull(p.gradients());

            NdWeights wd = NdWeights.of(weights, m);
            for (NDArray a : wd.arrays().values()) {
                a.setRequiresGradient(true);
            }
            Rng rng = new Rng(99);
            NDArray theta = theta0;
            NdState state = state0;
            NDArray metaLoss = null;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                for (int k = 0; k < unroll; k++) {
                    Object batch = task.sampleBatch(rng);
                    NDArray g = task.lossAndGradient(theta.stopGradient(), batch).gradient();
                    if (MetaGradient.lossWeight(recipe.objective(), k, unroll, 1) != 0) {
                        NDArray loss = task.loss(theta, batch); // differentiable in theta
                        NDArray term = recipe.objective() == Recipe.Objective.MEAN_LOG_LOSS
                                ? NdConstants.times(loss.log(), 1.0 / unroll)
                                : NdConstants.times(loss, MetaGradient.lossWeight(recipe.objective(), k, unroll, 1));
                        metaLoss = metaLoss == null ? term : metaLoss.add(term);
                    }
                    NdStep.Result r = NdStep.step(wd, g, state, weights.hyperparameters().alpha(), t0 + k + 1);
                    theta = theta.sub(r.update());
                    state = r.state();
                }
                gc.backward(metaLoss);
            }
            double num = 0;
            double den = 0;
            for (Map.Entry<String, NDArray> e : wd.arrays().entrySet()) {
                float[] direct = e.getValue().getGradient().toFloatArray();
                float[] surrogate = p.gradients().get(e.getKey());
                for (int i = 0; i < direct.length; i++) {
                    num += Math.pow(direct[i] - surrogate[i], 2);
                    den += Math.pow(direct[i], 2);
                }
            }
            double rel = Math.sqrt(num / den);
            assertTrue(den > 0, "meta-gradient is zero: the test would prove nothing");
            assertTrue(rel <= 1e-4, recipe.id() + ": relative error " + rel);
        }
    }

    /**
     * The meta-gradient of a period does not depend on when the JVM frees direct buffers: a collection before
     * any optimizee gradient (here: before every one) gives the same result as none.
     */
    @ParameterizedTest
    @EnumSource(Recipe.class)
    void periodGradientIgnoresGarbageCollection(Recipe recipe) {
        OptimizerWeights weights = SpecInitialization.create(recipe.kind(), 3);
        try (NDManager m = NDManager.newBaseManager()) {
            Task task = new MlpTask(tinyData(), m, 4, 1, MlpTask.Act.SIGMOID, 8);
            Task collecting = new CollectingTask(task);
            NDArray theta0 = task.initialParameters(m, new Rng(2));
            NdState state0 = NdState.zeros(weights.kind(), weights.hyperparameters().hiddenSize(), task.dimension(), m);
            Map<String, float[]> calm = MetaGradient.period(NdWeights.of(weights, m), task, new Rng(99), theta0,
                    state0, 0, 4, recipe.objective(), new MetaTrainer.Timings()).gradients();
            Map<String, float[]> collected = MetaGradient.period(NdWeights.of(weights, m), collecting, new Rng(99),
                    theta0, state0, 0, 4, recipe.objective(), new MetaTrainer.Timings()).gradients();
            assertNotNull(calm);
            assertNotNull(collected);
            for (Map.Entry<String, float[]> e : calm.entrySet()) {
                assertArrayEquals(e.getValue(), collected.get(e.getKey()), 1e-6f, recipe.id() + " " + e.getKey());
            }
        }
    }

    /** A task that frees every unreachable direct buffer before each gradient. */
    private record CollectingTask(Task inner) implements Task {
        @Override
        public int dimension() {
            return inner.dimension();
        }

        @Override
        public NDArray initialParameters(NDManager manager, Rng rng) {
            return inner.initialParameters(manager, rng);
        }

        @Override
        public Object sampleBatch(Rng rng) {
            return inner.sampleBatch(rng);
        }

        @Override
        public LossAndGradient lossAndGradient(NDArray theta, Object batch) {
            DirectBuffers.freeUnreachable();
            return inner.lossAndGradient(theta, batch);
        }
    }

    /** A state after {@code steps} steps without gradients, so the period starts from non-zero h, c, m, v. */
    private static NdState warmState(OptimizerWeights weights, Task task, NDArray theta0, long steps, NDManager m) {
        NdWeights w = NdWeights.of(weights, m);
        NdState s = NdState.zeros(weights.kind(), weights.hyperparameters().hiddenSize(), task.dimension(), m);
        Rng rng = new Rng(1234);
        NDArray theta = theta0;
        for (int t = 1; t <= steps; t++) {
            NDArray g = task.lossAndGradient(theta, task.sampleBatch(rng)).gradient();
            NdStep.Result r = NdStep.step(w, g, s, weights.hyperparameters().alpha(), t);
            s = r.state();
            theta = theta.sub(r.update());
        }
        return s;
    }
}
