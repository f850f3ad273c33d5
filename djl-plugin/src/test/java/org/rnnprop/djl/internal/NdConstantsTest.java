package org.rnnprop.djl.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rnnprop.core.DirectBuffers;
import org.rnnprop.core.OptimizerKind;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.SpecInitialization;

/**
 * Gradients through the step do not depend on when the garbage collector runs: nothing an autograd graph keeps
 * points into a direct buffer that Java may free before the backward pass.
 */
class NdConstantsTest {

    @Test
    void timesKeepsItsFactorAliveForTheBackwardPass() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1f, -2f, 3f});
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = NdConstants.times(x, 2.5).sum();
                DirectBuffers.freeUnreachable();
                gc.backward(y);
            }
            assertArrayEquals(new float[] {2.5f, 2.5f, 2.5f}, x.getGradient().toFloatArray());
        }
    }

    @Test
    void arrayOutlivesTheJavaDataItWasCopiedFrom() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = NdConstants.array(m, new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
            NDArray view = a.transpose();
            a.close();
            DirectBuffers.freeUnreachable();
            assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, view.toFloatArray());
        }
    }

    /** The meta-gradient of a few steps is the same whether or not buffers are freed before backward. */
    @ParameterizedTest
    @EnumSource(OptimizerKind.class)
    void stepGradientIgnoresCollectionBeforeBackward(OptimizerKind kind) {
        Map<String, float[]> calm = stepGradients(kind, false);
        Map<String, float[]> collected = stepGradients(kind, true);
        double norm = 0;
        for (Map.Entry<String, float[]> e : calm.entrySet()) {
            assertArrayEquals(e.getValue(), collected.get(e.getKey()), 1e-6f, e.getKey());
            for (float v : e.getValue()) {
                norm += v * v;
            }
        }
        assertTrue(norm > 0, "zero gradient: the comparison would prove nothing");
    }

    private static Map<String, float[]> stepGradients(OptimizerKind kind, boolean collectBeforeBackward) {
        OptimizerWeights weights = SpecInitialization.create(kind, 7);
        int n = 50;
        try (NDManager m = NDManager.newBaseManager()) {
            NdWeights w = NdWeights.of(weights, m);
            for (NDArray a : w.arrays().values()) {
                a.setRequiresGradient(true);
            }
            NdState s = NdState.zeros(kind, weights.hyperparameters().hiddenSize(), n, m);
            NDArray total = null;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NdNetwork net = NdNetwork.of(w, m);
                for (int t = 1; t <= 3; t++) {
                    NDArray g = m.create(gradient(n, t));
                    NdStep.Result r = NdStep.step(net, g, s, weights.hyperparameters().alpha(), t);
                    s = r.state();
                    NDArray term = r.update().square().sum();
                    total = total == null ? term : total.add(term);
                }
                if (collectBeforeBackward) {
                    DirectBuffers.freeUnreachable();
                }
                gc.backward(total);
            }
            Map<String, float[]> grads = new LinkedHashMap<>();
            w.arrays().forEach((name, a) -> grads.put(name, a.getGradient().toFloatArray()));
            return grads;
        }
    }

    private static float[] gradient(int n, long seed) {
        Random r = new Random(seed);
        float[] g = new float[n];
        for (int i = 0; i < n; i++) {
            g[i] = (float) (0.1 * r.nextGaussian() + 0.01);
        }
        return g;
    }
}
