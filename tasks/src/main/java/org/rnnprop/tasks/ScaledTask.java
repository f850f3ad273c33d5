package org.rnnprop.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Random Scaling (docs/SPEC.md §3): the optimizer minimises {@code f(c * theta)} from {@code theta0 / c}, so
 * {@code c * theta} starts at the task's usual initialisation and the gradient it sees is
 * {@code c * grad f(c * theta)}. Scales are drawn per coordinate as {@code c_i = exp(U[-k, k])}.
 */
public final class ScaledTask implements Task {
    private final Task inner;
    private final float[] scale;

    public ScaledTask(Task inner, float[] scale) {
        if (scale.length != inner.dimension()) {
            throw new IllegalArgumentException("scale has " + scale.length + " entries, task has "
                    + inner.dimension() + " coordinates");
        }
        this.inner = inner;
        this.scale = scale.clone();
    }

    /** Scales {@code c_i = exp(U[-k, k])}. */
    public static ScaledTask random(Task inner, double k, Rng rng) {
        float[] c = new float[inner.dimension()];
        for (int i = 0; i < c.length; i++) {
            c[i] = (float) Math.exp(rng.uniform(-k, k));
        }
        return new ScaledTask(inner, c);
    }

    @Override
    public int dimension() {
        return inner.dimension();
    }

    @Override
    public NDArray initialParameters(NDManager manager, Rng rng) {
        return inner.initialParameters(manager, rng).div(manager.create(scale));
    }

    @Override
    public Object sampleBatch(Rng rng) {
        return inner.sampleBatch(rng);
    }

    @Override
    public NDArray loss(NDArray theta, Object batch) {
        return inner.loss(theta.mul(scaleOn(theta)), batch);
    }

    @Override
    public LossAndGradient lossAndGradient(NDArray theta, Object batch) {
        NDArray c = scaleOn(theta);
        LossAndGradient lg = inner.lossAndGradient(theta.mul(c), batch);
        return new LossAndGradient(lg.loss(), lg.gradient().mul(c));
    }

    private NDArray scaleOn(NDArray theta) {
        return theta.getManager().create(scale).toDevice(theta.getDevice(), false);
    }
}
