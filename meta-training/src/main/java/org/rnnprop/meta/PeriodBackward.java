package org.rnnprop.meta;

import java.util.Map;
import org.rnnprop.core.OptimizerWeights;

/**
 * The meta-gradient of one truncated period, computed from what the period's forward pass recorded: the
 * optimizer state of some coordinates at the period's start and the gradients fed to the optimizer at each of
 * its steps. Optimizee gradients are constants (first-order), so each coordinate's trajectory depends on the
 * weights only through its own LSTM run, and the period's surrogate
 * {@code S = sum_k w_k <g_k, theta_k - theta_0>} (theta_k: the parameters entering step k, so theta_0 is the
 * period's start) is a sum over coordinates.
 *
 * <p>Implementations: {@link AutogradReplay} (the engine's autograd over the library's NDArray step, the
 * reference).
 */
interface PeriodBackward {

    /**
     * @param weights the optimizer's weights the forward pass used
     * @param state0 the sampled coordinates' state at the period's start, row-major [n, stateWidth]
     * @param gradients per step k, the n gradients the optimizer was given
     * @param lossWeights per step k, the weight w_k of the loss entering step k
     * @param t0 steps taken before the period (its first step is {@code t0 + 1})
     * @return dS/d(weights) per tensor, in the order of {@code weights.tensors()}, summed over the n coordinates
     */
    Map<String, float[]> gradient(OptimizerWeights weights, float[] state0, float[][] gradients,
            double[] lossWeights, long t0);
}
