package org.rnnprop.core;

import java.nio.FloatBuffer;

/**
 * The step for real use: float32, coordinates processed in chunks by several threads, no allocation per
 * step. Agrees with {@link ReferenceStep} to the tolerance of the golden fixture (see {@code GoldenFixture}).
 *
 * <p>Each chunk is copied into per-thread scratch, computed there and copied back, so the same code serves
 * heap arrays and direct buffers over framework memory. Instances are thread-safe (calls are serialised).
 * Kernels made with {@link #FastStep(OptimizerWeights)} share one set of worker threads per process, so making
 * many of them (say, one per step-bound scale) adds no threads, and their steps take turns on the cores; a
 * kernel made with a thread count has threads of its own, which {@link #close()} stops.
 */
public final class FastStep extends ChunkedStep {
    /** Coordinates per chunk: the SIMD width of the inner loops; the chunk's scratch stays in L1/L2. */
    static final int CHUNK = 64;

    private final boolean rnnprop;
    private final int hidden;
    private final int width;
    private final int inputSize;
    private final float beta1;
    private final float beta2;
    private final double epsilon;
    private final double alpha;
    private final float forgetBias;
    private final double logScale;
    private final float[] preKernel;
    private final float[] preBias;
    private final float[] kernel1;
    private final float[] bias1;
    private final float[] kernel2;
    private final float[] bias2;
    private final float[] outKernel;
    private final float outBias;
    private final Scratch[] scratch;

    /**
     * A kernel on the worker threads all kernels made without a thread count share: one per available
     * processor, or as many as the system property {@code rnnprop.threads} says.
     */
    public FastStep(OptimizerWeights weights) {
        this(weights, WorkerPool.shared(), false);
    }

    /** A kernel using {@code threads} threads (the caller's included), its own. */
    public FastStep(OptimizerWeights weights, int threads) {
        this(weights, ownPool(threads), true);
    }

    private FastStep(OptimizerWeights weights, WorkerPool pool, boolean ownsPool) {
        super(weights, pool, ownsPool, CHUNK);
        Hyperparameters hp = weights.hyperparameters();
        this.rnnprop = weights.kind() == OptimizerKind.RNNPROP;
        this.hidden = hp.hiddenSize();
        this.width = weights.stateWidth();
        this.inputSize = rnnprop ? hp.preprocessSize() : NetworkLayout.INPUTS;
        this.beta1 = (float) hp.beta1();
        this.beta2 = (float) hp.beta2();
        this.epsilon = hp.epsilon();
        this.alpha = hp.alpha();
        this.forgetBias = (float) hp.forgetBias();
        this.logScale = hp.logScale();
        this.preKernel = rnnprop ? weights.tensor(NetworkLayout.PREPROCESS_KERNEL).data() : null;
        this.preBias = rnnprop ? weights.tensor(NetworkLayout.PREPROCESS_BIAS).data() : null;
        this.kernel1 = weights.tensor(NetworkLayout.LSTM1_KERNEL).data();
        this.bias1 = weights.tensor(NetworkLayout.LSTM1_BIAS).data();
        this.kernel2 = weights.tensor(NetworkLayout.LSTM2_KERNEL).data();
        this.bias2 = weights.tensor(NetworkLayout.LSTM2_BIAS).data();
        this.outKernel = weights.tensor(NetworkLayout.OUTPUT_KERNEL).data();
        this.outBias = weights.tensor(NetworkLayout.OUTPUT_BIAS).data()[0];
        this.scratch = new Scratch[workers()];
        for (int i = 0; i < scratch.length; i++) {
            scratch[i] = new Scratch(width, inputSize, hidden);
        }
    }

    /**
     * One chunk, structure of arrays: the chunk's state rows are transposed so that every inner loop runs over
     * the chunk's coordinates, all arrays indexed alike, which the JIT compiles to SIMD code.
     */
    @Override
    int runChunk(int worker, int start, int end) {
        Scratch s = scratch[worker];
        int skipped = 0;
        int b = end - start;
        argGrad.get(start, s.grad, 0, b);
        argState.get(start * width, s.rows, 0, b * width);
        int h = hidden;
        int at = rnnprop ? 2 : 0;
        float[][] st = s.lstmState;
        for (int i = 0; i < b; i++) {
            int r = i * width + at;
            for (int u = 0; u < 4 * h; u++) {
                st[u][i] = s.rows[r + u];
            }
        }
        if (rnnprop) {
            preprocessRnnprop(s, b);
        } else {
            preprocessDm(s, b);
        }
        lstm(s.layer1Input, kernel1, bias1, s, 0, b);
        lstm(s.layer2Input, kernel2, bias2, s, 2 * h, b);
        float[] y = s.output;
        java.util.Arrays.fill(y, 0, b, outBias);
        for (int u = 0; u < h; u++) {
            float w = outKernel[u];
            float[] h2 = st[2 * h + u];
            for (int i = 0; i < b; i++) {
                y[i] += h2[i] * w;
            }
        }
        for (int i = 0; i < b; i++) {
            if (!Float.isFinite(s.grad[i])) {
                s.update[i] = 0f; // row left as read, so it is written back unchanged
                skipped++;
                continue;
            }
            s.update[i] = (float) (rnnprop ? alpha * Math.tanh(y[i]) : -alpha * y[i]);
            int r = i * width;
            if (rnnprop) {
                s.rows[r] = s.m[i];
                s.rows[r + 1] = s.v[i];
            }
            for (int u = 0; u < 4 * h; u++) {
                s.rows[r + at + u] = st[u][i];
            }
        }
        argState.put(start * width, s.rows, 0, b * width);
        argUpdate.put(start, s.update, 0, b);
        return skipped;
    }

    /** Moments, normalised inputs and the ELU layer, into the first P input rows of layer 1. */
    private void preprocessRnnprop(Scratch s, int b) {
        for (int i = 0; i < b; i++) {
            float g = Float.isFinite(s.grad[i]) ? s.grad[i] : 0f;
            int r = i * width;
            float m = beta1 * s.rows[r] + (1 - beta1) * g;
            float v = beta2 * s.rows[r + 1] + (1 - beta2) * g * g;
            // Normalisation in double: g*g and v/bc2 span far more than float's range for extreme gradients.
            double sd = Math.sqrt(v / biasCorrection2) + epsilon;
            s.x0[i] = (float) (g / sd);
            s.x1[i] = (float) ((m / biasCorrection1) / sd);
            s.m[i] = m;
            s.v[i] = v;
        }
        int p = inputSize;
        for (int k = 0; k < p; k++) {
            float w0 = preKernel[k];
            float w1 = preKernel[p + k];
            float bk = preBias[k];
            float[] z = s.layer1Input[k];
            for (int i = 0; i < b; i++) {
                z[i] = s.x0[i] * w0 + s.x1[i] * w1 + bk;
            }
            for (int i = 0; i < b; i++) {
                if (z[i] <= 0) {
                    z[i] = (float) (Math.exp(z[i]) - 1); // ELU; Math.expm1 is not intrinsified
                }
            }
        }
    }

    /** DMoptimizer's log and sign inputs, into input rows 0 and 1 of layer 1. */
    private void preprocessDm(Scratch s, int b) {
        double floor = Math.exp(-logScale);
        double scale = Math.exp(logScale);
        for (int i = 0; i < b; i++) {
            float g = Float.isFinite(s.grad[i]) ? s.grad[i] : 0f;
            s.layer1Input[0][i] = (float) (Math.log(Math.max(Math.abs((double) g), floor)) / logScale);
            s.layer1Input[1][i] = (float) Math.max(-1, Math.min(1, g * scale));
        }
    }

    /**
     * One TensorFlow LSTMCell over the chunk: gates = [x, h]·W + b (order i, j, f, o). {@code in} lists the
     * input rows (its last H rows are the layer's own h rows of the state); h and c are state rows
     * {@code at ..} and {@code at + H ..}, overwritten once every gate is computed.
     */
    private void lstm(float[][] in, float[] kernel, float[] bias, Scratch s, int at, int b) {
        float[][] gates = s.gates;
        int cols = 4 * hidden;
        int rows = in.length;
        for (int j = 0; j < cols; j++) {
            java.util.Arrays.fill(gates[j], 0, b, bias[j]);
        }
        int k = 0;
        // Four input rows per pass: four multiply-adds per load and store of a gate row.
        for (; k + 4 <= rows; k += 4) {
            float[] a0 = in[k];
            float[] a1 = in[k + 1];
            float[] a2 = in[k + 2];
            float[] a3 = in[k + 3];
            for (int j = 0; j < cols; j++) {
                float w0 = kernel[k * cols + j];
                float w1 = kernel[(k + 1) * cols + j];
                float w2 = kernel[(k + 2) * cols + j];
                float w3 = kernel[(k + 3) * cols + j];
                float[] g = gates[j];
                for (int i = 0; i < b; i++) {
                    g[i] += a0[i] * w0 + a1[i] * w1 + a2[i] * w2 + a3[i] * w3;
                }
            }
        }
        for (; k < rows; k++) {
            float[] a = in[k];
            for (int j = 0; j < cols; j++) {
                float w = kernel[k * cols + j];
                float[] g = gates[j];
                for (int i = 0; i < b; i++) {
                    g[i] += a[i] * w;
                }
            }
        }
        float[][] st = s.lstmState;
        int h = hidden;
        for (int u = 0; u < h; u++) {
            float[] hRow = st[at + u];
            float[] cRow = st[at + h + u];
            float[] gi = gates[u];
            float[] gj = gates[h + u];
            float[] gf = gates[2 * h + u];
            float[] go = gates[3 * h + u];
            // One simple map per loop: the JIT vectorizes these, not one loop doing all of it.
            for (int i = 0; i < b; i++) {
                gi[i] = sigmoidf(gi[i]);
            }
            for (int i = 0; i < b; i++) {
                gj[i] = tanhf(gj[i]);
            }
            for (int i = 0; i < b; i++) {
                gf[i] = sigmoidf(gf[i] + forgetBias);
            }
            for (int i = 0; i < b; i++) {
                go[i] = sigmoidf(go[i]);
            }
            for (int i = 0; i < b; i++) {
                cRow[i] = gf[i] * cRow[i] + gi[i] * gj[i];
            }
            for (int i = 0; i < b; i++) {
                hRow[i] = go[i] * tanhf(cRow[i]);
            }
        }
    }

    /**
     * tanh as a rational function (odd degree 13 over even degree 6) on [-7.9, 7.9], outside which float tanh
     * is +-1 to within 3e-7: plain arithmetic, so the JIT vectorizes the loops that call it, unlike Math.exp.
     * Absolute error below 4e-7 (TensorFlow and Eigen use the same approximation for float tanh).
     */
    static float tanhf(float a) {
        float x = Math.max(-7.90531110763549805f, Math.min(7.90531110763549805f, a));
        float x2 = x * x;
        float p = x2 * -2.76076847742355e-16f + 2.00018790482477e-13f;
        p = x2 * p + -8.60467152213735e-11f;
        p = x2 * p + 5.12229709037114e-08f;
        p = x2 * p + 1.48572235717979e-05f;
        p = x2 * p + 6.37261928875436e-04f;
        p = x2 * p + 4.89352455891786e-03f;
        float q = x2 * 1.19825839466702e-06f + 1.18534705686654e-04f;
        q = x2 * q + 2.26843463243900e-03f;
        q = x2 * q + 4.89352518554385e-03f;
        return x * p / q;
    }

    /** sigmoid(x) = (1 + tanh(x / 2)) / 2. */
    static float sigmoidf(float x) {
        return 0.5f + 0.5f * tanhf(0.5f * x);
    }

    /**
     * Per-thread working memory, one array of CHUNK floats per row. The layers' input lists share the
     * state's h rows, so feeding h into the next step or layer copies nothing.
     */
    private static final class Scratch {
        final float[] grad = new float[CHUNK];
        final float[] update = new float[CHUNK];
        final float[] output = new float[CHUNK];
        final float[] m = new float[CHUNK];
        final float[] v = new float[CHUNK];
        final float[] x0 = new float[CHUNK];
        final float[] x1 = new float[CHUNK];
        final float[] rows;
        final float[][] gates;
        /** Rows h1, c1, h2, c2 (H each). */
        final float[][] lstmState;
        /** [x (inputSize rows); h1]. */
        final float[][] layer1Input;
        /** [h1; h2]. */
        final float[][] layer2Input;

        Scratch(int width, int inputSize, int hidden) {
            rows = new float[CHUNK * width];
            gates = new float[4 * hidden][CHUNK];
            lstmState = new float[4 * hidden][CHUNK];
            layer1Input = new float[inputSize + hidden][];
            for (int k = 0; k < inputSize; k++) {
                layer1Input[k] = new float[CHUNK];
            }
            layer2Input = new float[2 * hidden][];
            for (int u = 0; u < hidden; u++) {
                layer1Input[inputSize + u] = lstmState[u];
                layer2Input[u] = lstmState[u];
                layer2Input[hidden + u] = lstmState[2 * hidden + u];
            }
        }
    }
}
