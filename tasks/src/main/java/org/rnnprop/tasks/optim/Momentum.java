package org.rnnprop.tasks.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Heavy-ball momentum, as TensorFlow's {@code MomentumOptimizer} (no Nesterov): {@code a = mu * a + g},
 * {@code update = lr * a}, with {@code a} starting at 0. Note the learning rate multiplies the accumulator,
 * not the gradient, so the step at a constant gradient is {@code lr * g / (1 - mu)}.
 */
public final class Momentum extends SlotOptimizer {
    /** TensorFlow's usual momentum, and the specification's. */
    public static final double DEFAULT_MOMENTUM = 0.9;

    private final double momentum;

    public Momentum(double lr) {
        this(lr, DEFAULT_MOMENTUM);
    }

    public Momentum(double lr, double momentum) {
        super("momentum", lr);
        this.momentum = momentum;
    }

    @Override
    protected NDArray[] initialSlots(long dimension, NDManager manager) {
        return new NDArray[] {filled(dimension, 0f, manager)};
    }

    @Override
    public NDArray update(NDArray grad, long t) {
        slots[0] = slots[0].mul(momentum).add(grad);
        return slots[0].mul(lr);
    }
}
