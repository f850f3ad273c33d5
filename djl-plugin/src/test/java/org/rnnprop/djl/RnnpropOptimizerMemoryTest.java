package org.rnnprop.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.training.Trainer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * No arrays pile up: every NDManager of the engine hangs off its system manager, so the system manager's
 * recursive {@code getManagedArrays()} counts every live array the engine tracks (model, trainer, optimizer,
 * and ours); that count must not change between step 100 and step 1,000.
 */
class RnnpropOptimizerMemoryTest {

    private static int liveArrays() {
        try (NDManager probe = NDManager.newBaseManager()) {
            return probe.getParentManager().getManagedArrays().size();
        }
    }

    @ParameterizedTest
    @EnumSource(value = RnnpropOptimizer.Kernel.class, names = {"ND", "CORE"})
    void liveArrayCountStaysFlatAndGradientsDoNotAccumulate(RnnpropOptimizer.Kernel kernel) {
        float[][] data = TestModels.data(32, 11);
        int before = liveArrays();
        try (RnnpropOptimizer opt = RnnpropOptimizer.builder().optPretrained("rnnprop-untrained").optKernel(kernel)
                .build();
                Model model = Model.newInstance("memory");
                Trainer trainer = TestModels.classifierTrainer(model, opt, 3)) {
            int atStep100 = -1;
            int modelArraysAt100 = -1;
            for (int step = 1; step <= 1000; step++) {
                TestModels.trainStep(trainer, data[0], data[1]);
                if (step == 100) {
                    atStep100 = liveArrays();
                    modelArraysAt100 = model.getNDManager().getManagedArrays().size();
                }
                if (step % 97 == 0 || step == 1) {
                    assertEquals(0.0, TestModels.gradientMass(model), "gradient not zeroed after step " + step);
                }
            }
            assertTrue(atStep100 > 0);
            assertEquals(atStep100, liveArrays(), "live arrays in the engine, step 100 vs 1000");
            assertEquals(modelArraysAt100, model.getNDManager().getManagedArrays().size(),
                    "arrays of the model's manager, step 100 vs 1000");
            assertEquals(1000, opt.stepCount(model.getBlock().getParameters().valueAt(0).getId()));
        }
        assertEquals(before, liveArrays(), "closing the model and the optimizer frees all their arrays");
    }
}
