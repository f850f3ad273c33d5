package org.rnnprop.tasks.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.djl.internal.NdNetwork;
import org.rnnprop.djl.internal.NdState;
import org.rnnprop.djl.internal.NdStep;
import org.rnnprop.djl.internal.NdWeights;

/** A learned optimizer (RNNprop or DMoptimizer) from a weight file, through the library's {@link NdStep}. */
public final class LearnedOptimizer implements FlatOptimizer {
    private final OptimizerWeights weights;
    private final String name;
    private NdNetwork nd;
    private NdState state;

    public LearnedOptimizer(OptimizerWeights weights, String name) {
        this.weights = weights;
        this.name = name;
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
        NdStep.Result r = NdStep.step(nd, grad, state, weights.hyperparameters().alpha(), t);
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
