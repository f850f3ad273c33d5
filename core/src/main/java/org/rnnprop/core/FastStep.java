package org.rnnprop.core;

import java.nio.FloatBuffer;

/**
 * The step for real use: float32, coordinates processed in chunks by several threads, no allocation per
 * step. Agrees with {@link ReferenceStep} to the tolerance of the golden fixture (see {@code GoldenFixture}).
 *
 * <p>Each chunk is copied into per-thread scratch, computed there and copied back, so the same code serves
 * heap arrays and direct buffers over framework memory. Instances are thread-safe (calls are serialised);
 * {@link #close()} stops the worker threads.
 */
public final class FastStep implements StepKernel, AutoCloseable {
    /** Coordinates per chunk: the SIMD width of the inner loops; the chunk's scratch stays in L1/L2. */
    static final int CHUNK = 64;
    /** Below this many coordinates the caller's thread does everything. */
    static final int PARALLEL_THRESHOLD = 4096;

    private final OptimizerWeights weights;
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
    private final WorkerPool pool;
    private final Scratch[] scratch;
    private final WorkerPool.Body body = this::runChunk;

    // Arguments of the call in progress, read by the workers after the pool publishes them.
    private FloatBuffer argGrad;
    private FloatBuffer argState;
    private FloatBuffer argUpdate;
    private double biasCorrection1;
    private double biasCorrection2;

    /** A kernel using every available processor. */
    public FastStep(OptimizerWeights weights) {
        this(weights, Runtime.getRuntime().availableProcessors());
    }

    /** A kernel using {@code threads} threads (the caller's included). */
    public FastStep(OptimizerWeights weights, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.weights = weights;
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
        this.pool = new WorkerPool(threads, "rnnprop-step");
        this.scratch = new Scratch[threads];
        for (int i = 0; i < threads; i++) {
            scratch[i] = new Scratch(width, Math.max(inputSize, hidden) + hidden, hidden);
        }
    }

    @Override
    public OptimizerWeights weights() {
        return weights;
    }

    @Override
    public synchronized int step(long t, FloatBuffer grad, FloatBuffer state, FloatBuffer update, int n) {
        StepKernel.requireStep(t);
        if (grad.capacity() < n || update.capacity() < n || state.capacity() < (long) n * width) {
            throw new IllegalArgumentException("buffers too small for " + n + " coordinates: grad "
                    + grad.capacity() + ", update " + update.capacity() + ", state " + state.capacity() + " (needs "
                    + (long) n * width + ")");
        }
        argGrad = grad;
        argState = state;
        argUpdate = update;
        biasCorrection1 = 1 - Math.pow(weights.hyperparameters().beta1(), t);
        biasCorrection2 = 1 - Math.pow(weights.hyperparameters().beta2(), t);
        for (Scratch s : scratch) {
            s.skipped = 0;
        }
        if (n < PARALLEL_THRESHOLD || pool.workers() == 1) {
            for (int start = 0; start < n; start += CHUNK) {
                runChunk(0, start, Math.min(n, start + CHUNK));
            }
        } else {
            pool.run(n, CHUNK, body);
        }
        argGrad = argState = argUpdate = null;
        int skipped = 0;
        for (Scratch s : scratch) {
            skipped += s.skipped;
        }
        return skipped;
    }

    /**
     * One chunk, structure of arrays: the chunk's state rows are transposed so that every inner loop runs over
     * the chunk's coordinates with unit stride, which the JIT compiles to SIMD code.
     */
    private void runChunk(int worker, int start, int end) {
        Scratch s = scratch[worker];
        int b = end - start;
        argGrad.get(start, s.grad, 0, b);
        argState.get(start * width, s.rows, 0, b * width);
        int h = hidden;
        int at = rnnprop ? 2 : 0;
        for (int i = 0; i < b; i++) {
            int r = i * width + at;
            for (int u = 0; u < 4 * h; u++) {
                s.lstmState[u * CHUNK + i] = s.rows[r + u];
            }
        }
        if (rnnprop) {
            preprocessRnnprop(s, b);
        } else {
            preprocessDm(s, b);
        }
        float[] st = s.lstmState;
        // layer 1: input rows [x; h1], state (h1, c1) at offsets 0 and H
        System.arraycopy(st, 0, s.input, inputSize * CHUNK, h * CHUNK);
        lstm(s.input, inputSize + h, kernel1, bias1, s, 0, b);
        // layer 2: input rows [h1'; h2], state (h2, c2) at offsets 2H and 3H
        System.arraycopy(st, 0, s.input, 0, h * CHUNK);
        System.arraycopy(st, 2 * h * CHUNK, s.input, h * CHUNK, h * CHUNK);
        lstm(s.input, 2 * h, kernel2, bias2, s, 2 * h, b);
        float[] y = s.output;
        java.util.Arrays.fill(y, 0, b, outBias);
        for (int u = 0; u < h; u++) {
            float w = outKernel[u];
            int base = (2 * h + u) * CHUNK;
            for (int i = 0; i < b; i++) {
                y[i] += st[base + i] * w;
            }
        }
        for (int i = 0; i < b; i++) {
            if (!Float.isFinite(s.grad[i])) {
                s.update[i] = 0f; // row left as read, so it is written back unchanged
                s.skipped++;
                continue;
            }
            s.update[i] = (float) (rnnprop ? alpha * Math.tanh(y[i]) : -alpha * y[i]);
            int r = i * width;
            if (rnnprop) {
                s.rows[r] = s.m[i];
                s.rows[r + 1] = s.v[i];
            }
            for (int u = 0; u < 4 * h; u++) {
                s.rows[r + at + u] = st[u * CHUNK + i];
            }
        }
        argState.put(start * width, s.rows, 0, b * width);
        argUpdate.put(start, s.update, 0, b);
    }

    /** Moments, normalised inputs and the ELU layer, into input rows 0..P-1. */
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
            int base = k * CHUNK;
            for (int i = 0; i < b; i++) {
                s.input[base + i] = s.x0[i] * w0 + s.x1[i] * w1 + bk;
            }
            for (int i = 0; i < b; i++) {
                float a = s.input[base + i];
                if (a <= 0) {
                    s.input[base + i] = (float) (Math.exp(a) - 1); // ELU; Math.expm1 is not intrinsified
                }
            }
        }
    }

    /** DMoptimizer's log and sign inputs, into input rows 0 and 1. */
    private void preprocessDm(Scratch s, int b) {
        double floor = Math.exp(-logScale);
        double scale = Math.exp(logScale);
        for (int i = 0; i < b; i++) {
            float g = Float.isFinite(s.grad[i]) ? s.grad[i] : 0f;
            s.input[i] = (float) (Math.log(Math.max(Math.abs((double) g), floor)) / logScale);
            s.input[CHUNK + i] = (float) Math.max(-1, Math.min(1, g * scale));
        }
    }

    /**
     * One TensorFlow LSTMCell over the chunk: gates = [x, h]·W + b (order i, j, f, o). {@code in} holds
     * {@code rows} input rows of CHUNK floats; h and c are rows {@code at .. at+H-1} and {@code at+H ..} of
     * the transposed state, overwritten with the new values.
     */
    private void lstm(float[] in, int rows, float[] kernel, float[] bias, Scratch s, int at, int b) {
        float[] gates = s.gates;
        int cols = 4 * hidden;
        for (int j = 0; j < cols; j++) {
            java.util.Arrays.fill(gates, j * CHUNK, j * CHUNK + b, bias[j]);
        }
        for (int k = 0; k < rows; k++) {
            int inBase = k * CHUNK;
            int wBase = k * cols;
            for (int j = 0; j < cols; j++) {
                float w = kernel[wBase + j];
                int g = j * CHUNK;
                for (int i = 0; i < b; i++) {
                    gates[g + i] += in[inBase + i] * w;
                }
            }
        }
        float[] st = s.lstmState;
        int h = hidden;
        for (int u = 0; u < h; u++) {
            int hRow = (at + u) * CHUNK;
            int cRow = (at + h + u) * CHUNK;
            int gi = u * CHUNK;
            int gj = (h + u) * CHUNK;
            int gf = (2 * h + u) * CHUNK;
            int go = (3 * h + u) * CHUNK;
            for (int i = 0; i < b; i++) {
                double c = sigmoid(gates[gf + i] + forgetBias) * st[cRow + i]
                        + sigmoid(gates[gi + i]) * tanh(gates[gj + i]);
                float cf = (float) c;
                st[cRow + i] = cf;
                st[hRow + i] = (float) (sigmoid(gates[go + i]) * tanh(cf));
            }
        }
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** tanh via the exp intrinsic (Math.tanh is not intrinsified); exact to double rounding for |x| < 20. */
    private static double tanh(double x) {
        if (x > 20) {
            return 1;
        }
        if (x < -20) {
            return -1;
        }
        double e = Math.exp(2 * x);
        return Math.abs(x) < 1e-3 ? Math.tanh(x) : (e - 1) / (e + 1);
    }

    @Override
    public void close() {
        pool.close();
    }

    /** Per-thread working memory, coordinate-minor: element (row r, coordinate i) is at r * CHUNK + i. */
    private static final class Scratch {
        final float[] grad = new float[CHUNK];
        final float[] update = new float[CHUNK];
        final float[] output = new float[CHUNK];
        final float[] m = new float[CHUNK];
        final float[] v = new float[CHUNK];
        final float[] x0 = new float[CHUNK];
        final float[] x1 = new float[CHUNK];
        final float[] rows;
        final float[] input;
        final float[] gates;
        final float[] lstmState;
        int skipped;

        Scratch(int width, int inputRows, int hidden) {
            rows = new float[CHUNK * width];
            input = new float[CHUNK * inputRows];
            gates = new float[CHUNK * 4 * hidden];
            lstmState = new float[CHUNK * 4 * hidden];
        }
    }
}
