package org.rnnprop.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import org.rnnprop.core.Hyperparameters;
import org.rnnprop.core.NetworkLayout;
import org.rnnprop.core.OptimizerKind;

/**
 * An optimizer network's tensors arranged for {@link NdStep}'s coordinate-last layout, where every activation
 * is [units, N]: each kernel is transposed so that it multiplies from the left, and each LSTM's gate rows are
 * reordered from TensorFlow's [i, j, f, o] to [i, f, o, j] with the forget bias folded into the bias. Then one
 * sigmoid covers three gates and every gate is a contiguous block of rows, which makes the step about 1.5x
 * faster than the coordinate-first layout (see docs/BENCHMARKS.md).
 *
 * <p>The arrays are computed from {@link NdWeights} by differentiable operations, so meta-training can prepare
 * a network inside a gradient collector and get gradients on the weights. Inference prepares one per device.
 */
public final class NdNetwork {
    private final OptimizerKind kind;
    private final Hyperparameters hyperparameters;
    private final NDArray preprocessKernel;
    private final NDArray preprocessBias;
    private final NDArray lstm1Kernel;
    private final NDArray lstm1Bias;
    private final NDArray lstm2Kernel;
    private final NDArray lstm2Bias;
    private final NDArray outputKernel;
    private final NDArray outputBias;

    private NdNetwork(NdWeights w) {
        kind = w.kind();
        hyperparameters = w.hyperparameters();
        float forgetBias = (float) hyperparameters.forgetBias();
        boolean preprocess = kind == OptimizerKind.RNNPROP;
        preprocessKernel = preprocess ? w.get(NetworkLayout.PREPROCESS_KERNEL).transpose() : null;
        preprocessBias = preprocess ? w.get(NetworkLayout.PREPROCESS_BIAS).reshape(-1, 1) : null;
        lstm1Kernel = gateRows(w.get(NetworkLayout.LSTM1_KERNEL).transpose());
        lstm1Bias = gateRows(withForgetBias(w.get(NetworkLayout.LSTM1_BIAS), forgetBias)).reshape(-1, 1);
        lstm2Kernel = gateRows(w.get(NetworkLayout.LSTM2_KERNEL).transpose());
        lstm2Bias = gateRows(withForgetBias(w.get(NetworkLayout.LSTM2_BIAS), forgetBias)).reshape(-1, 1);
        outputKernel = w.get(NetworkLayout.OUTPUT_KERNEL).transpose();
        outputBias = w.get(NetworkLayout.OUTPUT_BIAS);
    }

    /**
     * Arranges {@code weights} and attaches the new arrays to {@code owner}. A step's results belong to the
     * manager of its inputs, never to {@code owner}, so one network can serve several threads.
     */
    public static NdNetwork of(NdWeights weights, NDManager owner) {
        // The arrangement's intermediates (transposes, splits) derive from the weights and would otherwise stay
        // in the weights' manager; under a temporary manager they are freed at once. An autograd graph keeps
        // what it needs of them.
        try (NDManager scratch = owner.newSubManager()) {
            scratch.tempAttachAll(new NDList(weights.arrays().values().toArray(new NDArray[0])));
            NdNetwork n = new NdNetwork(weights);
            owner.attachAll(n.arrays());
            return n;
        }
    }

    /** The derived arrays (not the weights they come from). */
    public NDList arrays() {
        NDList l = new NDList();
        if (preprocessKernel != null) {
            l.add(preprocessKernel);
            l.add(preprocessBias);
        }
        l.addAll(new NDList(lstm1Kernel, lstm1Bias, lstm2Kernel, lstm2Bias, outputKernel));
        return l;
    }

    public OptimizerKind kind() {
        return kind;
    }

    public Hyperparameters hyperparameters() {
        return hyperparameters;
    }

    /** The per-coordinate inputs [2, N] through the preprocessing layer (RNNprop) or as they are (DM). */
    NDArray preprocess(NDArray inputs) {
        return preprocessKernel == null ? inputs
                : Activation.elu(times(preprocessKernel, inputs).add(preprocessBias), 1f);
    }

    /** Layer {@code layer} (1 or 2) of the LSTM on input [in, N] and state [H, N]. Returns {h', c'}. */
    NDList lstm(int layer, NDArray x, NDArray h, NDArray c) {
        NDArray kernel = layer == 1 ? lstm1Kernel : lstm2Kernel;
        NDArray bias = layer == 1 ? lstm1Bias : lstm2Bias;
        NDArray gates = times(kernel, NDArrays.concat(new NDList(x, h), 0)).add(bias);
        long hidden = h.getShape().get(0);
        NDList sigmoidAndTanh = gates.split(new long[] {3 * hidden}, 0);
        NDList ifo = Activation.sigmoid(sigmoidAndTanh.get(0)).split(3, 0);
        NDArray cNew = ifo.get(1).mul(c).add(ifo.get(0).mul(sigmoidAndTanh.get(1).tanh()));
        NDArray hNew = ifo.get(2).mul(cNew.tanh());
        return new NDList(hNew, cNew);
    }

    /** The output layer on the last hidden state [H, N]: the raw output y, shape [N]. */
    NDArray output(NDArray h2) {
        return times(outputKernel, h2).reshape(-1).add(outputBias);
    }

    /** {@code kernel · x}, owned by x's manager (an operation's result otherwise joins its first operand's). */
    private static NDArray times(NDArray kernel, NDArray x) {
        NDArray r = kernel.matMul(x);
        r.attach(x.getManager());
        return r;
    }

    /** TensorFlow gate order [i, j, f, o] along dimension 0 to [i, f, o, j]. */
    private static NDArray gateRows(NDArray a) {
        NDList p = a.split(4, 0);
        return NDArrays.concat(new NDList(p.get(0), p.get(2), p.get(3), p.get(1)), 0);
    }

    /** Adds the forget bias to the f block of a TensorFlow-ordered bias. */
    private static NDArray withForgetBias(NDArray bias, float forgetBias) {
        NDList p = bias.split(4, 0);
        return NDArrays.concat(new NDList(p.get(0), p.get(1), p.get(2).add(forgetBias), p.get(3)), 0);
    }
}
