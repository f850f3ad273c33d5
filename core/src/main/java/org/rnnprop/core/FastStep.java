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
    /** Coordinates per chunk: small enough for the scratch to stay in L1/L2, large enough to amortise copies. */
    static final int CHUNK = 256;
    /** Below this many coordinates the caller's thread does everything. */
    static final int PARALLEL_THRESHOLD = 4 * CHUNK;

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
            scratch[i] = new Scratch(CHUNK, width, Math.max(inputSize, hidden) + hidden, 4 * hidden);
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

    private void runChunk(int worker, int start, int end) {
        Scratch s = scratch[worker];
        int count = end - start;
        argGrad.get(start, s.grad, 0, count);
        argState.get(start * width, s.state, 0, count * width);
        for (int i = 0; i < count; i++) {
            float g = s.grad[i];
            if (!Float.isFinite(g)) {
                s.update[i] = 0f; // row left as read, so it is written back unchanged
                s.skipped++;
                continue;
            }
            s.update[i] = (float) (rnnprop ? rnnprop(g, s, i * width) : dm(g, s, i * width));
        }
        argState.put(start * width, s.state, 0, count * width);
        argUpdate.put(start, s.update, 0, count);
    }

    private double rnnprop(float g, Scratch s, int row) {
        float[] st = s.state;
        float m = beta1 * st[row] + (1 - beta1) * g;
        float v = beta2 * st[row + 1] + (1 - beta2) * g * g;
        st[row] = m;
        st[row + 1] = v;
        // Normalisation in double: g*g and v/bc2 span far more than float's range for extreme gradients.
        double sd = Math.sqrt(v / biasCorrection2) + epsilon;
        float x0 = (float) (g / sd);
        float x1 = (float) ((m / biasCorrection1) / sd);
        float[] in = s.input;
        int p = inputSize;
        for (int k = 0; k < p; k++) {
            float a = x0 * preKernel[k] + x1 * preKernel[p + k] + preBias[k];
            in[k] = a > 0 ? a : (float) Math.expm1(a);
        }
        return alpha * Math.tanh(network(s, row + 2));
    }

    private double dm(float g, Scratch s, int row) {
        double xa = Math.log(Math.max(Math.abs((double) g), Math.exp(-logScale))) / logScale;
        double xb = Math.max(-1, Math.min(1, g * Math.exp(logScale)));
        s.input[0] = (float) xa;
        s.input[1] = (float) xb;
        return -alpha * network(s, row);
    }

    /** Both LSTM layers and the output layer on {@code s.input[0..inputSize)}; states start at {@code at}. */
    private double network(Scratch s, int at) {
        float[] st = s.state;
        float[] in = s.input;
        System.arraycopy(st, at, in, inputSize, hidden);
        lstm(in, inputSize + hidden, kernel1, bias1, s, at);
        System.arraycopy(st, at, in, 0, hidden);
        System.arraycopy(st, at + 2 * hidden, in, hidden, hidden);
        lstm(in, 2 * hidden, kernel2, bias2, s, at + 2 * hidden);
        float y = outBias;
        int h2 = at + 2 * hidden;
        for (int k = 0; k < hidden; k++) {
            y += st[h2 + k] * outKernel[k];
        }
        return y;
    }

    /** One TensorFlow LSTMCell: gates = [x, h]·W + b (order i, j, f, o); writes h and c at {@code at}. */
    private void lstm(float[] in, int rows, float[] kernel, float[] bias, Scratch s, int at) {
        float[] gates = s.gates;
        int cols = 4 * hidden;
        System.arraycopy(bias, 0, gates, 0, cols);
        for (int k = 0; k < rows; k++) {
            float a = in[k];
            int base = k * cols;
            for (int j = 0; j < cols; j++) {
                gates[j] += a * kernel[base + j];
            }
        }
        float[] st = s.state;
        int h = hidden;
        for (int k = 0; k < h; k++) {
            double c = sigmoid(gates[2 * h + k] + forgetBias) * st[at + h + k]
                    + sigmoid(gates[k]) * tanh(gates[h + k]);
            float cf = (float) c;
            st[at + h + k] = cf;
            st[at + k] = (float) (sigmoid(gates[3 * h + k]) * tanh(cf));
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

    /** Per-thread working memory. */
    private static final class Scratch {
        final float[] grad;
        final float[] update;
        final float[] state;
        final float[] input;
        final float[] gates;
        int skipped;

        Scratch(int chunk, int width, int inputRows, int gateCols) {
            grad = new float[chunk];
            update = new float[chunk];
            state = new float[chunk * width];
            input = new float[inputRows];
            gates = new float[gateCols];
        }
    }
}
