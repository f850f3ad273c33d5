package org.rnnprop.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import org.rnnprop.core.Hyperparameters;
import org.rnnprop.core.OptimizerKind;

/**
 * The specification's step as NDArray operations, batched over coordinates: a pure function of (network,
 * state, gradient) giving (update, new state). Nothing is done in place, so an engine's autograd can
 * differentiate it with respect to the weights (meta-training uses exactly this code). Works on any device.
 *
 * <p>Activations are coordinate-last, [units, N] (see {@link NdNetwork} for why). Non-finite gradients are not
 * handled here; {@link #maskNonFinite} does that for callers that need it.
 */
public final class NdStep {

    /**
     * The outcome of one step.
     *
     * @param update {@code theta_new = theta - update}, shape [N]
     * @param state the new state
     */
    public record Result(NDArray update, NdState state) {
    }

    private NdStep() {
    }

    /**
     * One step for the N coordinates of {@code grad} (any shape; flattened), arranging {@code w} on the fly;
     * the arranged arrays are attached to the gradient's manager. Callers that step repeatedly should arrange
     * once with {@link NdNetwork#of} and use {@link #step(NdNetwork, NDArray, NdState, double, long)}.
     */
    public static Result step(NdWeights w, NDArray grad, NdState s, double alpha, long t) {
        return step(NdNetwork.of(w, grad.getManager()), grad, s, alpha, t);
    }

    /**
     * One step for the N coordinates of {@code grad} (any shape; flattened).
     *
     * @param alpha RNNprop's step bound or DMoptimizer's output scale (usually the weights' own value)
     * @param t 1-based step count
     */
    public static Result step(NdNetwork net, NDArray grad, NdState s, double alpha, long t) {
        Hyperparameters hp = net.hyperparameters();
        NDArray g = grad.reshape(-1);
        if (net.kind() == OptimizerKind.RNNPROP) {
            NDArray m = s.m().mul(hp.beta1()).add(g.mul(1 - hp.beta1()));
            NDArray v = s.v().mul(hp.beta2()).add(g.square().mul(1 - hp.beta2()));
            float bc1 = (float) (1 - Math.pow(hp.beta1(), t));
            float bc2 = (float) (1 - Math.pow(hp.beta2(), t));
            NDArray scale = v.div(bc2).sqrt().add(hp.epsilon());
            NDArray x = NDArrays.stack(new NDList(g.div(scale), m.div(bc1).div(scale)), 0);
            Network n = network(net, net.preprocess(x), s);
            NDArray update = NdConstants.times(n.y.tanh(), alpha);
            return new Result(update, new NdState(m, v, n.h1, n.c1, n.h2, n.c2));
        }
        double p = hp.logScale();
        NDArray xa = g.abs().maximum((float) Math.exp(-p)).log().div(p);
        NDArray xb = g.mul(Math.exp(p)).clip(-1, 1);
        Network n = network(net, net.preprocess(NDArrays.stack(new NDList(xa, xb), 0)), s);
        return new Result(NdConstants.times(n.y, -alpha), new NdState(null, null, n.h1, n.c1, n.h2, n.c2));
    }

    /**
     * Replaces non-finite gradient entries by 0 and gives the mask of finite ones, so that a caller can keep
     * the old state and a zero update where the mask is false (see {@link #select}).
     *
     * @return {finite-mask (boolean), safe gradient}
     */
    public static NDList maskNonFinite(NDArray grad) {
        NDArray g = grad.reshape(-1);
        NDArray finite = g.isNaN().logicalOr(g.isInfinite()).logicalNot();
        return new NDList(finite, NDArrays.where(finite, g, g.zerosLike()));
    }

    /** Per coordinate, the new state where {@code finite} holds and the old one elsewhere. */
    public static NdState select(NDArray finite, NdState fresh, NdState old) {
        // The engine's where does not broadcast a [N] mask over [H, N]: broadcast it explicitly.
        NDArray columns = finite.expandDims(0).broadcast(old.h1().getShape());
        return new NdState(
                fresh.m() == null ? null : NDArrays.where(finite, fresh.m(), old.m()),
                fresh.v() == null ? null : NDArrays.where(finite, fresh.v(), old.v()),
                NDArrays.where(columns, fresh.h1(), old.h1()), NDArrays.where(columns, fresh.c1(), old.c1()),
                NDArrays.where(columns, fresh.h2(), old.h2()), NDArrays.where(columns, fresh.c2(), old.c2()));
    }

    private record Network(NDArray y, NDArray h1, NDArray c1, NDArray h2, NDArray c2) {
    }

    private static Network network(NdNetwork net, NDArray input, NdState s) {
        NDList l1 = net.lstm(1, input, s.h1(), s.c1());
        NDList l2 = net.lstm(2, l1.get(0), s.h2(), s.c2());
        return new Network(net.output(l2.get(0)), l1.get(0), l1.get(1), l2.get(0), l2.get(1));
    }
}
