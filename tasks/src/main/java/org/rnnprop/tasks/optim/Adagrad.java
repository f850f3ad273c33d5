package org.rnnprop.tasks.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Adagrad, as TensorFlow 1.x's {@code AdagradOptimizer}: {@code acc = acc + g^2},
 * {@code update = lr * g / sqrt(acc)}, with the accumulator starting at 0.1 (TensorFlow's default, which also
 * keeps the first step finite; there is no epsilon).
 */
public final class Adagrad extends SlotOptimizer {
    /** TensorFlow's default initial accumulator. */
    public static final double DEFAULT_INITIAL_ACCUMULATOR = 0.1;

    private final double initialAccumulator;

    public Adagrad(double lr) {
        this(lr, DEFAULT_INITIAL_ACCUMULATOR);
    }

    public Adagrad(double lr, double initialAccumulator) {
        super("adagrad", lr);
        this.initialAccumulator = initialAccumulator;
    }

    @Override
    protected NDArray[] initialSlots(long dimension, NDManager manager) {
        return new NDArray[] {filled(dimension, (float) initialAccumulator, manager)};
    }

    @Override
    public NDArray update(NDArray grad, long t) {
        slots[0] = slots[0].add(grad.square());
        return grad.mul(lr).div(slots[0].sqrt());
    }
}
