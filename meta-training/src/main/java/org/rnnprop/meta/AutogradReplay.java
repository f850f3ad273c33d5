package org.rnnprop.meta;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.djl.internal.NdConstants;
import org.rnnprop.djl.internal.NdNetwork;
import org.rnnprop.djl.internal.NdState;
import org.rnnprop.djl.internal.NdStep;
import org.rnnprop.djl.internal.NdWeights;

/**
 * {@link PeriodBackward} by the engine's autograd: replays the period through {@link NdStep} on the recorded
 * gradients and differentiates the surrogate. The reference every other implementation is checked against.
 */
final class AutogradReplay implements PeriodBackward {
    private final NDManager parent;

    /** Works in sub-managers of {@code parent}, closed before each call returns. */
    AutogradReplay(NDManager parent) {
        this.parent = parent;
    }

    @Override
    public Map<String, float[]> gradient(OptimizerWeights weights, float[] state0, float[][] gradients,
            double[] lossWeights, long t0) {
        int width = weights.stateWidth();
        int n = state0.length / width;
        try (NDManager m = parent.newSubManager()) {
            NdWeights w = NdWeights.of(weights, m);
            for (NDArray a : w.arrays().values()) {
                a.setRequiresGradient(true);
            }
            NdState state = NdState.fromRows(weights.kind(), weights.hyperparameters().hiddenSize(),
                    m.create(state0, new Shape(n, width)));
            double alpha = weights.hyperparameters().alpha();
            NDArray displacement = m.zeros(new Shape(n));
            NDArray surrogate = null;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NdNetwork net = NdNetwork.of(w, m);
                for (int k = 0; k < gradients.length; k++) {
                    NDArray g = m.create(gradients[k]);
                    if (lossWeights[k] != 0 && k > 0) {
                        NDArray term = NdConstants.times(g.mul(displacement).sum(), lossWeights[k]);
                        surrogate = surrogate == null ? term : surrogate.add(term);
                    }
                    NdStep.Result r = NdStep.step(net, g, state, alpha, t0 + k + 1);
                    displacement = displacement.sub(r.update());
                    state = r.state();
                }
                if (surrogate == null) {
                    return zeros(weights); // only the first loss weighs, and it does not depend on the weights
                }
                gc.backward(surrogate);
            }
            Map<String, float[]> out = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> e : w.arrays().entrySet()) {
                out.put(e.getKey(), e.getValue().getGradient().toFloatArray());
            }
            return out;
        }
    }

    /**
     * The imitation meta-loss of a period and its gradient: the learned optimizer replayed on the recorded
     * gradients (the teacher's trajectory), against the teacher's updates, as the mean over steps and
     * coordinates of {@code ((u - a) / alpha)^2}.
     *
     * @param teacherUpdates per step, the teacher's n updates
     * @param lossOut receives the meta-loss in its first element
     */
    Map<String, float[]> imitationGradient(OptimizerWeights weights, float[] state0, float[][] gradients,
            float[][] teacherUpdates, long t0, double[] lossOut) {
        int width = weights.stateWidth();
        int n = state0.length / width;
        try (NDManager m = parent.newSubManager()) {
            NdWeights w = NdWeights.of(weights, m);
            for (NDArray a : w.arrays().values()) {
                a.setRequiresGradient(true);
            }
            NdState state = NdState.fromRows(weights.kind(), weights.hyperparameters().hiddenSize(),
                    m.create(state0, new Shape(n, width)));
            double alpha = weights.hyperparameters().alpha();
            NDArray loss = null;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NdNetwork net = NdNetwork.of(w, m);
                for (int k = 0; k < gradients.length; k++) {
                    NdStep.Result r = NdStep.step(net, m.create(gradients[k]), state, alpha, t0 + k + 1);
                    NDArray miss = r.update().sub(m.create(teacherUpdates[k])).square().sum();
                    loss = loss == null ? miss : loss.add(miss);
                    state = r.state();
                }
                loss = NdConstants.times(loss, 1.0 / (alpha * alpha * gradients.length * n));
                lossOut[0] = loss.getFloat();
                gc.backward(loss);
            }
            Map<String, float[]> out = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> e : w.arrays().entrySet()) {
                out.put(e.getKey(), e.getValue().getGradient().toFloatArray());
            }
            return out;
        }
    }

    static Map<String, float[]> zeros(OptimizerWeights weights) {
        Map<String, float[]> out = new LinkedHashMap<>();
        weights.tensors().forEach((k, t) -> out.put(k, new float[t.data().length]));
        return out;
    }
}
