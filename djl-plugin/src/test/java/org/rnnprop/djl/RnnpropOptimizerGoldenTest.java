package org.rnnprop.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Model;
import ai.djl.training.Trainer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rnnprop.core.GoldenFixture;
import org.rnnprop.core.OptimizerKind;

/** The optimizer inside a DJL model and trainer against the golden fixture, step by step, with either kernel. */
class RnnpropOptimizerGoldenTest {

    @ParameterizedTest
    @CsvSource({"RNNPROP, ND", "RNNPROP, CORE", "DM_OPTIMIZER, ND", "DM_OPTIMIZER, CORE"})
    void trainerStepsReproduceFixture(OptimizerKind kind, RnnpropOptimizer.Kernel kernel) {
        GoldenFixture f = GoldenFixture.load(kind);
        try (RnnpropOptimizer opt = RnnpropOptimizer.builder().optWeights(f.weights()).optKernel(kernel).build();
                Model model = Model.newInstance("golden-" + kind.id());
                Trainer trainer = TestModels.thetaTrainer(model, f.coordinates(), opt)) {
            TestModels.ThetaBlock block = TestModels.theta(trainer);
            for (int i = 0; i < f.steps(); i++) {
                // From theta = 0 the new theta is exactly -update, with no rounding from a subtraction.
                TestModels.setValues(block.theta, 0f);
                TestModels.stepWithGradient(trainer, f.gradient(i));
                float[] update = block.theta.getArray().neg().toFloatArray();
                GoldenFixture.check("step " + (i + 1) + " update", f.update(i), update);
                GoldenFixture.check("step " + (i + 1) + " state", f.state(i), opt.stateRows(block.theta.getId()));
                assertEquals(i + 1, opt.stepCount(block.theta.getId()));
                // Zeroed: otherwise the next step would see this step's gradient added to its own.
                assertEquals(0.0, TestModels.gradientMass(model), "gradient after step " + (i + 1));
            }
            assertEquals(0, opt.skippedCoordinates());
        }
    }
}
