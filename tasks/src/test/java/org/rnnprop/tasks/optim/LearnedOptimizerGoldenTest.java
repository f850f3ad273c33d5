package org.rnnprop.tasks.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rnnprop.core.GoldenFixture;
import org.rnnprop.core.OptimizerKind;

/** The suites' learned optimizer against the golden fixture, step by step, for both kinds. */
class LearnedOptimizerGoldenTest {

    @ParameterizedTest
    @EnumSource(OptimizerKind.class)
    void stepsReproduceFixture(OptimizerKind kind) {
        GoldenFixture f = GoldenFixture.load(kind);
        LearnedOptimizer opt = new LearnedOptimizer(f.weights(), kind.id());
        try (NDManager m = NDManager.newBaseManager()) {
            opt.reset(f.coordinates(), m);
            for (int i = 0; i < f.steps(); i++) {
                float[] update = opt.update(m.create(f.gradient(i)), i + 1).toFloatArray();
                GoldenFixture.check("step " + (i + 1) + " update", f.update(i), update);
            }
        }
    }

    @Test
    void aNonFiniteGradientLeavesItsCoordinateInPlaceAndAGradientOfTheWrongSizeIsRefused() {
        GoldenFixture f = GoldenFixture.load(OptimizerKind.RNNPROP);
        LearnedOptimizer opt = new LearnedOptimizer(f.weights(), "rnnprop");
        try (NDManager m = NDManager.newBaseManager()) {
            opt.reset(3, m);
            float[] u = opt.update(m.create(new float[] {Float.NaN, 0.5f, Float.POSITIVE_INFINITY}), 1).toFloatArray();
            assertArrayEquals(new float[] {0f, u[1], 0f}, u);
            assertThrows(IllegalArgumentException.class, () -> opt.update(m.create(new float[4]), 2));
        }
    }
}
