package org.rnnprop.tasks.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.rnnprop.tasks.LstmSineTask;
import org.rnnprop.tasks.Task;

class PairedRolloutTest {

    @Test
    void lockstepRunsEqualSeparateRollouts() {
        Task task = new LstmSineTask(1, 6, 0.1, 16);
        try (NDManager m = NDManager.newBaseManager()) {
            AtomicLong units = new AtomicLong();
            List<Rollout.Result> paired = PairedRollout.run(task,
                    List.of(new Sgd(0.01), new TensorFlowAdam(0.01), new RmsProp(0.003)), 42, 12, m, units::addAndGet);
            assertEquals(PairedRollout.units(3, 12), units.get());
            List<FlatOptimizer> alone = List.of(new Sgd(0.01), new TensorFlowAdam(0.01), new RmsProp(0.003));
            for (int i = 0; i < 3; i++) {
                Rollout.Result r = Rollout.run(task, alone.get(i), 42, 12, m);
                assertArrayEquals(r.losses(), paired.get(i).losses(), alone.get(i).name());
                assertEquals(r.finalLoss(), paired.get(i).finalLoss(), 0.0, alone.get(i).name());
            }
            assertTrue(paired.get(1).finalLoss() < paired.get(1).losses()[0], "Adam makes progress");
        }
    }

    @Test
    void aDivergingOptimizerStopsAndScoresNaNWithoutDisturbingTheOthers() {
        Task task = new LstmSineTask(1, 6, 0.1, 16);
        try (NDManager m = NDManager.newBaseManager()) {
            List<Rollout.Result> r = PairedRollout.run(task, List.of(new Sgd(1e30), new Sgd(0.01)), 7, 10, m, null);
            assertTrue(Double.isNaN(r.get(0).finalLoss()));
            float[] l = r.get(0).losses();
            assertTrue(Float.isFinite(l[0]) && Float.isNaN(l[9]));
            assertEquals(Rollout.run(task, new Sgd(0.01), 7, 10, m).finalLoss(), r.get(1).finalLoss(), 0.0);
        }
    }
}
