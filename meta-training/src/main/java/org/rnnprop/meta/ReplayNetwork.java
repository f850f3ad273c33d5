package org.rnnprop.meta;

import java.util.Map;
import org.rnnprop.core.Hyperparameters;
import org.rnnprop.core.NetworkLayout;
import org.rnnprop.core.OptimizerKind;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.Tensor;

/**
 * An optimizer network as the hand-written meta-backward ({@link HandReplay}) reads it: each kernel as an array
 * of rows, as it is (in, out) for the products through its transpose and transposed (out, in) for the forward
 * products (LSTM gates in TensorFlow's order i, j, f, o); the hyperparameters in the precision the fast kernel
 * uses; and where each tensor's gradient sits in one flat vector, in the canonical tensor order.
 */
final class ReplayNetwork {
    final boolean rnnprop;
    final int hidden;
    /** Rows of layer 1's input before its own h: the preprocessing width (RNNprop) or 2 (DMoptimizer). */
    final int inputs;
    final int gates;
    final float beta1;
    final float beta2;
    final double epsilon;
    final double alpha;
    final float forgetBias;
    final double logScale;
    /** RNNprop's preprocessing kernel transposed, (P, 2); null for DMoptimizer. */
    final float[][] preKernelT;
    final float[] preBias;
    /** Layer 1's kernel (in + H, 4H) and its transpose. */
    final float[][] kernel1;
    final float[][] kernel1T;
    final float[] bias1;
    final float[][] kernel2;
    final float[][] kernel2T;
    final float[] bias2;
    /** The output kernel as one row (1, H) and as one column (H, 1). */
    final float[][] outRow;
    final float[][] outColumn;
    final float outBias;
    /** Offsets of the tensors in the flat gradient (-1 for RNNprop's preprocessing in DMoptimizer). */
    final int atPreKernel;
    final int atPreBias;
    final int atKernel1;
    final int atBias1;
    final int atKernel2;
    final int atBias2;
    final int atOutKernel;
    final int atOutBias;
    /** Length of the flat gradient: every weight of the network. */
    final int size;

    ReplayNetwork(OptimizerWeights w) {
        Hyperparameters hp = w.hyperparameters();
        rnnprop = w.kind() == OptimizerKind.RNNPROP;
        hidden = hp.hiddenSize();
        inputs = rnnprop ? hp.preprocessSize() : NetworkLayout.INPUTS;
        gates = 4 * hidden;
        beta1 = (float) hp.beta1();
        beta2 = (float) hp.beta2();
        epsilon = hp.epsilon();
        alpha = hp.alpha();
        forgetBias = (float) hp.forgetBias();
        logScale = hp.logScale();
        preKernelT = rnnprop ? RowProducts.transposedRows(w.tensor(NetworkLayout.PREPROCESS_KERNEL).data(),
                NetworkLayout.INPUTS, inputs) : null;
        preBias = rnnprop ? w.tensor(NetworkLayout.PREPROCESS_BIAS).data() : null;
        float[] k1 = w.tensor(NetworkLayout.LSTM1_KERNEL).data();
        kernel1 = RowProducts.rows(k1, inputs + hidden, gates);
        kernel1T = RowProducts.transposedRows(k1, inputs + hidden, gates);
        bias1 = w.tensor(NetworkLayout.LSTM1_BIAS).data();
        float[] k2 = w.tensor(NetworkLayout.LSTM2_KERNEL).data();
        kernel2 = RowProducts.rows(k2, 2 * hidden, gates);
        kernel2T = RowProducts.transposedRows(k2, 2 * hidden, gates);
        bias2 = w.tensor(NetworkLayout.LSTM2_BIAS).data();
        float[] out = w.tensor(NetworkLayout.OUTPUT_KERNEL).data();
        outRow = RowProducts.rows(out, 1, hidden);
        outColumn = RowProducts.rows(out, hidden, 1);
        outBias = w.tensor(NetworkLayout.OUTPUT_BIAS).data()[0];
        Map<String, Tensor> tensors = w.tensors();
        atPreKernel = offset(tensors, NetworkLayout.PREPROCESS_KERNEL);
        atPreBias = offset(tensors, NetworkLayout.PREPROCESS_BIAS);
        atKernel1 = offset(tensors, NetworkLayout.LSTM1_KERNEL);
        atBias1 = offset(tensors, NetworkLayout.LSTM1_BIAS);
        atKernel2 = offset(tensors, NetworkLayout.LSTM2_KERNEL);
        atBias2 = offset(tensors, NetworkLayout.LSTM2_BIAS);
        atOutKernel = offset(tensors, NetworkLayout.OUTPUT_KERNEL);
        atOutBias = offset(tensors, NetworkLayout.OUTPUT_BIAS);
        int n = 0;
        for (Tensor t : tensors.values()) {
            n += t.size();
        }
        size = n;
    }

    /**
     * RNNprop's inputs at step {@code step} (1-based) as the fast kernel computes them, over {@code n} lanes: the
     * moments {@code m}, {@code v} advance in place on {@code grad}, and {@code x0 = g / sd},
     * {@code x1 = m^ / sd} with {@code sd = sqrt(v^) + epsilon} (bias-corrected; in double, since g*g and v/bc2
     * span far more than float's range for extreme gradients).
     */
    void normalise(long step, float[] grad, float[] m, float[] v, float[] x0, int x0Off, float[] x1, int x1Off,
            int n) {
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2 = 1 - Math.pow(beta2, step);
        for (int l = 0; l < n; l++) {
            float gl = grad[l];
            float ml = beta1 * m[l] + (1 - beta1) * gl;
            float vl = beta2 * v[l] + (1 - beta2) * gl * gl;
            double sd = Math.sqrt(vl / bc2) + epsilon;
            x0[x0Off + l] = (float) (gl / sd);
            x1[x1Off + l] = (float) ((ml / bc1) / sd);
            m[l] = ml;
            v[l] = vl;
        }
    }

    /** DMoptimizer's two inputs over {@code n} lanes: the scaled log magnitude and the clipped scaled sign. */
    void dmInputs(float[] grad, float[] z0, int z0Off, float[] z1, int z1Off, int n) {
        double floor = Math.exp(-logScale);
        double scale = Math.exp(logScale);
        for (int l = 0; l < n; l++) {
            float gl = grad[l];
            z0[z0Off + l] = (float) (Math.log(Math.max(Math.abs((double) gl), floor)) / logScale);
            z1[z1Off + l] = (float) Math.max(-1, Math.min(1, gl * scale));
        }
    }

    private static int offset(Map<String, Tensor> tensors, String name) {
        int at = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey().equals(name)) {
                return at;
            }
            at += e.getValue().size();
        }
        return -1;
    }
}
