package org.rnnprop.tasks.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Adadelta, as TensorFlow's {@code AdadeltaOptimizer} (Zeiler's rule times a learning rate):
 * {@code acc = rho * acc + (1 - rho) * g^2}, {@code d = sqrt(accUpd + eps) / sqrt(acc + eps) * g},
 * {@code accUpd = rho * accUpd + (1 - rho) * d^2}, {@code update = lr * d}; both accumulators start at 0.
 */
public final class Adadelta extends SlotOptimizer {
    /** The specification's rho. */
    public static final double DEFAULT_RHO = 0.95;
    /** The specification's epsilon. */
    public static final double DEFAULT_EPSILON = 1e-8;

    private final double rho;
    private final double epsilon;

    public Adadelta(double lr) {
        this(lr, DEFAULT_RHO, DEFAULT_EPSILON);
    }

    public Adadelta(double lr, double rho, double epsilon) {
        super("adadelta", lr);
        this.rho = rho;
        this.epsilon = epsilon;
    }

    @Override
    protected NDArray[] initialSlots(long dimension, NDManager manager) {
        return new NDArray[] {filled(dimension, 0f, manager), filled(dimension, 0f, manager)};
    }

    @Override
    public NDArray update(NDArray grad, long t) {
        slots[0] = slots[0].mul(rho).add(grad.square().mul(1 - rho));
        NDArray d = slots[1].add(epsilon).sqrt().div(slots[0].add(epsilon).sqrt()).mul(grad);
        slots[1] = slots[1].mul(rho).add(d.square().mul(1 - rho));
        return d.mul(lr);
    }
}
