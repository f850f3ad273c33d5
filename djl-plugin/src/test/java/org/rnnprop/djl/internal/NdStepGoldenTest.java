package org.rnnprop.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rnnprop.core.GoldenFixture;
import org.rnnprop.core.OptimizerKind;

/** The NDArray step (PyTorch engine, float32) against the golden fixture. */
class NdStepGoldenTest {

    @ParameterizedTest
    @EnumSource(OptimizerKind.class)
    void reproducesFixture(OptimizerKind kind) {
        GoldenFixture f = GoldenFixture.load(kind);
        try (NDManager manager = NDManager.newBaseManager()) {
            NdWeights w = NdWeights.of(f.weights(), manager);
            NdState s = NdState.zeros(kind, f.weights().hyperparameters().hiddenSize(), f.coordinates(), manager);
            for (int i = 0; i < f.steps(); i++) {
                NDArray g = manager.create(f.gradient(i));
                NdStep.Result r = NdStep.step(w, g, s, f.weights().hyperparameters().alpha(), i + 1);
                s = r.state();
                GoldenFixture.check("step " + (i + 1) + " update", f.update(i), r.update().toFloatArray());
                GoldenFixture.check("step " + (i + 1) + " state", f.state(i), s.toRows().toFloatArray());
            }
        }
    }
}
