package org.rnnprop.meta;

import static org.rnnprop.meta.RowProducts.add;
import static org.rnnprop.meta.RowProducts.addRowSums;
import static org.rnnprop.meta.RowProducts.mulAdd;

import java.util.Arrays;
import org.rnnprop.core.FloatMath;

/**
 * One thread's working memory for {@link HandReplay}, and the meta-backward of one block of {@link #BLOCK}
 * coordinates over one period: a forward pass that recomputes the optimizer from the block's recorded state and
 * gradients, keeping every activation the backward pass needs, then backpropagation through time.
 *
 * <p>Structure of arrays: each unit's value over the block's coordinates is one row of {@link #BLOCK} floats,
 * and the rows of one quantity at one step lie one after another, so every loop runs over coordinates or along
 * a whole quantity and the JIT compiles it to SIMD code. A block with fewer coordinates is padded with zero
 * state and zero gradients, which contribute nothing. Everything is allocated at construction.
 */
final class ReplayBlock {
    /** Coordinates per block. */
    static final int BLOCK = 64;
    private static final int B = BLOCK;

    private final int hidden;
    private final int inputs;
    private final int gates;
    private final boolean rnnprop;
    private final int capacity;

    // Forward records, per step t: RNNprop's two normalised inputs and layer 1's input at t, states h[t] and c[t] entering step t (index 0: the period's
    // start), activated gates of step t ([i, j, f, o] rows, j already tanh), tanh of the new cell state.
    private final float[][] scaledInputs;
    private final float[][] layer1Input;
    private final float[][] h1;
    private final float[][] c1;
    private final float[][] h2;
    private final float[][] c2;
    private final float[][] gates1;
    private final float[][] gates2;
    private final float[][] cellTanh1;
    private final float[][] cellTanh2;
    /** d(update)/d(output) per step. */
    private final float[][] updateSlope;
    private final float[] m = new float[B];
    private final float[] v = new float[B];
    private final float[] grad = new float[B];
    private final float[] output = new float[B];

    // Backward: gradients with respect to the state entering the step being processed, and scratch.
    private final float[] laterGradients = new float[B];
    private final float[] dOutput = new float[B];
    private final float[] dh1;
    private final float[] dc1;
    private final float[] dh2;
    private final float[] dc2;
    private final float[] dGates;
    private final float[] dGatesByCoordinate;
    private final float[] dPreprocess;

    // The block's gradient: kernels directly, the rest per coordinate (summed over the block at its end).
    private final float[] dKernel1;
    private final float[] dKernel2;
    private final float[] dBias1;
    private final float[] dBias2;
    private final float[] dOutKernel;
    private final float[] dOutBias = new float[B];
    private final float[] dPreKernel;
    private final float[] dPreBias;

    ReplayBlock(ReplayNetwork shape, int steps) {
        hidden = shape.hidden;
        inputs = shape.inputs;
        gates = shape.gates;
        rnnprop = shape.rnnprop;
        capacity = steps;
        int hb = hidden * B;
        scaledInputs = new float[steps][rnnprop ? 2 * B : 0];
        layer1Input = new float[steps][inputs * B];
        h1 = new float[steps + 1][hb];
        c1 = new float[steps + 1][hb];
        h2 = new float[steps + 1][hb];
        c2 = new float[steps + 1][hb];
        gates1 = new float[steps][gates * B];
        gates2 = new float[steps][gates * B];
        cellTanh1 = new float[steps][hb];
        cellTanh2 = new float[steps][hb];
        updateSlope = new float[steps][B];
        dh1 = new float[hb];
        dc1 = new float[hb];
        dh2 = new float[hb];
        dc2 = new float[hb];
        dGates = new float[gates * B];
        dGatesByCoordinate = new float[B * gates];
        dPreprocess = new float[rnnprop ? inputs * B : 0];
        dKernel1 = new float[(inputs + hidden) * gates];
        dKernel2 = new float[2 * hidden * gates];
        dBias1 = new float[gates * B];
        dBias2 = new float[gates * B];
        dOutKernel = new float[hb];
        dPreKernel = new float[rnnprop ? 2 * inputs * B : 0];
        dPreBias = new float[rnnprop ? inputs * B : 0];
    }

    /** Whether this scratch serves {@code net} for a period of {@code steps}. */
    boolean fits(ReplayNetwork net, int steps) {
        return rnnprop == net.rnnprop && hidden == net.hidden && inputs == net.inputs && steps <= capacity;
    }

    /**
     * The meta-gradient of coordinates {@code [start, start + count)} ({@code count <= BLOCK}), written to
     * {@code out[outOff ..]} in the flat layout of {@link ReplayNetwork}.
     */
    void run(ReplayNetwork net, float[] state0, float[][] gradients, double[] lossWeights, long t0, int start,
            int count, float[] out, int outOff) {
        int steps = gradients.length;
        load(net, state0, start, count);
        for (int t = 0; t < steps; t++) {
            forward(net, t, t0 + t + 1, gradients[t], start, count);
        }
        Arrays.fill(laterGradients, 0f);
        Arrays.fill(dh1, 0f);
        Arrays.fill(dc1, 0f);
        Arrays.fill(dh2, 0f);
        Arrays.fill(dc2, 0f);
        for (int t = steps - 1; t >= 0; t--) {
            if (t + 1 < steps && lossWeights[t + 1] != 0) {
                // dS/d(update_t) = -sum_{k > t} w_k g_k: the update of step t moves every later theta_k
                fillGradient(gradients[t + 1], start, count);
                float wk = (float) lossWeights[t + 1];
                for (int l = 0; l < B; l++) {
                    laterGradients[l] += wk * grad[l];
                }
            }
            backward(net, t);
        }
        flush(net, out, outOff);
    }

    /** The block's rows of the period's start state, transposed; padding lanes zero. */
    private void load(ReplayNetwork net, float[] state0, int start, int count) {
        int width = (rnnprop ? 2 : 0) + 4 * hidden;
        int at = rnnprop ? 2 : 0;
        if (count < B) {
            Arrays.fill(m, 0f);
            Arrays.fill(v, 0f);
            Arrays.fill(h1[0], 0f);
            Arrays.fill(c1[0], 0f);
            Arrays.fill(h2[0], 0f);
            Arrays.fill(c2[0], 0f);
        }
        for (int l = 0; l < count; l++) {
            int r = (start + l) * width;
            if (rnnprop) {
                m[l] = state0[r];
                v[l] = state0[r + 1];
            }
            for (int u = 0; u < hidden; u++) {
                h1[0][u * B + l] = state0[r + at + u];
                c1[0][u * B + l] = state0[r + at + hidden + u];
                h2[0][u * B + l] = state0[r + at + 2 * hidden + u];
                c2[0][u * B + l] = state0[r + at + 3 * hidden + u];
            }
        }
    }

    private void fillGradient(float[] g, int start, int count) {
        System.arraycopy(g, start, grad, 0, count);
        if (count < B) {
            Arrays.fill(grad, count, B, 0f);
        }
    }

    /** Step t (0-based in the period; {@code step} is its global 1-based count) for the block. */
    private void forward(ReplayNetwork net, int t, long step, float[] g, int start, int count) {
        fillGradient(g, start, count);
        float[] in = layer1Input[t];
        if (rnnprop) {
            preprocessRnnprop(net, t, step, in);
        } else {
            preprocessDm(net, in);
        }
        lstmForward(net.kernel1, net.bias1, net.forgetBias, in, inputs, h1[t], c1[t], gates1[t], c1[t + 1],
                cellTanh1[t], h1[t + 1]);
        lstmForward(net.kernel2, net.bias2, net.forgetBias, h1[t + 1], hidden, h2[t], c2[t], gates2[t], c2[t + 1],
                cellTanh2[t], h2[t + 1]);
        Arrays.fill(output, net.outBias);
        mulAdd(output, 0, 1, B, h2[t + 1], 0, hidden, net.outKernel, 0, 0, 1);
        float[] slope = updateSlope[t];
        if (rnnprop) {
            float alpha = (float) net.alpha;
            for (int l = 0; l < B; l++) {
                float u = FloatMath.tanh(output[l]);
                slope[l] = alpha * (1 - u * u); // update = alpha tanh(y)
            }
        } else {
            Arrays.fill(slope, (float) -net.alpha); // update = -alpha y
        }
    }

    /** Moments and normalised inputs as the fast kernel computes them, then the ELU layer. */
    private void preprocessRnnprop(ReplayNetwork net, int t, long step, float[] z) {
        double bc1 = 1 - Math.pow(net.beta1, step);
        double bc2 = 1 - Math.pow(net.beta2, step);
        float[] x = scaledInputs[t];
        float b1 = net.beta1;
        float b2 = net.beta2;
        for (int l = 0; l < B; l++) {
            float gl = grad[l];
            float ml = b1 * m[l] + (1 - b1) * gl;
            float vl = b2 * v[l] + (1 - b2) * gl * gl;
            double sd = Math.sqrt(vl / bc2) + net.epsilon;
            x[l] = (float) (gl / sd);
            x[B + l] = (float) ((ml / bc1) / sd);
            m[l] = ml;
            v[l] = vl;
        }
        for (int k = 0; k < inputs; k++) {
            Arrays.fill(z, k * B, (k + 1) * B, net.preBias[k]);
        }
        mulAdd(z, 0, inputs, B, x, 0, 2, net.preKernel, 0, 1, inputs);
        for (int i = 0; i < inputs * B; i++) {
            z[i] = FloatMath.elu(z[i]);
        }
    }

    /** DMoptimizer's log and sign inputs. */
    private void preprocessDm(ReplayNetwork net, float[] z) {
        double floor = Math.exp(-net.logScale);
        double scale = Math.exp(net.logScale);
        for (int l = 0; l < B; l++) {
            float gl = grad[l];
            z[l] = (float) (Math.log(Math.max(Math.abs((double) gl), floor)) / net.logScale);
            z[B + l] = (float) Math.max(-1, Math.min(1, gl * scale));
        }
    }

    /** One LSTM cell: gates = [x, h]·W + b (order i, j, f, o, forget bias added), activated in place. */
    private void lstmForward(float[] kernel, float[] bias, float forgetBias, float[] x, int xRows, float[] h,
            float[] c, float[] a, float[] cNext, float[] cTanh, float[] hNext) {
        int hb = hidden * B;
        for (int j = 0; j < gates; j++) {
            float b = bias[j] + (j >= 2 * hidden && j < 3 * hidden ? forgetBias : 0f);
            Arrays.fill(a, j * B, (j + 1) * B, b);
        }
        mulAdd(a, 0, gates, B, x, 0, xRows, kernel, 0, 1, gates);
        mulAdd(a, 0, gates, B, h, 0, hidden, kernel, xRows * gates, 1, gates);
        // One simple map per loop: the JIT vectorizes these.
        for (int i = 0; i < hb; i++) {
            a[i] = FloatMath.sigmoid(a[i]);
        }
        for (int i = hb; i < 2 * hb; i++) {
            a[i] = FloatMath.tanh(a[i]);
        }
        for (int i = 2 * hb; i < 4 * hb; i++) {
            a[i] = FloatMath.sigmoid(a[i]);
        }
        for (int i = 0; i < hb; i++) {
            cNext[i] = a[2 * hb + i] * c[i] + a[i] * a[hb + i];
        }
        for (int i = 0; i < hb; i++) {
            cTanh[i] = FloatMath.tanh(cNext[i]);
        }
        for (int i = 0; i < hb; i++) {
            hNext[i] = a[3 * hb + i] * cTanh[i];
        }
    }

    /** Backpropagates step t: the output, layer 2, layer 1 and (RNNprop) the preprocessing. */
    private void backward(ReplayNetwork net, int t) {
        float[] slope = updateSlope[t];
        for (int l = 0; l < B; l++) {
            dOutput[l] = -laterGradients[l] * slope[l];
        }
        add(dOutBias, dOutput, B);
        float[] h2Out = h2[t + 1];
        for (int u = 0; u < hidden; u++) {
            int o = u * B;
            for (int l = 0; l < B; l++) {
                dOutKernel[o + l] += dOutput[l] * h2Out[o + l];
            }
        }
        mulAdd(dh2, 0, hidden, B, dOutput, 0, 1, net.outKernel, 0, 1, 0);

        lstmBackward(gates2[t], cellTanh2[t], c2[t], dh2, dc2, dBias2);
        RowProducts.transpose(dGates, gates, B, dGatesByCoordinate);
        mulAdd(dKernel2, 0, hidden, gates, dGatesByCoordinate, 0, B, h1[t + 1], 0, B, 1);
        mulAdd(dKernel2, hidden * gates, hidden, gates, dGatesByCoordinate, 0, B, h2[t], 0, B, 1);
        mulAdd(dh1, 0, hidden, B, dGates, 0, gates, net.kernel2, 0, gates, 1);
        Arrays.fill(dh2, 0f);
        mulAdd(dh2, 0, hidden, B, dGates, 0, gates, net.kernel2, hidden * gates, gates, 1);

        lstmBackward(gates1[t], cellTanh1[t], c1[t], dh1, dc1, dBias1);
        RowProducts.transpose(dGates, gates, B, dGatesByCoordinate);
        float[] in = layer1Input[t];
        mulAdd(dKernel1, 0, inputs, gates, dGatesByCoordinate, 0, B, in, 0, B, 1);
        mulAdd(dKernel1, inputs * gates, hidden, gates, dGatesByCoordinate, 0, B, h1[t], 0, B, 1);
        Arrays.fill(dh1, 0f);
        mulAdd(dh1, 0, hidden, B, dGates, 0, gates, net.kernel1, inputs * gates, gates, 1);
        if (rnnprop) {
            preprocessBackward(net, t, in);
        }
    }

    /**
     * Through one LSTM cell: from the gradient {@code dh} of its new h and {@code dc} of its new c (from later
     * steps) to the gate pre-activations, into {@link #dGates}; {@code dc} becomes the gradient of the cell
     * state entering the step.
     */
    private void lstmBackward(float[] a, float[] cTanh, float[] cPrev, float[] dh, float[] dc, float[] dBias) {
        int hb = hidden * B;
        float[] d = dGates;
        for (int i = 0; i < hb; i++) {
            float o = a[3 * hb + i];
            float tc = cTanh[i];
            d[3 * hb + i] = dh[i] * tc * o * (1 - o);
            dc[i] += dh[i] * o * (1 - tc * tc);
        }
        for (int i = 0; i < hb; i++) {
            float in = a[i];
            float j = a[hb + i];
            d[i] = dc[i] * j * in * (1 - in);
            d[hb + i] = dc[i] * in * (1 - j * j);
        }
        for (int i = 0; i < hb; i++) {
            float f = a[2 * hb + i];
            d[2 * hb + i] = dc[i] * cPrev[i] * f * (1 - f);
            dc[i] *= f;
        }
        add(dBias, d, gates * B);
    }

    /** RNNprop: from layer 1's gate gradients through the ELU layer to the preprocessing weights. */
    private void preprocessBackward(ReplayNetwork net, int t, float[] z) {
        float[] dz = dPreprocess;
        int pb = inputs * B;
        Arrays.fill(dz, 0f);
        mulAdd(dz, 0, inputs, B, dGates, 0, gates, net.kernel1, 0, gates, 1);
        for (int i = 0; i < pb; i++) {
            dz[i] *= Math.min(z[i], 0f) + 1; // ELU'
        }
        add(dPreBias, dz, pb);
        float[] x = scaledInputs[t];
        for (int r = 0; r < 2; r++) {
            for (int k = 0; k < inputs; k++) {
                int o = (r * inputs + k) * B;
                for (int l = 0; l < B; l++) {
                    dPreKernel[o + l] += x[r * B + l] * dz[k * B + l];
                }
            }
        }
    }

    /** Writes the block's gradient to {@code out} and zeroes the sums for the next block. */
    private void flush(ReplayNetwork net, float[] out, int outOff) {
        Arrays.fill(out, outOff, outOff + net.size, 0f);
        System.arraycopy(dKernel1, 0, out, outOff + net.atKernel1, dKernel1.length);
        System.arraycopy(dKernel2, 0, out, outOff + net.atKernel2, dKernel2.length);
        addRowSums(dBias1, gates, B, out, outOff + net.atBias1);
        addRowSums(dBias2, gates, B, out, outOff + net.atBias2);
        addRowSums(dOutKernel, hidden, B, out, outOff + net.atOutKernel);
        addRowSums(dOutBias, 1, B, out, outOff + net.atOutBias);
        if (rnnprop) {
            addRowSums(dPreKernel, 2 * inputs, B, out, outOff + net.atPreKernel);
            addRowSums(dPreBias, inputs, B, out, outOff + net.atPreBias);
        }
        Arrays.fill(dKernel1, 0f);
        Arrays.fill(dKernel2, 0f);
        Arrays.fill(dBias1, 0f);
        Arrays.fill(dBias2, 0f);
        Arrays.fill(dOutKernel, 0f);
        Arrays.fill(dOutBias, 0f);
        Arrays.fill(dPreKernel, 0f);
        Arrays.fill(dPreBias, 0f);
    }
}
