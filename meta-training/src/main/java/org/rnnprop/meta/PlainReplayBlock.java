package org.rnnprop.meta;

import static org.rnnprop.meta.RowProducts.add;
import static org.rnnprop.meta.RowProducts.matrix;
import static org.rnnprop.meta.RowProducts.mulAdd;

import java.util.Arrays;
import org.rnnprop.core.FloatMath;

/**
 * {@link ReplayBlock} in plain Java: the reference the vector implementation is tested against, and what runs
 * where the JVM does not read the Vector API's module.
 *
 * <p>Structure of arrays, as in the core's fast kernel: each unit's value over the block's coordinates is one
 * row of {@link #BLOCK} floats, so every element-wise loop runs over coordinates and the JIT compiles it to SIMD
 * code, and the products are {@link RowProducts}. Everything is allocated at construction.
 */
final class PlainReplayBlock extends ReplayBlock {
    private static final int B = BLOCK;

    // Forward records, per step t: RNNprop's two normalised inputs and layer 1's input at t; the states h[t],
    // c[t] entering step t (index 0: the period's start); the activated gates of step t (rows i, j, f, o, with
    // j already through tanh); tanh of the new cell state; d(update)/d(output).
    private final float[][][] scaledInputs;
    private final float[][][] layer1Input;
    private final float[][][] h1;
    private final float[][][] c1;
    private final float[][][] h2;
    private final float[][][] c2;
    private final float[][][] gates1;
    private final float[][][] gates2;
    private final float[][][] cellTanh1;
    private final float[][][] cellTanh2;
    private final float[][] updateSlope;
    private final float[][] output = new float[1][B];

    // Backward: gradients with respect to the state entering the step being processed, and scratch.
    private final float[][] dOutput = new float[1][B];
    private final float[][] dh1;
    private final float[][] dc1;
    private final float[][] dh2;
    private final float[][] dc2;
    private final float[][] dGates;
    private final float[][] dGatesByCoordinate;
    private final float[][] dPreprocess;

    // The block's gradient: kernels directly, the rest per coordinate (summed over the block at its end).
    private final float[][] dKernel1;
    private final float[][] dKernel2;
    private final float[][] dBias1;
    private final float[][] dBias2;
    private final float[][] dOutKernel;
    private final float[][] dOutBias = new float[1][B];
    private final float[][] dPreKernel;
    private final float[][] dPreBias;

    PlainReplayBlock(ReplayNetwork shape, int steps) {
        super(shape, steps);
        scaledInputs = new float[steps][rnnprop ? 2 : 0][B];
        layer1Input = new float[steps][inputs][B];
        h1 = new float[steps + 1][hidden][B];
        c1 = new float[steps + 1][hidden][B];
        h2 = new float[steps + 1][hidden][B];
        c2 = new float[steps + 1][hidden][B];
        gates1 = new float[steps][gates][B];
        gates2 = new float[steps][gates][B];
        cellTanh1 = new float[steps][hidden][B];
        cellTanh2 = new float[steps][hidden][B];
        updateSlope = new float[steps][B];
        dh1 = matrix(hidden, B);
        dc1 = matrix(hidden, B);
        dh2 = matrix(hidden, B);
        dc2 = matrix(hidden, B);
        dGates = matrix(gates, B);
        dGatesByCoordinate = matrix(B, gates);
        dPreprocess = matrix(rnnprop ? inputs : 0, B);
        dKernel1 = matrix(inputs + hidden, gates);
        dKernel2 = matrix(2 * hidden, gates);
        dBias1 = matrix(gates, B);
        dBias2 = matrix(gates, B);
        dOutKernel = matrix(hidden, B);
        dPreKernel = matrix(rnnprop ? 2 * inputs : 0, B);
        dPreBias = matrix(rnnprop ? inputs : 0, B);
    }

    @Override
    void clearState() {
        RowProducts.zero(h1[0]);
        RowProducts.zero(c1[0]);
        RowProducts.zero(h2[0]);
        RowProducts.zero(c2[0]);
    }

    @Override
    void setState(int unit, int lane, float h1u, float c1u, float h2u, float c2u) {
        h1[0][unit][lane] = h1u;
        c1[0][unit][lane] = c1u;
        h2[0][unit][lane] = h2u;
        c2[0][unit][lane] = c2u;
    }

    @Override
    void startBackward() {
        RowProducts.zero(dh1);
        RowProducts.zero(dc1);
        RowProducts.zero(dh2);
        RowProducts.zero(dc2);
    }

    @Override
    void forward(ReplayNetwork net, int t, long step) {
        float[][] in = layer1Input[t];
        if (rnnprop) {
            preprocessRnnprop(net, t, step, in);
        } else {
            net.dmInputs(grad, in[0], 0, in[1], 0, B);
        }
        lstmForward(net.kernel1T, net.bias1, net.forgetBias, in, inputs, h1[t], c1[t], gates1[t], c1[t + 1],
                cellTanh1[t], h1[t + 1]);
        lstmForward(net.kernel2T, net.bias2, net.forgetBias, h1[t + 1], hidden, h2[t], c2[t], gates2[t],
                c2[t + 1], cellTanh2[t], h2[t + 1]);
        float[] y = output[0];
        Arrays.fill(y, net.outBias);
        mulAdd(output, 0, 1, net.outRow, 0, 0, h2[t + 1], 0, hidden, B);
        float[] slope = updateSlope[t];
        if (rnnprop) {
            float alpha = (float) net.alpha;
            for (int l = 0; l < B; l++) {
                float u = FloatMath.tanh(y[l]);
                slope[l] = alpha * (1 - u * u); // update = alpha tanh(y)
            }
        } else {
            Arrays.fill(slope, (float) -net.alpha); // update = -alpha y
        }
    }

    /** Moments and normalised inputs as the fast kernel computes them, then the ELU layer. */
    private void preprocessRnnprop(ReplayNetwork net, int t, long step, float[][] z) {
        net.normalise(step, grad, m, v, scaledInputs[t][0], 0, scaledInputs[t][1], 0, B);
        for (int k = 0; k < inputs; k++) {
            Arrays.fill(z[k], net.preBias[k]);
        }
        mulAdd(z, 0, inputs, net.preKernelT, 0, 0, scaledInputs[t], 0, 2, B);
        for (float[] row : z) {
            for (int l = 0; l < B; l++) {
                row[l] = FloatMath.elu(row[l]);
            }
        }
    }

    /**
     * One LSTM cell: gates = [x, h]·W + b (rows i, j, f, o; forget bias added), activated in place; the new
     * cell state, its tanh and the new h.
     */
    private void lstmForward(float[][] kernelT, float[] bias, float forgetBias, float[][] x, int xRows,
            float[][] h, float[][] c, float[][] a, float[][] cNext, float[][] cTanh, float[][] hNext) {
        int hd = hidden;
        for (int j = 0; j < gates; j++) {
            Arrays.fill(a[j], bias[j] + (j >= 2 * hd && j < 3 * hd ? forgetBias : 0f));
        }
        mulAdd(a, 0, gates, kernelT, 0, 0, x, 0, xRows, B);
        mulAdd(a, 0, gates, kernelT, 0, xRows, h, 0, hd, B);
        for (int u = 0; u < hd; u++) {
            float[] gi = a[u];
            float[] gj = a[hd + u];
            float[] gf = a[2 * hd + u];
            float[] go = a[3 * hd + u];
            float[] cu = c[u];
            float[] cn = cNext[u];
            float[] tc = cTanh[u];
            float[] hn = hNext[u];
            // One simple map per loop: the JIT vectorizes these, not one loop doing all of it.
            for (int l = 0; l < B; l++) {
                gi[l] = FloatMath.sigmoid(gi[l]);
            }
            for (int l = 0; l < B; l++) {
                gj[l] = FloatMath.tanh(gj[l]);
            }
            for (int l = 0; l < B; l++) {
                gf[l] = FloatMath.sigmoid(gf[l]);
            }
            for (int l = 0; l < B; l++) {
                go[l] = FloatMath.sigmoid(go[l]);
            }
            for (int l = 0; l < B; l++) {
                cn[l] = gf[l] * cu[l] + gi[l] * gj[l];
            }
            for (int l = 0; l < B; l++) {
                tc[l] = FloatMath.tanh(cn[l]);
            }
            for (int l = 0; l < B; l++) {
                hn[l] = go[l] * tc[l];
            }
        }
    }

    /** The output, layer 2, layer 1 and (RNNprop) the preprocessing. */
    @Override
    void backward(ReplayNetwork net, int t) {
        float[] slope = updateSlope[t];
        float[] dy = dOutput[0];
        for (int l = 0; l < B; l++) {
            dy[l] = -laterGradients[l] * slope[l];
        }
        add(dOutBias, dOutput);
        float[][] h2Out = h2[t + 1];
        for (int u = 0; u < hidden; u++) {
            float[] acc = dOutKernel[u];
            float[] hu = h2Out[u];
            for (int l = 0; l < B; l++) {
                acc[l] += dy[l] * hu[l];
            }
        }
        mulAdd(dh2, 0, hidden, net.outColumn, 0, 0, dOutput, 0, 1, B);

        lstmBackward(gates2[t], cellTanh2[t], c2[t], dh2, dc2, dBias2);
        RowProducts.transpose(dGates, dGatesByCoordinate);
        mulAdd(dKernel2, 0, hidden, h1[t + 1], 0, 0, dGatesByCoordinate, 0, B, gates);
        mulAdd(dKernel2, hidden, hidden, h2[t], 0, 0, dGatesByCoordinate, 0, B, gates);
        mulAdd(dh1, 0, hidden, net.kernel2, 0, 0, dGates, 0, gates, B);
        RowProducts.zero(dh2);
        mulAdd(dh2, 0, hidden, net.kernel2, hidden, 0, dGates, 0, gates, B);

        lstmBackward(gates1[t], cellTanh1[t], c1[t], dh1, dc1, dBias1);
        RowProducts.transpose(dGates, dGatesByCoordinate);
        float[][] in = layer1Input[t];
        mulAdd(dKernel1, 0, inputs, in, 0, 0, dGatesByCoordinate, 0, B, gates);
        mulAdd(dKernel1, inputs, hidden, h1[t], 0, 0, dGatesByCoordinate, 0, B, gates);
        RowProducts.zero(dh1);
        mulAdd(dh1, 0, hidden, net.kernel1, inputs, 0, dGates, 0, gates, B);
        if (rnnprop) {
            preprocessBackward(net, t, in);
        }
    }

    /**
     * Through one LSTM cell: from the gradient {@code dh} of its new h and {@code dc} of its new c (from later
     * steps) to the gate pre-activations, into {@link #dGates}; {@code dc} becomes the gradient of the cell
     * state entering the step.
     */
    private void lstmBackward(float[][] a, float[][] cTanh, float[][] cPrev, float[][] dh, float[][] dc,
            float[][] dBias) {
        int hd = hidden;
        for (int u = 0; u < hd; u++) {
            float[] gi = a[u];
            float[] gj = a[hd + u];
            float[] gf = a[2 * hd + u];
            float[] go = a[3 * hd + u];
            float[] tc = cTanh[u];
            float[] cp = cPrev[u];
            float[] dhu = dh[u];
            float[] dcu = dc[u];
            float[] di = dGates[u];
            float[] dj = dGates[hd + u];
            float[] df = dGates[2 * hd + u];
            float[] dout = dGates[3 * hd + u];
            for (int l = 0; l < B; l++) {
                dout[l] = dhu[l] * tc[l] * go[l] * (1 - go[l]);
            }
            for (int l = 0; l < B; l++) {
                dcu[l] += dhu[l] * go[l] * (1 - tc[l] * tc[l]);
            }
            for (int l = 0; l < B; l++) {
                di[l] = dcu[l] * gj[l] * gi[l] * (1 - gi[l]);
            }
            for (int l = 0; l < B; l++) {
                dj[l] = dcu[l] * gi[l] * (1 - gj[l] * gj[l]);
            }
            for (int l = 0; l < B; l++) {
                df[l] = dcu[l] * cp[l] * gf[l] * (1 - gf[l]);
            }
            for (int l = 0; l < B; l++) {
                dcu[l] *= gf[l];
            }
        }
        add(dBias, dGates);
    }

    /** RNNprop: from layer 1's gate gradients through the ELU layer to the preprocessing weights. */
    private void preprocessBackward(ReplayNetwork net, int t, float[][] z) {
        float[][] dz = dPreprocess;
        RowProducts.zero(dz);
        mulAdd(dz, 0, inputs, net.kernel1, 0, 0, dGates, 0, gates, B);
        for (int k = 0; k < inputs; k++) {
            float[] d = dz[k];
            float[] zk = z[k];
            for (int l = 0; l < B; l++) {
                d[l] *= Math.min(zk[l], 0f) + 1; // ELU'
            }
        }
        add(dPreBias, dz);
        for (int r = 0; r < 2; r++) {
            float[] x = scaledInputs[t][r];
            for (int k = 0; k < inputs; k++) {
                float[] acc = dPreKernel[r * inputs + k];
                float[] d = dz[k];
                for (int l = 0; l < B; l++) {
                    acc[l] += x[l] * d[l];
                }
            }
        }
    }

    @Override
    void flush(ReplayNetwork net, float[] out, int outOff) {
        Arrays.fill(out, outOff, outOff + net.size, 0f);
        RowProducts.drainRows(dKernel1, out, outOff + net.atKernel1);
        RowProducts.drainRows(dKernel2, out, outOff + net.atKernel2);
        RowProducts.drainRowSums(dBias1, out, outOff + net.atBias1);
        RowProducts.drainRowSums(dBias2, out, outOff + net.atBias2);
        RowProducts.drainRowSums(dOutKernel, out, outOff + net.atOutKernel);
        RowProducts.drainRowSums(dOutBias, out, outOff + net.atOutBias);
        if (rnnprop) {
            RowProducts.drainRowSums(dPreKernel, out, outOff + net.atPreKernel);
            RowProducts.drainRowSums(dPreBias, out, outOff + net.atPreBias);
        }
    }
}
