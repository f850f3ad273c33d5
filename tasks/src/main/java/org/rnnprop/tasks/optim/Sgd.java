package org.rnnprop.tasks.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** Plain SGD, as TensorFlow's {@code GradientDescentOptimizer}: {@code update = lr * g}. */
public final class Sgd extends SlotOptimizer {

    public Sgd(double lr) {
        super("sgd", lr);
    }

    @Override
    protected NDArray[] initialSlots(long dimension, NDManager manager) {
        return new NDArray[0];
    }

    @Override
    public NDArray update(NDArray grad, long t) {
        return grad.mul(lr);
    }
}
