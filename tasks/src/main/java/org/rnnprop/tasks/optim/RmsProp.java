package org.rnnprop.tasks.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * RMSprop, as TensorFlow 1.x's {@code RMSPropOptimizer} with momentum 0 and not centred:
 * {@code ms = decay * ms + (1 - decay) * g^2}, {@code update = lr * g / sqrt(ms + eps)}. The mean square
 * starts at ONE, as in TensorFlow 1.x (not at 0 as in PyTorch), so early steps are small; epsilon is inside
 * the square root.
 */
public final class RmsProp extends SlotOptimizer {
    /** The specification's decay. */
    public static final double DEFAULT_DECAY = 0.9;
    /** The specification's epsilon. */
    public static final double DEFAULT_EPSILON = 1e-10;

    private final double decay;
    private final double epsilon;

    public RmsProp(double lr) {
        this(lr, DEFAULT_DECAY, DEFAULT_EPSILON);
    }

    public RmsProp(double lr, double decay, double epsilon) {
        super("rmsprop", lr);
        this.decay = decay;
        this.epsilon = epsilon;
    }

    @Override
    protected NDArray[] initialSlots(long dimension, NDManager manager) {
        return new NDArray[] {filled(dimension, 1f, manager)};
    }

    @Override
    public NDArray update(NDArray grad, long t) {
        slots[0] = slots[0].mul(decay).add(grad.square().mul(1 - decay));
        return grad.mul(lr).div(slots[0].add(epsilon).sqrt());
    }
}
