package org.rnnprop.meta;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rnnprop.djl.internal.NdConstants;
import org.rnnprop.djl.internal.NdNetwork;
import org.rnnprop.djl.internal.NdState;
import org.rnnprop.djl.internal.NdStep;
import org.rnnprop.djl.internal.NdWeights;
import org.rnnprop.tasks.Rng;
import org.rnnprop.tasks.Task;

/**
 * One truncated period: runs the optimizer for {@code unroll} steps from a constant start and differentiates
 * the period's meta-loss with respect to the optimizer's weights, through the surrogate
 * {@code sum_t w_t <g_t, theta_t(phi)>} (see {@link MetaTrainer}).
 */
final class MetaGradient {
    private MetaGradient() {
    }

    /**
     * The outcome of a period.
     *
     * @param theta the parameters after the period (detached, a new array)
     * @param state the optimizer state after the period (detached, new arrays)
     * @param metaLoss the period's meta-loss
     * @param lastLoss the loss at the period's last step
     * @param gradients the meta-gradient per tensor, or null if it was not finite
     */
    record Period(NDArray theta, NdState state, double metaLoss, double lastLoss, Map<String, float[]> gradients) {
    }

    /**
     * Weight of step {@code k} (0-based) of a period of {@code n} in the surrogate whose gradient is the
     * meta-gradient: the derivative of the period's meta-loss with respect to the loss at that step, whose value
     * is {@code loss}. For the mean log-loss it is {@code 1 / (n * loss)}, since d log L = dL / L.
     */
    static double lossWeight(Recipe.Objective objective, int k, int n, double loss) {
        return switch (objective) {
            case LAST_LOSS -> k == n - 1 ? 1 : 0;
            case MEAN_LOSS -> 1.0 / n;
            case MEAN_LOG_LOSS -> 1.0 / (n * loss);
        };
    }

    /** The period's meta-loss term of step {@code k} whose loss is {@code loss}. */
    static double lossTerm(Recipe.Objective objective, int k, int n, double loss) {
        return switch (objective) {
            case LAST_LOSS -> k == n - 1 ? loss : 0;
            case MEAN_LOSS -> loss / n;
            case MEAN_LOG_LOSS -> Math.log(loss) / n;
        };
    }

    /**
     * Runs a period. {@code w}'s arrays get gradients; the results are attached to the manager of
     * {@code thetaStart}.
     *
     * @param t0 steps already taken in this iteration (the first step of the period is {@code t0 + 1})
     */
    static Period period(NdWeights w, Task task, Rng rng, NDArray thetaStart, NdState stateStart, long t0, int unroll,
            Recipe.Objective objective, MetaTrainer.Timings timings) {
        for (NDArray a : w.arrays().values()) {
            a.setRequiresGradient(true);
        }
        double alpha = w.hyperparameters().alpha();
        NDArray theta = thetaStart;
        NdState state = stateStart;
        NDArray surrogate = null;
        double metaLoss = 0;
        double loss = Double.NaN;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            // Arranged once per period, inside the collector, so the meta-gradient reaches w's arrays.
            NdNetwork net = NdNetwork.of(w, thetaStart.getManager());
            for (int k = 0; k < unroll; k++) {
                long a = System.nanoTime();
                Task.LossAndGradient lg = task.lossAndGradient(theta.stopGradient(), task.sampleBatch(rng));
                loss = lg.loss().getFloat();
                long b = System.nanoTime();
                timings.optimizee += b - a;
                double weight = lossWeight(objective, k, unroll, loss);
                metaLoss += lossTerm(objective, k, unroll, loss);
                if (weight != 0) {
                    NDArray term = NdConstants.times(lg.gradient().mul(theta).sum(), weight);
                    surrogate = surrogate == null ? term : surrogate.add(term);
                }
                NdStep.Result r = NdStep.step(net, lg.gradient(), state, alpha, t0 + k + 1);
                theta = theta.sub(r.update());
                state = r.state();
                timings.optimizerForward += System.nanoTime() - b;
            }
            long c = System.nanoTime();
            gc.backward(surrogate);
            timings.metaBackward += System.nanoTime() - c;
        }
        long c = System.nanoTime();
        Map<String, float[]> grads = new LinkedHashMap<>();
        boolean finite = true;
        for (Map.Entry<String, NDArray> e : w.arrays().entrySet()) {
            float[] g = e.getValue().getGradient().toFloatArray();
            for (float v : g) {
                finite &= Float.isFinite(v);
            }
            grads.put(e.getKey(), g);
        }
        timings.metaBackward += System.nanoTime() - c;
        return new Period(theta.stopGradient().duplicate(), copy(state), metaLoss, loss, finite ? grads : null);
    }

    private static NdState copy(NdState s) {
        return new NdState(s.m() == null ? null : s.m().stopGradient().duplicate(),
                s.v() == null ? null : s.v().stopGradient().duplicate(), s.h1().stopGradient().duplicate(),
                s.c1().stopGradient().duplicate(), s.h2().stopGradient().duplicate(),
                s.c2().stopGradient().duplicate());
    }
}
