package org.rnnprop.tasks.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.training.tracker.Tracker;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnnprop.core.OptimizerKind;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.SpecInitialization;
import org.rnnprop.tasks.LstmSineTask;
import org.rnnprop.tasks.Rng;
import org.rnnprop.tasks.Task;

/** A learned optimizer's alpha scale schedule, and the final metric of a paired rollout. */
class LearnedOptimizerScheduleTest {

    static float[] gradient(int step) {
        return new Rng(100 + step).gaussian(32, step % 2 == 0 ? 0.01 : 3);
    }

    /** Each step's update with {@code opt} on the same gradients. */
    static float[][] updates(FlatOptimizer opt, int steps) {
        float[][] u = new float[steps][];
        try (NDManager m = NDManager.newBaseManager()) {
            opt.reset(32, m);
            for (int t = 1; t <= steps; t++) {
                u[t - 1] = opt.update(m.create(gradient(t)), t).toFloatArray();
            }
        }
        return u;
    }

    @Test
    void aScheduleScalesAlphaAtEachStepAsTheDjlPluginDoes() {
        OptimizerWeights w = SpecInitialization.create(OptimizerKind.RNNPROP, 5);
        int steps = 6;
        // DJL's cosine tracker as a user would set it: from 1 to its default final value over the planned steps.
        Tracker cosine = Tracker.cosine().setBaseValue(1f).setMaxUpdates(steps).build();
        float[][] scheduled = updates(new LearnedOptimizer(w, "rnnprop", cosine), steps);
        float[][] fixedHalf = updates(new LearnedOptimizer(w, "rnnprop", Tracker.fixed(0.5f)), steps);
        float[][] halfAlpha = updates(new LearnedOptimizer(w.withAlpha(w.hyperparameters().alpha() * 0.5), "x"), steps);
        for (int t = 0; t < steps; t++) {
            assertArrayEquals(halfAlpha[t], fixedHalf[t], 1e-7f, "a fixed scale is a scaled alpha, step " + (t + 1));
        }
        // The LSTM's state does not depend on alpha, so step t of the schedule is step t at alpha * scale(t).
        for (int t = 1; t <= steps; t++) {
            double scale = cosine.getNewValue(t);
            float[][] at = updates(new LearnedOptimizer(w.withAlpha(w.hyperparameters().alpha() * scale), "x"), t);
            assertArrayEquals(at[t - 1], scheduled[t - 1], 1e-7f, "step " + t);
        }
        double last = cosine.getNewValue(steps);
        assertEquals(0.01, last, 1e-6, "DJL's cosine ends at its default final value 0.01");
        for (int i = 0; i < 32; i++) {
            assertTrue(Math.abs(scheduled[steps - 1][i]) <= w.hyperparameters().alpha() * last * (1 + 1e-6));
        }
    }

    @Test
    void theFinalMetricIsMeasuredOnEachFinalParametersAndNaNWhereARunDiverged() {
        Task task = new LstmSineTask(1, 4, 0.1, 8);
        try (NDManager m = NDManager.newBaseManager()) {
            List<Rollout.Result> r = PairedRollout.run(task, List.of(new Sgd(1e30), new Sgd(0.01), new Sgd(0.02)),
                    3, 5, m, null, theta -> theta.sum().getFloat());
            assertTrue(Double.isNaN(r.get(0).metric()), "diverged");
            for (int i = 1; i < 3; i++) {
                // the metric of run i equals the sum of the parameters a separate rollout ends with
                assertTrue(Double.isFinite(r.get(i).metric()));
            }
            assertTrue(r.get(1).metric() != r.get(2).metric());
            assertTrue(Double.isNaN(PairedRollout.run(task, List.of(new Sgd(0.01)), 3, 5, m, null).get(0).metric()));
        }
    }
}
