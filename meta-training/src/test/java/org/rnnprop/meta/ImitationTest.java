package org.rnnprop.meta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnnprop.core.FastStep;
import org.rnnprop.core.NetworkLayout;
import org.rnnprop.core.OptimizerKind;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.SpecInitialization;
import org.rnnprop.core.Tensor;
import org.rnnprop.tasks.ConvexTask;
import org.rnnprop.tasks.Rng;
import org.rnnprop.tasks.Task;

/** Imitation periods: the teacher moves the parameters, and the imitation loss's meta-gradient is right. */
class ImitationTest {

    @Test
    void theTeacherMovesTheParametersAsAdamWouldWhileTheKernelStateFollows() {
        OptimizerWeights w = SpecInitialization.create(OptimizerKind.RNNPROP, 3);
        try (NDManager m = NDManager.newBaseManager(); FastStep kernel = new FastStep(w, 1)) {
            Task task = ConvexTask.random(7, new Rng(1));
            KernelTrajectory t = new KernelTrajectory(task, w, m, new Rng(2));
            float[] expected = t.theta().clone();
            MetaAdam reference = new MetaAdam(0.01);
            MetaAdam teacher = new MetaAdam(0.01);
            for (int k = 0; k < 3; k++) {
                float[] g = task.lossAndGradient(m.create(expected.clone()), null).gradient().toFloatArray();
                reference.apply(Map.of("theta", expected), Map.of("theta", g));
                t.follow(kernel, teacher, new Rng(3));
            }
            assertArrayEquals(expected, t.theta(), 1e-7f);
            assertEquals(3, t.steps());
            boolean stateMoved = false;
            for (float s : t.state()) {
                stateMoved |= s != 0;
            }
            assertTrue(stateMoved, "the learned optimizer's state follows the teacher's gradients");
        }
    }

    @Test
    void imitationGradientMatchesFiniteDifferences() {
        OptimizerWeights w = SpecInitialization.create(OptimizerKind.RNNPROP, 5);
        Rng r = new Rng(9);
        int n = 12;
        int width = w.stateWidth();
        float[] state0 = r.gaussian(n * width, 0.2);
        for (int i = 0; i < n; i++) {
            state0[i * width + 1] = Math.abs(state0[i * width + 1]);
        }
        float[][] grads = {r.gaussian(n, 1), r.gaussian(n, 1), r.gaussian(n, 1)};
        float[][] teacher = {r.gaussian(n, 0.02), r.gaussian(n, 0.02), r.gaussian(n, 0.02)};
        try (NDManager m = NDManager.newBaseManager()) {
            AutogradReplay replay = new AutogradReplay(m);
            double[] loss = new double[1];
            Map<String, float[]> g = replay.imitationGradient(w, state0, grads, teacher, 2, loss);
            assertTrue(loss[0] > 0);
            for (String tensor : new String[] {NetworkLayout.OUTPUT_BIAS, NetworkLayout.OUTPUT_KERNEL,
                NetworkLayout.LSTM1_KERNEL}) {
                int index = tensor.equals(NetworkLayout.LSTM1_KERNEL) ? 17 : 0;
                double eps = 1e-2;
                double up = lossWith(replay, w, tensor, index, eps, state0, grads, teacher);
                double down = lossWith(replay, w, tensor, index, -eps, state0, grads, teacher);
                double numeric = (up - down) / (2 * eps);
                double analytic = g.get(tensor)[index];
                assertEquals(numeric, analytic, 2e-2 * Math.abs(numeric) + 1e-4, tensor + "[" + index + "]");
            }
        }
    }

    @Test
    void imitationPeriodGivesAFiniteMetaGradientOverTheSample() {
        OptimizerWeights w = SpecInitialization.create(OptimizerKind.RNNPROP, 3);
        try (NDManager m = NDManager.newBaseManager(); FastStep kernel = new FastStep(w, 1)) {
            Task task = ConvexTask.random(40, new Rng(1));
            KernelTrajectory t = new KernelTrajectory(task, w, m, new Rng(2));
            SampledPeriod.Outcome out = SampledPeriod.imitate(w, kernel, t, new MetaAdam(0.01), new Rng(4), 5, 16,
                    new AutogradReplay(m), new MetaTrainer.Timings());
            assertNotNull(out.gradients());
            assertEquals(5, out.steps());
            assertTrue(out.metaLoss() > 0);
        }
    }

    private static double lossWith(AutogradReplay replay, OptimizerWeights w, String tensor, int index, double delta,
            float[] state0, float[][] grads, float[][] teacher) {
        Map<String, Tensor> tensors = new LinkedHashMap<>(w.tensors());
        float[] d = w.tensor(tensor).data().clone();
        d[index] += (float) delta;
        tensors.put(tensor, new Tensor(w.tensor(tensor).shape(), d));
        OptimizerWeights shifted = new OptimizerWeights(w.kind(), w.hyperparameters(), tensors, w.provenance());
        double[] loss = new double[1];
        replay.imitationGradient(shifted, state0, grads, teacher, 2, loss);
        return loss[0];
    }
}
