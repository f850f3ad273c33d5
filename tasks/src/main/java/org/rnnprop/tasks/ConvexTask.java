package org.rnnprop.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.rnnprop.djl.internal.NdConstants;

/**
 * The specification's convex term {@code g(x) = mean_i clip((x_i - v_i)^2, 0, 10)} over {@code n} coordinates,
 * starting at x = 0. The target v is fixed per instance; meta-training draws a new one, v ~ U[-1, 1]^n, each
 * iteration with {@link #random}.
 */
public final class ConvexTask implements Task {
    /** The clip bound of each squared term. */
    public static final float CLIP = 10f;

    private final float[] target;

    public ConvexTask(float[] target) {
        this.target = target.clone();
    }

    /** A term with v ~ U[-1, 1]^n. */
    public static ConvexTask random(int n, Rng rng) {
        return new ConvexTask(rng.uniform(n, -1, 1));
    }

    @Override
    public int dimension() {
        return target.length;
    }

    @Override
    public NDArray initialParameters(NDManager manager, Rng rng) {
        return manager.zeros(new ai.djl.ndarray.types.Shape(target.length));
    }

    @Override
    public Object sampleBatch(Rng rng) {
        return null;
    }

    @Override
    public NDArray loss(NDArray theta, Object batch) {
        NDArray d = theta.sub(theta.getManager().create(target).toDevice(theta.getDevice(), false));
        return NdConstants.minimum(d.square(), CLIP).mean();
    }

    @Override
    public LossAndGradient lossAndGradient(NDArray theta, Object batch) {
        NDArray d = theta.sub(theta.getManager().create(target).toDevice(theta.getDevice(), false));
        NDArray sq = d.square();
        NDArray inside = sq.lt(CLIP).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
        return new LossAndGradient(sq.minimum(CLIP).mean(), d.mul(inside).mul(2f / target.length));
    }
}
