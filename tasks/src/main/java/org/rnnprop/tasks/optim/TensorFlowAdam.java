package org.rnnprop.tasks.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Adam exactly as TensorFlow's {@code AdamOptimizer} computes it: {@code m = b1*m + (1-b1)*g},
 * {@code v = b2*v + (1-b2)*g^2}, {@code update = lr * sqrt(1-b2^t) / (1-b1^t) * m / (sqrt(v) + eps)}.
 *
 * <p>Epsilon is added to the uncorrected {@code sqrt(v)} (Kingma and Ba's "epsilon hat"), not to the
 * bias-corrected one as in many other libraries. The two agree unless gradients are as small as epsilon, which
 * happens in the deep sigmoid MLPs of the paper's tests; the evaluation and meta-training's validation use this
 * class so their Adam behaves as the paper's did.
 */
public final class TensorFlowAdam extends SlotOptimizer {
    private final double beta1;
    private final double beta2;
    private final double epsilon;

    /** TensorFlow's defaults: beta 0.9 / 0.999, epsilon 1e-8. */
    public TensorFlowAdam(double lr) {
        this(lr, 0.9, 0.999, 1e-8);
    }

    public TensorFlowAdam(double lr, double beta1, double beta2, double epsilon) {
        super("adam", lr);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    @Override
    protected NDArray[] initialSlots(long dimension, NDManager manager) {
        return new NDArray[] {filled(dimension, 0f, manager), filled(dimension, 0f, manager)};
    }

    @Override
    public NDArray update(NDArray grad, long t) {
        slots[0] = slots[0].mul(beta1).add(grad.mul(1 - beta1));
        slots[1] = slots[1].mul(beta2).add(grad.square().mul(1 - beta2));
        double lrT = lr * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
        return slots[0].mul(lrT).div(slots[1].sqrt().add(epsilon));
    }
}
