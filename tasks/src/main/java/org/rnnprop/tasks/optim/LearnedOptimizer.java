package org.rnnprop.tasks.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.tracker.ParameterTracker;
import ai.djl.training.tracker.Tracker;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.djl.internal.NdNetwork;
import org.rnnprop.djl.internal.NdState;
import org.rnnprop.djl.internal.NdStep;
import org.rnnprop.djl.internal.NdWeights;

/**
 * A learned optimizer (RNNprop or DMoptimizer) from a weight file, through the library's {@link NdStep}; its
 * step bound alpha may follow a schedule, as the DJL plugin's {@code optAlphaScale(ParameterTracker)} does.
 */
public final class LearnedOptimizer implements FlatOptimizer {
    private final OptimizerWeights weights;
    private final String name;
    private final ParameterTracker alphaScale;
    private NdNetwork nd;
    private NdState state;

    /** The weights as they are: alpha scale 1 at every step. */
    public LearnedOptimizer(OptimizerWeights weights, String name) {
        this(weights, name, Tracker.fixed(1f));
    }

    /**
     * @param alphaScale the factor on alpha at 1-based step t, {@code alphaScale.getNewValue(name, t)}: the
     *     plugin's convention, so a DJL schedule gives the same steps here as in a user's {@code Trainer}
     */
    public LearnedOptimizer(OptimizerWeights weights, String name, ParameterTracker alphaScale) {
        this.weights = weights;
        this.name = name;
        this.alphaScale = alphaScale;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void reset(long dimension, NDManager manager) {
        nd = NdNetwork.of(NdWeights.of(weights, manager), manager);
        state = NdState.zeros(weights.kind(), weights.hyperparameters().hiddenSize(), dimension, manager);
    }

    @Override
    public NDArray update(NDArray grad, long t) {
        double scale = alphaScale.getNewValue(name, Math.toIntExact(t));
        NdStep.Result r = NdStep.step(nd, grad, state, weights.hyperparameters().alpha() * scale, t);
        state = r.state();
        return r.update();
    }

    @Override
    public void attachState(NDManager manager) {
        for (NDArray a : state.toList()) {
            a.attach(manager);
        }
    }
}
