package org.rnnprop.meta;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.rnnprop.core.internal.VectorActivations;

/**
 * {@link ReplayBlock} on the JDK's Vector API ({@code jdk.incubator.vector}): {@link PlainReplayBlock}'s
 * computation, in explicit vectors of the preferred width with fused multiply-adds and the matrix products
 * register-blocked. Only {@link ReplayBlocks} makes it, by name, once it has checked that the JVM can run it.
 *
 * <p>Layout: unit-major, as in the plain block. Each unit's values over the block's coordinates form one row of
 * {@link #BLOCK} floats, so element-wise work runs along whole vectors of coordinates with no lane wasted, and
 * every record lies in one flat array per kind, step after step. The three products of a layer:
 * <ul>
 *   <li>gates from inputs ({@code [x, h] · W}) and the gradients of the inputs from the gate gradients
 *       ({@code dG · W^T}): tiles of four output rows times four vectors of coordinates, sixteen accumulators
 *       in registers; each step of the sum loads four input vectors and broadcasts four weights;</li>
 *   <li>the kernel's gradient ({@code [x, h]^T dG}, a sum over coordinates): the gate gradients are first
 *       transposed to one row per coordinate, then tiles of four input rows times four gate vectors of the
 *       kernel's gradient stay in registers through the block's coordinates, each broadcasting one input
 *       value per row and loading four gate vectors per coordinate.</li>
 * </ul>
 * Sigmoid columns of the kernels are pre-scaled by 1/2 (exact) so that every gate is {@code tanh(z) a + b};
 * tanh and ELU are {@link VectorActivations}'. Sums over the block's coordinates are kept per lane in float and
 * summed when the block ends, as in the plain block.
 *
 * <p>No method here takes or returns a vector: the JIT may decline to inline a method of ours into a large
 * caller, and a vector passed across such a call becomes an object on the heap.
 */
final class VectorReplayBlock extends ReplayBlock {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int B = BLOCK;
    /** Coordinates of a register tile: four vectors. */
    private static final int T = 4 * L;

    /** Rows of layer 1's input {@code [x, h1]} and of layer 2's {@code [h1 new, h2]}. */
    private final int k1;
    private final int k2;
    /** Gate columns rounded up to whole vectors: the row length of the transposed gate gradients. */
    private final int cols;

    // The network as the products read it, arranged on first use of each ReplayNetwork: kernels (in, out) with
    // sigmoid columns halved, their biases (forget bias added, likewise halved) repeated over a row of
    // coordinates, the kernels transposed (out, in) and not halved, the output and preprocessing weights.
    private ReplayNetwork arranged;
    private final float[] kernel1;
    private final float[] biasRows1;
    private final float[] kernel1T;
    private final float[] kernel2;
    private final float[] biasRows2;
    private final float[] kernel2T;
    private final float[] outKernel;
    private final float[] preKernel0;
    private final float[] preKernel1;
    private final float[] preBias;
    /** Constant rows: 1/2, 1 and 0 over at least {@code 2H} (and P) rows of coordinates. */
    private final float[] halves;
    private final float[] ones;
    private final float[] zeros;

    // Forward records, flat, step after step: layer 1's input [x, h1] at step t (t = 0 .. steps; the next
    // step's h1 is copied in as it is made); layer 2's input [h1 new, h2] of step t (its h2 part at t + 1 is
    // the h2 step t makes); cell states entering step t (0 .. steps); activated gates of step t (rows i, j, f,
    // o); tanh of its new cell states; RNNprop's two normalised inputs; d(update)/d(output).
    private final float[] x1;
    private final float[] x2;
    private final float[] c1;
    private final float[] c2;
    private final float[] gates1;
    private final float[] gates2;
    private final float[] cellTanh1;
    private final float[] cellTanh2;
    private final float[] scaledInputs;
    private final float[] updateSlope;
    private final float[] output = new float[B];

    // Backward: gradients with respect to the state entering the step being processed, and scratch.
    private final float[] dh1;
    private final float[] dc1;
    private final float[] dh2;
    private final float[] dc2;
    private final float[] dGates;
    /** The gate gradients transposed: one row of {@link #cols} per coordinate (columns past 4H stay 0). */
    private final float[] dGatesByCoordinate;
    private final float[] dPreprocess;

    // The block's gradient: kernels directly (rows of cols), the rest per lane (summed when the block ends).
    private final float[] dKernel1;
    private final float[] dKernel2;
    private final float[] dBias1;
    private final float[] dBias2;
    private final float[] dOutKernel;
    private final float[] dOutBias = new float[B];
    private final float[] dPreKernel;
    private final float[] dPreBias;

    /** Why this block cannot run on this JVM's hardware, or null if it can. */
    static String unsupportedPlatform() {
        if (B % T != 0) {
            return "the preferred vector width (" + L + " floats) does not tile a block of " + B + " coordinates";
        }
        return null;
    }

    VectorReplayBlock(ReplayNetwork shape, int steps) {
        super(shape, steps);
        String reason = unsupportedPlatform();
        if (reason != null) {
            throw new UnsupportedOperationException("VectorReplayBlock: " + reason);
        }
        k1 = inputs + hidden;
        k2 = 2 * hidden;
        cols = (gates + L - 1) / L * L;
        int p = rnnprop ? inputs : 0;
        kernel1 = new float[k1 * gates];
        biasRows1 = new float[gates * B];
        kernel1T = new float[gates * k1];
        kernel2 = new float[k2 * gates];
        biasRows2 = new float[gates * B];
        kernel2T = new float[gates * k2];
        outKernel = new float[hidden];
        preKernel0 = new float[p];
        preKernel1 = new float[p];
        preBias = new float[p];
        int constant = Math.max(2 * hidden, p) * B;
        halves = new float[constant];
        ones = new float[constant];
        zeros = new float[constant];
        Arrays.fill(halves, 0.5f);
        Arrays.fill(ones, 1f);
        x1 = new float[(steps + 1) * k1 * B];
        x2 = new float[(steps + 1) * k2 * B];
        c1 = new float[(steps + 1) * hidden * B];
        c2 = new float[(steps + 1) * hidden * B];
        gates1 = new float[steps * gates * B];
        gates2 = new float[steps * gates * B];
        cellTanh1 = new float[steps * hidden * B];
        cellTanh2 = new float[steps * hidden * B];
        scaledInputs = new float[rnnprop ? steps * 2 * B : 0];
        updateSlope = new float[steps * B];
        dh1 = new float[hidden * B];
        dc1 = new float[hidden * B];
        dh2 = new float[hidden * B];
        dc2 = new float[hidden * B];
        dGates = new float[gates * B];
        dGatesByCoordinate = new float[B * cols];
        dPreprocess = new float[p * B];
        dKernel1 = new float[k1 * cols];
        dKernel2 = new float[k2 * cols];
        dBias1 = new float[gates * B];
        dBias2 = new float[gates * B];
        dOutKernel = new float[hidden * B];
        dPreKernel = new float[2 * p * B];
        dPreBias = new float[p * B];
    }

    /** Arranges the network's weights in this block's layouts, unless they already are. */
    @Override
    void prepare(ReplayNetwork net) {
        if (net == arranged) {
            return;
        }
        arrangeLayer(net.kernel1, net.bias1, net.forgetBias, k1, kernel1, biasRows1, kernel1T);
        arrangeLayer(net.kernel2, net.bias2, net.forgetBias, k2, kernel2, biasRows2, kernel2T);
        System.arraycopy(net.outRow[0], 0, outKernel, 0, hidden);
        if (rnnprop) {
            for (int k = 0; k < inputs; k++) {
                preKernel0[k] = net.preKernelT[k][0];
                preKernel1[k] = net.preKernelT[k][1];
            }
            System.arraycopy(net.preBias, 0, preBias, 0, inputs);
        }
        arranged = net;
    }

    private void arrangeLayer(float[][] kernel, float[] bias, float forgetBias, int rows, float[] halved,
            float[] biasRows, float[] transposed) {
        for (int g = 0; g < gates; g++) {
            boolean candidate = g >= hidden && g < 2 * hidden;
            float scale = candidate ? 1f : 0.5f;
            for (int k = 0; k < rows; k++) {
                halved[k * gates + g] = scale * kernel[k][g];
                transposed[g * rows + k] = kernel[k][g];
            }
            float b = g >= 2 * hidden && g < 3 * hidden ? bias[g] + forgetBias : bias[g];
            Arrays.fill(biasRows, g * B, (g + 1) * B, scale * b);
        }
    }

    @Override
    void clearState() {
        Arrays.fill(x1, inputs * B, k1 * B, 0f);
        Arrays.fill(x2, hidden * B, k2 * B, 0f);
        Arrays.fill(c1, 0, hidden * B, 0f);
        Arrays.fill(c2, 0, hidden * B, 0f);
    }

    @Override
    void setState(int unit, int lane, float h1, float c1u, float h2, float c2u) {
        int o = unit * B + lane;
        x1[inputs * B + o] = h1;
        c1[o] = c1u;
        x2[hidden * B + o] = h2;
        c2[o] = c2u;
    }

    @Override
    void startBackward() {
        Arrays.fill(dh1, 0f);
        Arrays.fill(dc1, 0f);
        Arrays.fill(dh2, 0f);
        Arrays.fill(dc2, 0f);
    }

    @Override
    void forward(ReplayNetwork net, int t, long step) {
        int in1 = t * k1 * B;
        int in2 = t * k2 * B;
        int next1 = in1 + k1 * B;
        int next2 = in2 + k2 * B;
        int gt = t * gates * B;
        int ht = t * hidden * B;
        if (rnnprop) {
            preprocessRnnprop(net, t, step, in1);
        } else {
            net.dmInputs(grad, x1, in1, x1, in1 + B, B);
        }
        // layer 1: its new h1 goes to layer 2's input and to layer 1's input at the next step
        product(kernel1, 0, gates, k1, gates, x1, in1, biasRows1, 0, gates1, gt);
        activate(gates1, gt);
        cell(gates1, gt, c1, ht, cellTanh1, x2, in2);
        System.arraycopy(x2, in2, x1, next1 + inputs * B, hidden * B);
        // layer 2: its new h2 goes to layer 2's input at the next step
        product(kernel2, 0, gates, k2, gates, x2, in2, biasRows2, 0, gates2, gt);
        activate(gates2, gt);
        cell(gates2, gt, c2, ht, cellTanh2, x2, next2 + hidden * B);
        output(net, t, next2 + hidden * B);
    }

    /** Moments and normalised inputs as the fast kernel computes them, then the ELU layer, into x1 at in1. */
    private void preprocessRnnprop(ReplayNetwork net, int t, long step, int in1) {
        int xs = t * 2 * B;
        net.normalise(step, grad, m, v, scaledInputs, xs, scaledInputs, xs + B, B);
        for (int l = 0; l < B; l += L) {
            FloatVector a = FloatVector.fromArray(S, scaledInputs, xs + l);
            FloatVector b = FloatVector.fromArray(S, scaledInputs, xs + B + l);
            for (int k = 0; k < inputs; k++) {
                a.fma(FloatVector.broadcast(S, preKernel0[k]), b.fma(preKernel1[k], preBias[k]))
                        .intoArray(x1, in1 + k * B + l);
            }
        }
        VectorActivations.eluLanes(x1, in1, inputs * B);
    }

    /** Gate pre-activations to activations in place: i, f, o through the sigmoid, j through tanh. */
    private void activate(float[] a, int at) {
        int rows = hidden * B;
        VectorActivations.tanhLanes(a, at, a, at, halves, 0, halves, 0, rows);
        VectorActivations.tanhLanes(a, at + rows, a, at + rows, ones, 0, zeros, 0, rows);
        VectorActivations.tanhLanes(a, at + 2 * rows, a, at + 2 * rows, halves, 0, halves, 0, 2 * rows);
    }

    /**
     * The cell update of a layer at step t from its activated gates at {@code a[at ..]}: c = f c + i j from
     * {@code c[ht ..]} into {@code c[ht + H B ..]} (the next step's), its tanh into {@code cellTanh[ht ..]}, then
     * h = o tanh(c) into {@code h[hAt ..]}.
     */
    private void cell(float[] a, int at, float[] c, int ht, float[] cellTanh, float[] h, int hAt) {
        int rows = hidden * B;
        int next = ht + rows;
        for (int k = 0; k < rows; k += L) {
            FloatVector i = FloatVector.fromArray(S, a, at + k);
            FloatVector j = FloatVector.fromArray(S, a, at + rows + k);
            FloatVector f = FloatVector.fromArray(S, a, at + 2 * rows + k);
            f.fma(FloatVector.fromArray(S, c, ht + k), i.mul(j)).intoArray(c, next + k);
        }
        VectorActivations.tanhLanes(c, next, cellTanh, ht, ones, 0, zeros, 0, rows);
        for (int k = 0; k < rows; k += L) {
            FloatVector.fromArray(S, a, at + 3 * rows + k).mul(FloatVector.fromArray(S, cellTanh, ht + k))
                    .intoArray(h, hAt + k);
        }
    }

    /** The network's output from h2 at {@code x2[h2 ..]}, and d(update)/d(output) of step t. */
    private void output(ReplayNetwork net, int t, int h2) {
        for (int l = 0; l < B; l += L) {
            FloatVector y = FloatVector.broadcast(S, net.outBias);
            for (int u = 0; u < hidden; u++) {
                y = FloatVector.fromArray(S, x2, h2 + u * B + l).fma(FloatVector.broadcast(S, outKernel[u]), y);
            }
            y.intoArray(output, l);
        }
        int at = t * B;
        if (rnnprop) {
            float alpha = (float) net.alpha;
            VectorActivations.tanhLanes(output, 0, updateSlope, at, ones, 0, zeros, 0, B);
            for (int l = 0; l < B; l += L) {
                FloatVector u = FloatVector.fromArray(S, updateSlope, at + l);
                u.mul(u).neg().add(1f).mul(alpha).intoArray(updateSlope, at + l); // update = alpha tanh(y)
            }
        } else {
            Arrays.fill(updateSlope, at, at + B, (float) -net.alpha); // update = -alpha y
        }
    }

    /** The output, layer 2, layer 1 and (RNNprop) the preprocessing. */
    @Override
    void backward(ReplayNetwork net, int t) {
        int in1 = t * k1 * B;
        int in2 = t * k2 * B;
        int h2Out = in2 + k2 * B + hidden * B;
        int gt = t * gates * B;
        int ht = t * hidden * B;
        int st = t * B;
        for (int l = 0; l < B; l += L) {
            FloatVector dy = FloatVector.fromArray(S, laterGradients, l).neg()
                    .mul(FloatVector.fromArray(S, updateSlope, st + l));
            dy.add(FloatVector.fromArray(S, dOutBias, l)).intoArray(dOutBias, l);
            for (int u = 0; u < hidden; u++) {
                int o = u * B + l;
                FloatVector.fromArray(S, x2, h2Out + o).fma(dy, FloatVector.fromArray(S, dOutKernel, o))
                        .intoArray(dOutKernel, o);
                dy.fma(FloatVector.broadcast(S, outKernel[u]), FloatVector.fromArray(S, dh2, o)).intoArray(dh2, o);
            }
        }

        cellBackward(gates2, gt, cellTanh2, c2, ht, dh2, dc2, dBias2);
        transposeGateGradients();
        kernelGradient(x2, in2, k2, dKernel2);
        product(kernel2T, 0, k2, gates, hidden, dGates, 0, dh1, 0, dh1, 0);
        if (t > 0) { // at step 0 the gradients reach the period's start state, a constant
            product(kernel2T, hidden, k2, gates, hidden, dGates, 0, zeros, 0, dh2, 0);
        }

        cellBackward(gates1, gt, cellTanh1, c1, ht, dh1, dc1, dBias1);
        transposeGateGradients();
        kernelGradient(x1, in1, k1, dKernel1);
        if (t > 0) {
            product(kernel1T, inputs, k1, gates, hidden, dGates, 0, zeros, 0, dh1, 0);
        }
        if (rnnprop) {
            product(kernel1T, 0, k1, gates, inputs, dGates, 0, zeros, 0, dPreprocess, 0);
            preprocessBackward(t, in1);
        }
    }

    /**
     * Through one LSTM cell: from the gradient {@code dh} of its new h and {@code dc} of its new c (from later
     * steps) to the gate pre-activations, into {@link #dGates} and added to {@code dBias}; {@code dc} becomes the
     * gradient of the cell state entering the step ({@code c[ht ..]}).
     */
    private void cellBackward(float[] a, int at, float[] cellTanh, float[] c, int ht, float[] dh, float[] dc,
            float[] dBias) {
        int rows = hidden * B;
        for (int k = 0; k < rows; k += L) {
            FloatVector gi = FloatVector.fromArray(S, a, at + k);
            FloatVector gj = FloatVector.fromArray(S, a, at + rows + k);
            FloatVector gf = FloatVector.fromArray(S, a, at + 2 * rows + k);
            FloatVector go = FloatVector.fromArray(S, a, at + 3 * rows + k);
            FloatVector tc = FloatVector.fromArray(S, cellTanh, ht + k);
            FloatVector dhk = FloatVector.fromArray(S, dh, k);
            FloatVector dcOut = dhk.mul(go).fma(tc.mul(tc).neg().add(1f), FloatVector.fromArray(S, dc, k));
            FloatVector dOut = dhk.mul(tc).mul(go.fma(go.neg(), go));
            FloatVector dIn = dcOut.mul(gj).mul(gi.fma(gi.neg(), gi));
            FloatVector dCand = dcOut.mul(gi).mul(gj.mul(gj).neg().add(1f));
            FloatVector dForget = dcOut.mul(FloatVector.fromArray(S, c, ht + k)).mul(gf.fma(gf.neg(), gf));
            dcOut.mul(gf).intoArray(dc, k);
            dIn.intoArray(dGates, k);
            dCand.intoArray(dGates, rows + k);
            dForget.intoArray(dGates, 2 * rows + k);
            dOut.intoArray(dGates, 3 * rows + k);
            dIn.add(FloatVector.fromArray(S, dBias, k)).intoArray(dBias, k);
            dCand.add(FloatVector.fromArray(S, dBias, rows + k)).intoArray(dBias, rows + k);
            dForget.add(FloatVector.fromArray(S, dBias, 2 * rows + k)).intoArray(dBias, 2 * rows + k);
            dOut.add(FloatVector.fromArray(S, dBias, 3 * rows + k)).intoArray(dBias, 3 * rows + k);
        }
    }

    /** {@link #dGates} to {@link #dGatesByCoordinate}. */
    private void transposeGateGradients() {
        for (int c = 0; c < B; c++) {
            int row = c * cols;
            for (int g = 0; g < gates; g++) {
                dGatesByCoordinate[row + g] = dGates[g * B + c];
            }
        }
    }

    /** RNNprop: from layer 1's input gradients through the ELU layer to the preprocessing weights. */
    private void preprocessBackward(int t, int in1) {
        int xs = t * 2 * B;
        int p = inputs * B;
        for (int l = 0; l < B; l += L) {
            FloatVector a = FloatVector.fromArray(S, scaledInputs, xs + l);
            FloatVector b = FloatVector.fromArray(S, scaledInputs, xs + B + l);
            for (int k = 0; k < inputs; k++) {
                int o = k * B + l;
                FloatVector z = FloatVector.fromArray(S, x1, in1 + o);
                FloatVector d = FloatVector.fromArray(S, dPreprocess, o).mul(z.min(0f).add(1f)); // ELU'
                d.add(FloatVector.fromArray(S, dPreBias, o)).intoArray(dPreBias, o);
                a.fma(d, FloatVector.fromArray(S, dPreKernel, o)).intoArray(dPreKernel, o);
                b.fma(d, FloatVector.fromArray(S, dPreKernel, p + o)).intoArray(dPreKernel, p + o);
            }
        }
    }

    /**
     * {@code out[outOff + r B + l] = init[initOff + r B + l] + sum_{j < terms} w[wOff + j wStride + r]
     * in[inOff + j B + l]} for rows {@code r < rows} and every coordinate l of the block. {@code init} may be
     * {@code out}; {@code in} must not overlap it.
     */
    private static void product(float[] w, int wOff, int wStride, int terms, int rows, float[] in, int inOff,
            float[] init, int initOff, float[] out, int outOff) {
        for (int c = 0; c < B; c += T) {
            int r = 0;
            for (; r + 4 <= rows; r += 4) {
                product4(w, wOff + r, wStride, terms, in, inOff + c, init, initOff + r * B + c, out,
                        outOff + r * B + c);
            }
            for (; r < rows; r++) {
                product1(w, wOff + r, wStride, terms, in, inOff + c, init, initOff + r * B + c, out,
                        outOff + r * B + c);
            }
        }
    }

    /** Four rows of {@link #product} over one tile of coordinates: sixteen accumulators. */
    private static void product4(float[] w, int wOff, int wStride, int terms, float[] in, int inOff, float[] init,
            int initOff, float[] out, int outOff) {
        FloatVector a00 = FloatVector.fromArray(S, init, initOff);
        FloatVector a01 = FloatVector.fromArray(S, init, initOff + L);
        FloatVector a02 = FloatVector.fromArray(S, init, initOff + 2 * L);
        FloatVector a03 = FloatVector.fromArray(S, init, initOff + 3 * L);
        FloatVector a10 = FloatVector.fromArray(S, init, initOff + B);
        FloatVector a11 = FloatVector.fromArray(S, init, initOff + B + L);
        FloatVector a12 = FloatVector.fromArray(S, init, initOff + B + 2 * L);
        FloatVector a13 = FloatVector.fromArray(S, init, initOff + B + 3 * L);
        FloatVector a20 = FloatVector.fromArray(S, init, initOff + 2 * B);
        FloatVector a21 = FloatVector.fromArray(S, init, initOff + 2 * B + L);
        FloatVector a22 = FloatVector.fromArray(S, init, initOff + 2 * B + 2 * L);
        FloatVector a23 = FloatVector.fromArray(S, init, initOff + 2 * B + 3 * L);
        FloatVector a30 = FloatVector.fromArray(S, init, initOff + 3 * B);
        FloatVector a31 = FloatVector.fromArray(S, init, initOff + 3 * B + L);
        FloatVector a32 = FloatVector.fromArray(S, init, initOff + 3 * B + 2 * L);
        FloatVector a33 = FloatVector.fromArray(S, init, initOff + 3 * B + 3 * L);
        for (int j = 0, p = inOff, q = wOff; j < terms; j++, p += B, q += wStride) {
            FloatVector x0 = FloatVector.fromArray(S, in, p);
            FloatVector x1 = FloatVector.fromArray(S, in, p + L);
            FloatVector x2 = FloatVector.fromArray(S, in, p + 2 * L);
            FloatVector x3 = FloatVector.fromArray(S, in, p + 3 * L);
            FloatVector c = FloatVector.broadcast(S, w[q]);
            a00 = x0.fma(c, a00);
            a01 = x1.fma(c, a01);
            a02 = x2.fma(c, a02);
            a03 = x3.fma(c, a03);
            c = FloatVector.broadcast(S, w[q + 1]);
            a10 = x0.fma(c, a10);
            a11 = x1.fma(c, a11);
            a12 = x2.fma(c, a12);
            a13 = x3.fma(c, a13);
            c = FloatVector.broadcast(S, w[q + 2]);
            a20 = x0.fma(c, a20);
            a21 = x1.fma(c, a21);
            a22 = x2.fma(c, a22);
            a23 = x3.fma(c, a23);
            c = FloatVector.broadcast(S, w[q + 3]);
            a30 = x0.fma(c, a30);
            a31 = x1.fma(c, a31);
            a32 = x2.fma(c, a32);
            a33 = x3.fma(c, a33);
        }
        a00.intoArray(out, outOff);
        a01.intoArray(out, outOff + L);
        a02.intoArray(out, outOff + 2 * L);
        a03.intoArray(out, outOff + 3 * L);
        a10.intoArray(out, outOff + B);
        a11.intoArray(out, outOff + B + L);
        a12.intoArray(out, outOff + B + 2 * L);
        a13.intoArray(out, outOff + B + 3 * L);
        a20.intoArray(out, outOff + 2 * B);
        a21.intoArray(out, outOff + 2 * B + L);
        a22.intoArray(out, outOff + 2 * B + 2 * L);
        a23.intoArray(out, outOff + 2 * B + 3 * L);
        a30.intoArray(out, outOff + 3 * B);
        a31.intoArray(out, outOff + 3 * B + L);
        a32.intoArray(out, outOff + 3 * B + 2 * L);
        a33.intoArray(out, outOff + 3 * B + 3 * L);
    }

    /** One row of {@link #product} over one tile of coordinates. */
    private static void product1(float[] w, int wOff, int wStride, int terms, float[] in, int inOff, float[] init,
            int initOff, float[] out, int outOff) {
        FloatVector a0 = FloatVector.fromArray(S, init, initOff);
        FloatVector a1 = FloatVector.fromArray(S, init, initOff + L);
        FloatVector a2 = FloatVector.fromArray(S, init, initOff + 2 * L);
        FloatVector a3 = FloatVector.fromArray(S, init, initOff + 3 * L);
        for (int j = 0, p = inOff, q = wOff; j < terms; j++, p += B, q += wStride) {
            FloatVector c = FloatVector.broadcast(S, w[q]);
            a0 = FloatVector.fromArray(S, in, p).fma(c, a0);
            a1 = FloatVector.fromArray(S, in, p + L).fma(c, a1);
            a2 = FloatVector.fromArray(S, in, p + 2 * L).fma(c, a2);
            a3 = FloatVector.fromArray(S, in, p + 3 * L).fma(c, a3);
        }
        a0.intoArray(out, outOff);
        a1.intoArray(out, outOff + L);
        a2.intoArray(out, outOff + 2 * L);
        a3.intoArray(out, outOff + 3 * L);
    }

    /**
     * {@code dKernel[k cols + g] += sum_c x[xOff + k B + c] dGatesByCoordinate[c cols + g]} for input rows
     * {@code k < rows} and every gate column g: a layer's kernel gradient over the block's coordinates.
     */
    private void kernelGradient(float[] x, int xOff, int rows, float[] dKernel) {
        int k = 0;
        for (; k + 4 <= rows; k += 4) {
            int g = 0;
            for (; g + 4 * L <= cols; g += 4 * L) {
                outer4x4(x, xOff + k * B, dKernel, k * cols + g, g);
            }
            for (; g + 2 * L <= cols; g += 2 * L) {
                outer4x2(x, xOff + k * B, dKernel, k * cols + g, g);
            }
            for (; g < cols; g += L) {
                outer4x1(x, xOff + k * B, dKernel, k * cols + g, g);
            }
        }
        for (; k < rows; k++) {
            for (int g = 0; g < cols; g += L) {
                outer1x1(x, xOff + k * B, dKernel, k * cols + g, g);
            }
        }
    }

    /** Four input rows times four gate vectors of {@link #kernelGradient}: sixteen accumulators. */
    private void outer4x4(float[] x, int xOff, float[] dKernel, int at, int g) {
        int n = cols;
        float[] dg = dGatesByCoordinate;
        FloatVector a00 = FloatVector.fromArray(S, dKernel, at);
        FloatVector a01 = FloatVector.fromArray(S, dKernel, at + L);
        FloatVector a02 = FloatVector.fromArray(S, dKernel, at + 2 * L);
        FloatVector a03 = FloatVector.fromArray(S, dKernel, at + 3 * L);
        FloatVector a10 = FloatVector.fromArray(S, dKernel, at + n);
        FloatVector a11 = FloatVector.fromArray(S, dKernel, at + n + L);
        FloatVector a12 = FloatVector.fromArray(S, dKernel, at + n + 2 * L);
        FloatVector a13 = FloatVector.fromArray(S, dKernel, at + n + 3 * L);
        FloatVector a20 = FloatVector.fromArray(S, dKernel, at + 2 * n);
        FloatVector a21 = FloatVector.fromArray(S, dKernel, at + 2 * n + L);
        FloatVector a22 = FloatVector.fromArray(S, dKernel, at + 2 * n + 2 * L);
        FloatVector a23 = FloatVector.fromArray(S, dKernel, at + 2 * n + 3 * L);
        FloatVector a30 = FloatVector.fromArray(S, dKernel, at + 3 * n);
        FloatVector a31 = FloatVector.fromArray(S, dKernel, at + 3 * n + L);
        FloatVector a32 = FloatVector.fromArray(S, dKernel, at + 3 * n + 2 * L);
        FloatVector a33 = FloatVector.fromArray(S, dKernel, at + 3 * n + 3 * L);
        for (int c = 0, q = g; c < B; c++, q += n) {
            FloatVector d0 = FloatVector.fromArray(S, dg, q);
            FloatVector d1 = FloatVector.fromArray(S, dg, q + L);
            FloatVector d2 = FloatVector.fromArray(S, dg, q + 2 * L);
            FloatVector d3 = FloatVector.fromArray(S, dg, q + 3 * L);
            FloatVector e = FloatVector.broadcast(S, x[xOff + c]);
            a00 = d0.fma(e, a00);
            a01 = d1.fma(e, a01);
            a02 = d2.fma(e, a02);
            a03 = d3.fma(e, a03);
            e = FloatVector.broadcast(S, x[xOff + B + c]);
            a10 = d0.fma(e, a10);
            a11 = d1.fma(e, a11);
            a12 = d2.fma(e, a12);
            a13 = d3.fma(e, a13);
            e = FloatVector.broadcast(S, x[xOff + 2 * B + c]);
            a20 = d0.fma(e, a20);
            a21 = d1.fma(e, a21);
            a22 = d2.fma(e, a22);
            a23 = d3.fma(e, a23);
            e = FloatVector.broadcast(S, x[xOff + 3 * B + c]);
            a30 = d0.fma(e, a30);
            a31 = d1.fma(e, a31);
            a32 = d2.fma(e, a32);
            a33 = d3.fma(e, a33);
        }
        a00.intoArray(dKernel, at);
        a01.intoArray(dKernel, at + L);
        a02.intoArray(dKernel, at + 2 * L);
        a03.intoArray(dKernel, at + 3 * L);
        a10.intoArray(dKernel, at + n);
        a11.intoArray(dKernel, at + n + L);
        a12.intoArray(dKernel, at + n + 2 * L);
        a13.intoArray(dKernel, at + n + 3 * L);
        a20.intoArray(dKernel, at + 2 * n);
        a21.intoArray(dKernel, at + 2 * n + L);
        a22.intoArray(dKernel, at + 2 * n + 2 * L);
        a23.intoArray(dKernel, at + 2 * n + 3 * L);
        a30.intoArray(dKernel, at + 3 * n);
        a31.intoArray(dKernel, at + 3 * n + L);
        a32.intoArray(dKernel, at + 3 * n + 2 * L);
        a33.intoArray(dKernel, at + 3 * n + 3 * L);
    }

    /** Four input rows times two gate vectors of {@link #kernelGradient}: eight accumulators. */
    private void outer4x2(float[] x, int xOff, float[] dKernel, int at, int g) {
        int n = cols;
        float[] dg = dGatesByCoordinate;
        FloatVector a00 = FloatVector.fromArray(S, dKernel, at);
        FloatVector a01 = FloatVector.fromArray(S, dKernel, at + L);
        FloatVector a10 = FloatVector.fromArray(S, dKernel, at + n);
        FloatVector a11 = FloatVector.fromArray(S, dKernel, at + n + L);
        FloatVector a20 = FloatVector.fromArray(S, dKernel, at + 2 * n);
        FloatVector a21 = FloatVector.fromArray(S, dKernel, at + 2 * n + L);
        FloatVector a30 = FloatVector.fromArray(S, dKernel, at + 3 * n);
        FloatVector a31 = FloatVector.fromArray(S, dKernel, at + 3 * n + L);
        for (int c = 0, q = g; c < B; c++, q += n) {
            FloatVector d0 = FloatVector.fromArray(S, dg, q);
            FloatVector d1 = FloatVector.fromArray(S, dg, q + L);
            FloatVector e = FloatVector.broadcast(S, x[xOff + c]);
            a00 = d0.fma(e, a00);
            a01 = d1.fma(e, a01);
            e = FloatVector.broadcast(S, x[xOff + B + c]);
            a10 = d0.fma(e, a10);
            a11 = d1.fma(e, a11);
            e = FloatVector.broadcast(S, x[xOff + 2 * B + c]);
            a20 = d0.fma(e, a20);
            a21 = d1.fma(e, a21);
            e = FloatVector.broadcast(S, x[xOff + 3 * B + c]);
            a30 = d0.fma(e, a30);
            a31 = d1.fma(e, a31);
        }
        a00.intoArray(dKernel, at);
        a01.intoArray(dKernel, at + L);
        a10.intoArray(dKernel, at + n);
        a11.intoArray(dKernel, at + n + L);
        a20.intoArray(dKernel, at + 2 * n);
        a21.intoArray(dKernel, at + 2 * n + L);
        a30.intoArray(dKernel, at + 3 * n);
        a31.intoArray(dKernel, at + 3 * n + L);
    }

    /** Four input rows times one gate vector of {@link #kernelGradient}. */
    private void outer4x1(float[] x, int xOff, float[] dKernel, int at, int g) {
        int n = cols;
        float[] dg = dGatesByCoordinate;
        FloatVector a0 = FloatVector.fromArray(S, dKernel, at);
        FloatVector a1 = FloatVector.fromArray(S, dKernel, at + n);
        FloatVector a2 = FloatVector.fromArray(S, dKernel, at + 2 * n);
        FloatVector a3 = FloatVector.fromArray(S, dKernel, at + 3 * n);
        for (int c = 0, q = g; c < B; c++, q += n) {
            FloatVector d = FloatVector.fromArray(S, dg, q);
            a0 = d.fma(FloatVector.broadcast(S, x[xOff + c]), a0);
            a1 = d.fma(FloatVector.broadcast(S, x[xOff + B + c]), a1);
            a2 = d.fma(FloatVector.broadcast(S, x[xOff + 2 * B + c]), a2);
            a3 = d.fma(FloatVector.broadcast(S, x[xOff + 3 * B + c]), a3);
        }
        a0.intoArray(dKernel, at);
        a1.intoArray(dKernel, at + n);
        a2.intoArray(dKernel, at + 2 * n);
        a3.intoArray(dKernel, at + 3 * n);
    }

    /** One input row times one gate vector of {@link #kernelGradient}. */
    private void outer1x1(float[] x, int xOff, float[] dKernel, int at, int g) {
        float[] dg = dGatesByCoordinate;
        FloatVector a = FloatVector.fromArray(S, dKernel, at);
        for (int c = 0, q = g; c < B; c++, q += cols) {
            a = FloatVector.fromArray(S, dg, q).fma(FloatVector.broadcast(S, x[xOff + c]), a);
        }
        a.intoArray(dKernel, at);
    }

    @Override
    void flush(ReplayNetwork net, float[] out, int outOff) {
        Arrays.fill(out, outOff, outOff + net.size, 0f);
        drainKernel(dKernel1, k1, out, outOff + net.atKernel1);
        drainKernel(dKernel2, k2, out, outOff + net.atKernel2);
        drainLaneSums(dBias1, gates, out, outOff + net.atBias1);
        drainLaneSums(dBias2, gates, out, outOff + net.atBias2);
        drainLaneSums(dOutKernel, hidden, out, outOff + net.atOutKernel);
        drainLaneSums(dOutBias, 1, out, outOff + net.atOutBias);
        if (rnnprop) {
            drainLaneSums(dPreKernel, 2 * inputs, out, outOff + net.atPreKernel);
            drainLaneSums(dPreBias, inputs, out, outOff + net.atPreBias);
        }
    }

    /** The kernel gradient's rows (of {@link #cols}, the first 4H used) into {@code out[at ..]}, zeroed. */
    private void drainKernel(float[] dKernel, int rows, float[] out, int at) {
        for (int k = 0; k < rows; k++) {
            System.arraycopy(dKernel, k * cols, out, at + k * gates, gates);
        }
        Arrays.fill(dKernel, 0f);
    }

    /** Adds the sum of each of {@code rows} rows of lanes to {@code out[at + r]}, and zeroes the rows. */
    private static void drainLaneSums(float[] lanes, int rows, float[] out, int at) {
        for (int r = 0; r < rows; r++) {
            float s = 0;
            for (int l = r * B; l < (r + 1) * B; l++) {
                s += lanes[l];
            }
            out[at + r] += s;
        }
        Arrays.fill(lanes, 0, rows * B, 0f);
    }
}
