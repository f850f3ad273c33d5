package org.rnnprop.tasks.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** Adam (Kingma and Ba) with bias correction; defaults beta 0.9 / 0.999, epsilon 1e-8 as in TensorFlow. */
public final class Adam implements FlatOptimizer {
    private final double lr;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private NDArray m;
    private NDArray v;

    public Adam(double lr) {
        this(lr, 0.9, 0.999, 1e-8);
    }

    public Adam(double lr, double beta1, double beta2, double epsilon) {
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    @Override
    public String name() {
        return "adam(" + lr + ")";
    }

    @Override
    public void reset(long dimension, NDManager manager) {
        m = manager.zeros(new ai.djl.ndarray.types.Shape(dimension));
        v = manager.zeros(new ai.djl.ndarray.types.Shape(dimension));
    }

    @Override
    public NDArray update(NDArray grad, long t) {
        m = m.mul(beta1).add(grad.mul(1 - beta1));
        v = v.mul(beta2).add(grad.square().mul(1 - beta2));
        double bc1 = 1 - Math.pow(beta1, t);
        double bc2 = 1 - Math.pow(beta2, t);
        return m.div(bc1).div(v.div(bc2).sqrt().add(epsilon)).mul(lr);
    }

    @Override
    public void attachState(NDManager manager) {
        m.attach(manager);
        v.attach(manager);
    }
}
