package org.rnnprop.core;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.rnnprop.core.internal.VectorActivations;

/**
 * {@link FastStep}'s computation written with the JDK's Vector API ({@code jdk.incubator.vector}): the same
 * chunks, threads and results (to the golden fixture's tolerance), with the LSTM products register-blocked.
 *
 * <p>Only {@link StepKernels} makes it, by name, once it has checked that the JVM can read the module; so a JVM
 * started without {@code --add-modules jdk.incubator.vector} never links this class.
 *
 * <p>Layout: coordinate-major, vectors along the units. Each coordinate's layer inputs lie contiguous in
 * scratch ({@code [x, h1]} and {@code [h1, h2]}), the gate columns are vectors of the preferred width, and four
 * coordinates times two gate vectors of accumulators stay in registers through a layer's product (a weight
 * vector is loaded once per four coordinates, an input is broadcast once per two gate vectors); where the gates
 * fill exactly five vectors (4H = 80 at 16 lanes, the specification's networks with AVX-512) all twenty
 * accumulators stay in registers and each input is broadcast once. The gates of a block of four coordinates go
 * through their nonlinearities in a scratch row that stays in L1, from which the cell update reads them; the
 * block's new cells go through tanh in one pass. State rows are copied in and out in vectors, with no
 * transposition. Sigmoid columns are pre-scaled by 1/2 (exact) so that every gate is {@code tanh(z) * a + b}
 * with per-column a and b; tanh and ELU are {@link VectorActivations}'.
 *
 * <p>No method here takes or returns a vector: the JIT may decline to inline a method of ours into a large
 * caller, and a vector passed across such a call becomes an object on the heap. The Vector API's own methods are
 * always inlined, so vectors stay in registers and a step allocates nothing.
 *
 * <p>Needs {@code hiddenSize >= } the vector width ({@link #unsupportedReason}): vectors of H units are then
 * stored exactly, the last one overlapping its predecessor, so no lane beyond a row is ever written.
 */
final class VectorStep extends ChunkedStep {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Coordinates per chunk (a multiple of R). */
    static final int CHUNK = 64;
    /** Coordinates per register block of the LSTM products. */
    private static final int R = 4;

    private final boolean rnnprop;
    private final int width;
    /** Offset of h1 in a state row. */
    private final int at;
    private final int h;
    /** Inputs of layer 1 before its h: P for RNNprop, 2 for DMoptimizer. */
    private final int in1;
    /** Floats per coordinate of layer 1's input {@code [x, h1]} and of layer 2's {@code [h1, h2]}. */
    private final int k1;
    private final int k2;
    /** Gate columns, 4H rounded up to whole vectors. */
    private final int cols;
    /** Columns the RNNprop ELU layer's vectors cover: P rounded up to whole vectors. */
    private final int preCols;
    private final float oneMinusBeta1;
    private final float oneMinusBeta2;
    private final float beta1;
    private final float beta2;
    private final double epsilon;
    private final float alpha;
    private final double logScale;
    private final double dmFloor;
    private final double dmScale;
    private final float[] preKernel0;
    private final float[] preKernel1;
    private final float[] preBias;
    /** LSTM kernels, {@code k * cols + column}, sigmoid columns halved; biases likewise, forget bias folded in. */
    private final float[] kernel1;
    private final float[] bias1;
    private final float[] kernel2;
    private final float[] bias2;
    /**
     * gate = tanh(z) * gateScale + gateShift: (1/2, 1/2) for the sigmoid gates, (1, 0) for j; repeated for the R
     * coordinates of a block.
     */
    private final float[] gateScale;
    private final float[] gateShift;
    /** Multipliers and addends for {@link VectorActivations#tanhLanes} where they are constant. */
    private final float[] alphas;
    private final float[] zeros;
    /** Output weights for the whole vectors of h2, then for the last vector with its overlapping lanes zeroed. */
    private final float[] outKernel;
    private final float[] outKernelTail;
    private final float outBias;
    private final Scratch[] scratch;

    /** Why this kernel cannot run on this JVM's hardware, or null if it can. */
    static String unsupportedPlatform() {
        if (S.vectorBitSize() < 128) {
            return "the preferred vector size is " + S.vectorBitSize() + " bits (needs 128 or more)";
        }
        return null;
    }

    /** Why this kernel cannot run {@code weights} on this JVM, or null if it can. */
    static String unsupportedReason(OptimizerWeights weights) {
        String platform = unsupportedPlatform();
        if (platform != null) {
            return platform;
        }
        int hidden = weights.hyperparameters().hiddenSize();
        if (hidden < L) {
            return "the hidden size " + hidden + " is below the vector width (" + L + " floats)";
        }
        return null;
    }

    /**
     * A kernel on the worker threads all kernels made without a thread count share. {@link StepKernels} calls
     * this and {@link #withThreads} through method handles, after {@link #unsupportedReason}.
     *
     * @throws UnsupportedOperationException if {@link #unsupportedReason} gives a reason
     */
    static VectorStep shared(OptimizerWeights weights) {
        return new VectorStep(requireSupported(weights), WorkerPool.shared(), false);
    }

    /** A kernel with {@code threads} threads of its own, which {@link #close()} stops. */
    static VectorStep withThreads(OptimizerWeights weights, int threads) {
        return new VectorStep(requireSupported(weights), ownPool(threads), true);
    }

    /** Checked before any thread starts. */
    private static OptimizerWeights requireSupported(OptimizerWeights weights) {
        String reason = unsupportedReason(weights);
        if (reason != null) {
            throw new UnsupportedOperationException("VectorStep: " + reason);
        }
        return weights;
    }

    private VectorStep(OptimizerWeights weights, WorkerPool pool, boolean ownsPool) {
        super(weights, pool, ownsPool, CHUNK);
        Hyperparameters hp = weights.hyperparameters();
        this.rnnprop = weights.kind() == OptimizerKind.RNNPROP;
        this.width = weights.stateWidth();
        this.at = rnnprop ? 2 : 0;
        this.h = hp.hiddenSize();
        this.in1 = rnnprop ? hp.preprocessSize() : NetworkLayout.INPUTS;
        this.k1 = in1 + h;
        this.k2 = 2 * h;
        this.cols = roundUp(4 * h, L);
        this.preCols = roundUp(in1, L);
        this.beta1 = (float) hp.beta1();
        this.beta2 = (float) hp.beta2();
        this.oneMinusBeta1 = 1 - beta1;
        this.oneMinusBeta2 = 1 - beta2;
        this.epsilon = hp.epsilon();
        this.alpha = (float) hp.alpha();
        this.logScale = hp.logScale();
        this.dmFloor = Math.exp(-logScale);
        this.dmScale = Math.exp(logScale);
        if (rnnprop) {
            float[] k = weights.tensor(NetworkLayout.PREPROCESS_KERNEL).data();
            preKernel0 = java.util.Arrays.copyOf(java.util.Arrays.copyOfRange(k, 0, in1), preCols);
            preKernel1 = java.util.Arrays.copyOf(java.util.Arrays.copyOfRange(k, in1, 2 * in1), preCols);
            preBias = java.util.Arrays.copyOf(weights.tensor(NetworkLayout.PREPROCESS_BIAS).data(), preCols);
        } else {
            preKernel0 = preKernel1 = preBias = null;
        }
        float forgetBias = (float) hp.forgetBias();
        kernel1 = arrangeKernel(weights.tensor(NetworkLayout.LSTM1_KERNEL).data(), k1);
        bias1 = arrangeBias(weights.tensor(NetworkLayout.LSTM1_BIAS).data(), forgetBias);
        kernel2 = arrangeKernel(weights.tensor(NetworkLayout.LSTM2_KERNEL).data(), k2);
        bias2 = arrangeBias(weights.tensor(NetworkLayout.LSTM2_BIAS).data(), forgetBias);
        gateScale = new float[R * cols];
        gateShift = new float[R * cols];
        for (int i = 0; i < R * cols; i++) {
            int c = i % cols;
            boolean sigmoid = c < 4 * h && !isCandidate(c);
            gateScale[i] = sigmoid ? 0.5f : 1f;
            gateShift[i] = sigmoid ? 0.5f : 0f;
        }
        alphas = new float[roundUp(CHUNK, L)];
        java.util.Arrays.fill(alphas, alpha);
        zeros = new float[Math.max(R * h, alphas.length)];
        float[] out = weights.tensor(NetworkLayout.OUTPUT_KERNEL).data();
        outKernel = out.clone();
        outKernelTail = new float[L];
        int whole = h - h % L; // units covered by whole vectors
        for (int l = 0; l < L; l++) {
            int unit = h - L + l;
            outKernelTail[l] = unit >= whole ? out[unit] : 0f;
        }
        outBias = weights.tensor(NetworkLayout.OUTPUT_BIAS).data()[0];
        scratch = new Scratch[workers()];
        for (int i = 0; i < scratch.length; i++) {
            scratch[i] = new Scratch(width, k1, k2, h, cols);
        }
    }

    /** Whether gate column {@code c} is the candidate j (tanh), not one of the sigmoid gates i, f, o. */
    private boolean isCandidate(int c) {
        return c >= h && c < 2 * h;
    }

    private float[] arrangeKernel(float[] kernel, int rows) {
        float[] a = new float[rows * cols];
        for (int k = 0; k < rows; k++) {
            for (int c = 0; c < 4 * h; c++) {
                a[k * cols + c] = isCandidate(c) ? kernel[k * 4 * h + c] : 0.5f * kernel[k * 4 * h + c];
            }
        }
        return a;
    }

    private float[] arrangeBias(float[] bias, float forgetBias) {
        float[] a = new float[cols];
        for (int c = 0; c < 4 * h; c++) {
            float b = c >= 2 * h && c < 3 * h ? bias[c] + forgetBias : bias[c];
            a[c] = isCandidate(c) ? b : 0.5f * b;
        }
        return a;
    }

    private static int roundUp(int x, int m) {
        return (x + m - 1) / m * m;
    }

    /** One chunk: inputs, then per block of R coordinates both layers and the outputs, then updates and state. */
    @Override
    int runChunk(int worker, int start, int end) {
        Scratch s = scratch[worker];
        int b = end - start;
        argGrad.get(start, s.grad, 0, b);
        argState.get(start * width, s.rows, 0, b * width);
        for (int i = 0; i < b; i++) {
            float g = Float.isFinite(s.grad[i]) ? s.grad[i] : 0f;
            if (rnnprop) {
                preprocessRnnprop(s, i, g);
            } else {
                preprocessDm(s, i, g);
            }
            // After the inputs: their last vector may spill into the h1 slot, overwritten here.
            int r = i * width + at;
            copy(s.rows, r, s.in1, i * k1 + in1);
            copy(s.rows, r + 2 * h, s.in2, i * k2 + h);
        }
        // Coordinates [b, blocks) of a short last block compute on stale scratch and are never written back.
        int blocks = roundUp(b, R);
        for (int i0 = 0; i0 < blocks; i0 += R) {
            gates(s.in1, k1, kernel1, bias1, s.gates, i0);
            VectorActivations.tanhLanes(s.gates, 0, s.gates, 0, gateScale, 0, gateShift, 0, R * cols);
            cellBlock(s, at + h, s.c1, 0, i0);
            gates(s.in2, k2, kernel2, bias2, s.gates, i0);
            VectorActivations.tanhLanes(s.gates, 0, s.gates, 0, gateScale, 0, gateShift, 0, R * cols);
            cellBlock(s, at + 3 * h, s.c2, h, i0);
            for (int i = i0; i < i0 + R; i++) {
                s.output[i] = output(s.in2, i * k2 + h);
            }
        }
        if (rnnprop) {
            VectorActivations.tanhLanes(s.output, 0, s.update, 0, alphas, 0, zeros, 0, roundUp(b, L));
        } else {
            scaleLanes(s.output, s.update, -alpha, roundUp(b, L));
        }
        int skipped = writeBack(s, b);
        argState.put(start * width, s.rows, 0, b * width);
        argUpdate.put(start, s.update, 0, b);
        return skipped;
    }

    /** New state rows into the chunk's rows, except where the gradient was not finite; returns how many those were. */
    private int writeBack(Scratch s, int b) {
        int skipped = 0;
        for (int i = 0; i < b; i++) {
            if (!Float.isFinite(s.grad[i])) {
                s.update[i] = 0f; // row left as read, so it is written back unchanged
                skipped++;
                continue;
            }
            int r = i * width;
            if (rnnprop) {
                s.rows[r] = s.m[i];
                s.rows[r + 1] = s.v[i];
            }
            copy(s.in2, i * k2, s.rows, r + at);
            copy(s.c1, i * h, s.rows, r + at + h);
            copy(s.in2, i * k2 + h, s.rows, r + at + 2 * h);
            copy(s.c2, i * h, s.rows, r + at + 3 * h);
        }
        return skipped;
    }

    /** Moments and normalised inputs as {@link FastStep} computes them, then the ELU layer into in1. */
    private void preprocessRnnprop(Scratch s, int i, float g) {
        int r = i * width;
        float m = beta1 * s.rows[r] + oneMinusBeta1 * g;
        float v = beta2 * s.rows[r + 1] + oneMinusBeta2 * g * g;
        // Normalisation in double: g*g and v/bc2 span far more than float's range for extreme gradients.
        double sd = Math.sqrt(v / biasCorrection2) + epsilon;
        FloatVector x0 = FloatVector.broadcast(S, (float) (g / sd));
        FloatVector x1 = FloatVector.broadcast(S, (float) ((m / biasCorrection1) / sd));
        s.m[i] = m;
        s.v[i] = v;
        for (int p = 0; p < preCols; p += L) {
            x0.fma(FloatVector.fromArray(S, preKernel0, p),
                    x1.fma(FloatVector.fromArray(S, preKernel1, p), FloatVector.fromArray(S, preBias, p)))
                    .intoArray(s.in1, i * k1 + p);
        }
        VectorActivations.eluLanes(s.in1, i * k1, preCols);
    }

    /** DMoptimizer's log and sign inputs, as {@link FastStep} computes them. */
    private void preprocessDm(Scratch s, int i, float g) {
        s.in1[i * k1] = (float) (Math.log(Math.max(Math.abs((double) g), dmFloor)) / logScale);
        s.in1[i * k1 + 1] = (float) Math.max(-1, Math.min(1, g * dmScale));
    }

    /**
     * The gates of coordinates {@code i0 .. i0+R-1} before their nonlinearities, {@code [x, h] · W + b}, into
     * {@code gates[r * cols + column]}. Inputs are {@code in[i * stride + k]}, k below {@code stride}.
     */
    private void gates(float[] in, int stride, float[] kernel, float[] bias, float[] gates, int i0) {
        if (cols == 5 * L) {
            gateFive(in, stride, kernel, bias, gates, i0);
            return;
        }
        int c = 0;
        for (; c + 2 * L <= cols; c += 2 * L) {
            gatePair(in, stride, kernel, bias, gates, i0, c);
        }
        if (c < cols) {
            gateSingle(in, stride, kernel, bias, gates, i0, c);
        }
    }

    /** Two gate vectors (columns c .. c+2L-1) for R = 4 coordinates: eight accumulators in registers. */
    private void gatePair(float[] in, int stride, float[] kernel, float[] bias, float[] gates, int i0, int c) {
        FloatVector b0 = FloatVector.fromArray(S, bias, c);
        FloatVector b1 = FloatVector.fromArray(S, bias, c + L);
        FloatVector a00 = b0;
        FloatVector a01 = b1;
        FloatVector a10 = b0;
        FloatVector a11 = b1;
        FloatVector a20 = b0;
        FloatVector a21 = b1;
        FloatVector a30 = b0;
        FloatVector a31 = b1;
        int p0 = i0 * stride;
        int p1 = p0 + stride;
        int p2 = p1 + stride;
        int p3 = p2 + stride;
        for (int k = 0, w = c; k < stride; k++, w += cols) {
            FloatVector w0 = FloatVector.fromArray(S, kernel, w);
            FloatVector w1 = FloatVector.fromArray(S, kernel, w + L);
            FloatVector x = FloatVector.broadcast(S, in[p0 + k]);
            a00 = w0.fma(x, a00);
            a01 = w1.fma(x, a01);
            x = FloatVector.broadcast(S, in[p1 + k]);
            a10 = w0.fma(x, a10);
            a11 = w1.fma(x, a11);
            x = FloatVector.broadcast(S, in[p2 + k]);
            a20 = w0.fma(x, a20);
            a21 = w1.fma(x, a21);
            x = FloatVector.broadcast(S, in[p3 + k]);
            a30 = w0.fma(x, a30);
            a31 = w1.fma(x, a31);
        }
        a00.intoArray(gates, c);
        a01.intoArray(gates, c + L);
        a10.intoArray(gates, cols + c);
        a11.intoArray(gates, cols + c + L);
        a20.intoArray(gates, 2 * cols + c);
        a21.intoArray(gates, 2 * cols + c + L);
        a30.intoArray(gates, 3 * cols + c);
        a31.intoArray(gates, 3 * cols + c + L);
    }

    /**
     * All five gate vectors (the specification's 4H = 80 columns at 16 lanes) for R = 4 coordinates: twenty
     * accumulators in registers, so each input is broadcast once per layer and each weight vector loaded once per
     * block (pairs of gate vectors broadcast every input three times; with {@link #cellBlock}, 1.34x the
     * coordinates per second of one thread at N = 1,000,000: docs/BENCHMARKS.md).
     */
    private void gateFive(float[] in, int stride, float[] kernel, float[] bias, float[] gates, int i0) {
        FloatVector a00 = FloatVector.fromArray(S, bias, 0);
        FloatVector a01 = FloatVector.fromArray(S, bias, L);
        FloatVector a02 = FloatVector.fromArray(S, bias, 2 * L);
        FloatVector a03 = FloatVector.fromArray(S, bias, 3 * L);
        FloatVector a04 = FloatVector.fromArray(S, bias, 4 * L);
        FloatVector a10 = a00, a11 = a01, a12 = a02, a13 = a03, a14 = a04;
        FloatVector a20 = a00, a21 = a01, a22 = a02, a23 = a03, a24 = a04;
        FloatVector a30 = a00, a31 = a01, a32 = a02, a33 = a03, a34 = a04;
        int p0 = i0 * stride;
        int p1 = p0 + stride;
        int p2 = p1 + stride;
        int p3 = p2 + stride;
        for (int k = 0, w = 0; k < stride; k++, w += cols) {
            FloatVector w0 = FloatVector.fromArray(S, kernel, w);
            FloatVector w1 = FloatVector.fromArray(S, kernel, w + L);
            FloatVector w2 = FloatVector.fromArray(S, kernel, w + 2 * L);
            FloatVector w3 = FloatVector.fromArray(S, kernel, w + 3 * L);
            FloatVector w4 = FloatVector.fromArray(S, kernel, w + 4 * L);
            FloatVector x = FloatVector.broadcast(S, in[p0 + k]);
            a00 = w0.fma(x, a00);
            a01 = w1.fma(x, a01);
            a02 = w2.fma(x, a02);
            a03 = w3.fma(x, a03);
            a04 = w4.fma(x, a04);
            x = FloatVector.broadcast(S, in[p1 + k]);
            a10 = w0.fma(x, a10);
            a11 = w1.fma(x, a11);
            a12 = w2.fma(x, a12);
            a13 = w3.fma(x, a13);
            a14 = w4.fma(x, a14);
            x = FloatVector.broadcast(S, in[p2 + k]);
            a20 = w0.fma(x, a20);
            a21 = w1.fma(x, a21);
            a22 = w2.fma(x, a22);
            a23 = w3.fma(x, a23);
            a24 = w4.fma(x, a24);
            x = FloatVector.broadcast(S, in[p3 + k]);
            a30 = w0.fma(x, a30);
            a31 = w1.fma(x, a31);
            a32 = w2.fma(x, a32);
            a33 = w3.fma(x, a33);
            a34 = w4.fma(x, a34);
        }
        a00.intoArray(gates, 0);
        a01.intoArray(gates, L);
        a02.intoArray(gates, 2 * L);
        a03.intoArray(gates, 3 * L);
        a04.intoArray(gates, 4 * L);
        a10.intoArray(gates, cols);
        a11.intoArray(gates, cols + L);
        a12.intoArray(gates, cols + 2 * L);
        a13.intoArray(gates, cols + 3 * L);
        a14.intoArray(gates, cols + 4 * L);
        a20.intoArray(gates, 2 * cols);
        a21.intoArray(gates, 2 * cols + L);
        a22.intoArray(gates, 2 * cols + 2 * L);
        a23.intoArray(gates, 2 * cols + 3 * L);
        a24.intoArray(gates, 2 * cols + 4 * L);
        a30.intoArray(gates, 3 * cols);
        a31.intoArray(gates, 3 * cols + L);
        a32.intoArray(gates, 3 * cols + 2 * L);
        a33.intoArray(gates, 3 * cols + 3 * L);
        a34.intoArray(gates, 3 * cols + 4 * L);
    }

    /** One gate vector (columns c .. c+L-1) for R = 4 coordinates. */
    private void gateSingle(float[] in, int stride, float[] kernel, float[] bias, float[] gates, int i0, int c) {
        FloatVector b0 = FloatVector.fromArray(S, bias, c);
        FloatVector a0 = b0;
        FloatVector a1 = b0;
        FloatVector a2 = b0;
        FloatVector a3 = b0;
        int p0 = i0 * stride;
        int p1 = p0 + stride;
        int p2 = p1 + stride;
        int p3 = p2 + stride;
        for (int k = 0, w = c; k < stride; k++, w += cols) {
            FloatVector w0 = FloatVector.fromArray(S, kernel, w);
            a0 = w0.fma(FloatVector.broadcast(S, in[p0 + k]), a0);
            a1 = w0.fma(FloatVector.broadcast(S, in[p1 + k]), a1);
            a2 = w0.fma(FloatVector.broadcast(S, in[p2 + k]), a2);
            a3 = w0.fma(FloatVector.broadcast(S, in[p3 + k]), a3);
        }
        a0.intoArray(gates, c);
        a1.intoArray(gates, cols + c);
        a2.intoArray(gates, 2 * cols + c);
        a3.intoArray(gates, 3 * cols + c);
    }

    /**
     * The cell updates of the block's R coordinates from their activated gates in {@code s.gates}: c = f c + i j
     * from the state rows (at {@code cAt} in a row) into {@code cNew}, then h = o tanh(c) for the whole block in
     * one pass (R H lanes, whole vectors for the specification's networks, where one coordinate's H = 20 would
     * take two) into layer 2's inputs at {@code hAt} past each coordinate's
     * start. The last vector of a coordinate's c overlaps the one before when H is not a multiple of the width;
     * it reads the old c, so both agree.
     */
    private void cellBlock(Scratch s, int cAt, float[] cNew, int hAt, int i0) {
        for (int i = i0; i < i0 + R; i++) {
            int g = (i - i0) * cols;
            int co = i * width + cAt;
            int cn = i * h;
            for (int u0 = 0; u0 < h; u0 += L) {
                int u = Math.min(u0, h - L);
                FloatVector in = FloatVector.fromArray(S, s.gates, g + u);
                FloatVector j = FloatVector.fromArray(S, s.gates, g + h + u);
                FloatVector f = FloatVector.fromArray(S, s.gates, g + 2 * h + u);
                f.fma(FloatVector.fromArray(S, s.rows, co + u), in.mul(j)).intoArray(cNew, cn + u);
            }
            copy(s.gates, g + 3 * h, s.outGate, (i - i0) * h);
        }
        VectorActivations.tanhLanes(cNew, i0 * h, s.hBlock, 0, s.outGate, 0, zeros, 0, R * h);
        for (int i = i0; i < i0 + R; i++) {
            copy(s.hBlock, (i - i0) * h, s.in2, i * k2 + hAt);
        }
    }

    /** The network's output for one coordinate from its h2 at {@code h2[at ..]}. */
    private float output(float[] h2, int at) {
        FloatVector acc = FloatVector.zero(S);
        int u = 0;
        for (; u + L <= h; u += L) {
            acc = FloatVector.fromArray(S, h2, at + u).fma(FloatVector.fromArray(S, outKernel, u), acc);
        }
        if (u < h) {
            acc = FloatVector.fromArray(S, h2, at + h - L).fma(FloatVector.fromArray(S, outKernelTail, 0), acc);
        }
        return acc.reduceLanes(VectorOperators.ADD) + outBias;
    }

    /** Copies H floats in vectors, the last one overlapping when H is not a multiple of the width. */
    private void copy(float[] from, int src, float[] to, int dst) {
        for (int u0 = 0; u0 < h; u0 += L) {
            int u = Math.min(u0, h - L);
            FloatVector.fromArray(S, from, src + u).intoArray(to, dst + u);
        }
    }

    /** {@code to[i] = from[i] * factor} for {@code count} floats, a whole number of vectors. */
    private static void scaleLanes(float[] from, float[] to, float factor, int count) {
        for (int i = 0; i < count; i += L) {
            FloatVector.fromArray(S, from, i).mul(factor).intoArray(to, i);
        }
    }

    /**
     * Per-thread working memory for one chunk, coordinate-major: each coordinate's layer inputs contiguous,
     * its new cell states, and the activated gates of one register block.
     */
    private static final class Scratch {
        final float[] grad = new float[CHUNK];
        final float[] m = new float[CHUNK];
        final float[] v = new float[CHUNK];
        /** Network outputs and updates, whole vectors long. */
        final float[] output = new float[roundUp(CHUNK, L)];
        final float[] update = new float[roundUp(CHUNK, L)];
        final float[] rows;
        /** Layer 1's inputs {@code [x, h1 old]} per coordinate. */
        final float[] in1;
        /** Layer 2's inputs {@code [h1 new, h2]} per coordinate: h2 old, then new once layer 2 is done. */
        final float[] in2;
        final float[] c1;
        final float[] c2;
        final float[] gates;
        /** The output gates and the new h of one register block, R H floats each. */
        final float[] outGate;
        final float[] hBlock;

        Scratch(int width, int k1, int k2, int hidden, int cols) {
            rows = new float[CHUNK * width];
            in1 = new float[CHUNK * k1];
            in2 = new float[CHUNK * k2];
            c1 = new float[CHUNK * hidden];
            c2 = new float[CHUNK * hidden];
            gates = new float[R * cols];
            outGate = new float[R * hidden];
            hBlock = new float[R * hidden];
        }
    }
}
