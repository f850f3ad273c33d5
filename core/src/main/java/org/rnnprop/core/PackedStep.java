package org.rnnprop.core;

import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.function.Supplier;

/**
 * Any {@link StepKernel} run on state kept in a {@linkplain StatePrecision 16-bit precision}: per block of
 * coordinates it decodes the packed state into float32 rows, runs the kernel on the block, and encodes the new
 * rows back (round to nearest even). The update is the kernel's, computed in float32 from the rounded state.
 *
 * <p>Packed layout: {@link #slots()} 32-bit slots per coordinate, one row per coordinate, row-major. RNNprop:
 * {@code m} and {@code v} as float32 bits in slots 0 and 1; then the 4H LSTM values {@code h1, c1, h2, c2} of
 * the core's layout ({@link NetworkLayout}) as 16-bit patterns, value {@code 2k} in bits 0-15 and value
 * {@code 2k + 1} in bits 16-31 of slot {@code 2 + k} (42 slots at the default sizes; DMoptimizer has no moments:
 * 40). A fresh state is all zeros. The state is read and written as ints, never as floats, so no NaN pattern is
 * ever changed by the way; a coordinate whose gradient is not finite keeps its packed row bit for bit.
 *
 * <p>Blocks of {@value #BLOCK} coordinates are spread over worker threads (shared by every such kernel made
 * without a thread count, or its own), each with its own kernel from the supplier and its own scratch, so a
 * step allocates nothing. Instances are thread-safe (calls are serialised).
 */
public final class PackedStep implements AutoCloseable {
    /** Coordinates per block: each worker's float32 rows (about 84 KB for RNNprop) stay in its L2 cache. */
    static final int BLOCK = 256;
    /** Below this many coordinates the caller's thread does everything. */
    static final int PARALLEL_THRESHOLD = 4096;

    private final StatePrecision precision;
    private final boolean bfloat16;
    private final OptimizerWeights weights;
    private final int width;
    private final int moments;
    private final int slots;
    private final WorkerPool pool;
    private final boolean ownsPool;
    private final Worker[] workers;
    private final WorkerPool.Body body = this::runBlock;

    // Arguments of the call in progress, read by the workers after the pool publishes them.
    private long argT;
    private FloatBuffer argGrad;
    private IntBuffer argState;
    private FloatBuffer argUpdate;

    /**
     * A packed kernel on the worker threads all such kernels share ({@code rnnprop.threads} of them, by default
     * one per processor).
     *
     * @param precision {@link StatePrecision#FLOAT16} or {@link StatePrecision#BFLOAT16}
     * @param kernels called once per worker thread; each kernel it returns is used by that worker alone, with
     *     at most {@value #BLOCK} coordinates per call. Give kernels that do their work on the calling thread,
     *     such as {@code () -> new FastStep(weights, 1)} (one that handed a block to the shared worker threads
     *     would wait for workers busy running this kernel's blocks); they are closed with this one
     * @throws IllegalArgumentException for {@link StatePrecision#FLOAT32} (run the kernel itself), or if the
     *     kernels disagree on their weights
     */
    public PackedStep(StatePrecision precision, Supplier<? extends StepKernel> kernels) {
        this(precision, kernels, WorkerPool.shared(), false);
    }

    /** As {@link #PackedStep(StatePrecision, Supplier)}, on {@code threads} threads of its own (the caller's included). */
    public PackedStep(StatePrecision precision, Supplier<? extends StepKernel> kernels, int threads) {
        this(precision, kernels, new WorkerPool(threads, "rnnprop-packed-step"), true);
    }

    /**
     * The usual packed kernel: the best kernel the JVM runs on {@code weights} ({@link StepKernels#best}), one
     * single-threaded instance per shared worker thread.
     */
    public static PackedStep of(OptimizerWeights weights, StatePrecision precision) {
        return new PackedStep(precision, () -> StepKernels.best(weights, 1));
    }

    private PackedStep(StatePrecision precision, Supplier<? extends StepKernel> kernels, WorkerPool pool,
            boolean ownsPool) {
        if (!precision.isCompact()) {
            if (ownsPool) {
                pool.close();
            }
            throw new IllegalArgumentException("PackedStep stores state in 16 bits; for " + precision
                    + " state run the kernel itself");
        }
        this.precision = precision;
        this.bfloat16 = precision == StatePrecision.BFLOAT16;
        this.pool = pool;
        this.ownsPool = ownsPool;
        this.workers = new Worker[pool.workers()];
        try {
            StepKernel first = kernels.get();
            this.weights = first.weights();
            this.width = first.stateWidth();
            this.moments = NetworkLayout.hiddenOffset(weights.kind(), weights.hyperparameters(), 0);
            this.slots = precision.slots(weights);
            for (int i = 0; i < workers.length; i++) {
                StepKernel k = i == 0 ? first : kernels.get();
                workers[i] = new Worker(k, width, slots);
                if (k.weights() != weights && !k.weights().checksum().equals(weights.checksum())) {
                    throw new IllegalArgumentException("the kernels run different optimizer weights ("
                            + weights.checksum() + ", " + k.weights().checksum() + ")");
                }
            }
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /** The network the kernels run. */
    public OptimizerWeights weights() {
        return weights;
    }

    /** The precision of the LSTM states. */
    public StatePrecision precision() {
        return precision;
    }

    /** 32-bit slots of packed state per coordinate: 42 for RNNprop, 40 for DMoptimizer (default sizes). */
    public int slots() {
        return slots;
    }

    /** Floats per coordinate of the unpacked state, as in {@link StepKernel#stateWidth()}. */
    public int stateWidth() {
        return width;
    }

    /**
     * Runs one step for {@code n} coordinates, with the conventions of {@link StepKernel#step(long, FloatBuffer,
     * FloatBuffer, FloatBuffer, int)}: absolute indices from 0, {@code update} may be {@code grad}, and a
     * coordinate whose gradient is NaN or infinite gets update 0 and keeps its packed row bit for bit.
     *
     * @param state {@code n * slots()} ints in the packed layout, updated in place
     * @return the number of coordinates skipped because their gradient was not finite
     */
    public synchronized int step(long t, FloatBuffer grad, IntBuffer state, FloatBuffer update, int n) {
        StepKernel.requireStep(t);
        if (grad.capacity() < n || update.capacity() < n || state.capacity() < (long) n * slots) {
            throw new IllegalArgumentException("buffers too small for " + n + " coordinates: grad "
                    + grad.capacity() + ", update " + update.capacity() + ", packed state " + state.capacity()
                    + " (needs " + (long) n * slots + ")");
        }
        argT = t;
        argGrad = grad;
        argState = state;
        argUpdate = update;
        for (Worker w : workers) {
            w.skipped = 0;
        }
        try {
            if (n < PARALLEL_THRESHOLD || pool.workers() == 1) {
                for (int start = 0; start < n; start += BLOCK) {
                    runBlock(0, start, Math.min(n, start + BLOCK));
                }
            } else {
                pool.run(n, BLOCK, body);
            }
        } finally {
            argGrad = argUpdate = null;
            argState = null;
        }
        int skipped = 0;
        for (Worker w : workers) {
            skipped += w.skipped;
        }
        return skipped;
    }

    /** Array form of {@link #step(long, FloatBuffer, IntBuffer, FloatBuffer, int)}, for tests and one-off calls. */
    public int step(long t, float[] grad, int[] state, float[] update) {
        if (state.length != (long) grad.length * slots || update.length != grad.length) {
            throw new IllegalArgumentException("packed state must hold " + slots + " ints per gradient ("
                    + (long) grad.length * slots + "), got " + state.length + "; update " + grad.length
                    + ", got " + update.length);
        }
        FloatBuffer g = FloatBuffer.wrap(grad);
        return step(t, g, IntBuffer.wrap(state), update == grad ? g : FloatBuffer.wrap(update), grad.length);
    }

    private void runBlock(int worker, int start, int end) {
        Worker w = workers[worker];
        int b = end - start;
        argGrad.get(start, w.grad, 0, b);
        argState.get(start * slots, w.packed, 0, b * slots);
        unpack(w.packed, 0, w.rows, 0, b);
        w.skipped += w.kernel.step(argT, w.gradBuffer, w.rowsBuffer, w.updateBuffer, b);
        for (int i = 0; i < b; i++) {
            if (Float.isFinite(w.grad[i])) { // a skipped row keeps the bits it was read with
                pack(w.rows, i * width, w.packed, i * slots, 1);
            }
        }
        argState.put(start * slots, w.packed, 0, b * slots);
        argUpdate.put(start, w.update, 0, b);
    }

    /**
     * Decodes {@code n} packed rows ({@code slots()} ints each, from {@code packed[from]}) into float32 rows
     * ({@code stateWidth()} floats each, from {@code rows[to]}); exact.
     */
    public void unpack(int[] packed, int from, float[] rows, int to, int n) {
        int half = (width - moments) / 2;
        for (int i = 0; i < n; i++) {
            int p = from + i * slots;
            int r = to + i * width;
            for (int k = 0; k < moments; k++) {
                rows[r + k] = Float.intBitsToFloat(packed[p + k]);
            }
            p += moments;
            r += moments;
            if (bfloat16) {
                for (int k = 0; k < half; k++) {
                    int s = packed[p + k];
                    rows[r + 2 * k] = HalfFloats.fromBfloat16(s);
                    rows[r + 2 * k + 1] = HalfFloats.fromBfloat16(s >>> 16);
                }
            } else {
                for (int k = 0; k < half; k++) {
                    int s = packed[p + k];
                    rows[r + 2 * k] = HalfFloats.fromFloat16(s & 0xFFFF);
                    rows[r + 2 * k + 1] = HalfFloats.fromFloat16(s >>> 16);
                }
            }
        }
    }

    /**
     * Encodes {@code n} float32 rows (from {@code rows[from]}) into packed rows (from {@code packed[to]}),
     * rounding the LSTM values to nearest even; the inverse of {@link #unpack} on values it produced.
     */
    public void pack(float[] rows, int from, int[] packed, int to, int n) {
        int half = (width - moments) / 2;
        for (int i = 0; i < n; i++) {
            int r = from + i * width;
            int p = to + i * slots;
            for (int k = 0; k < moments; k++) {
                packed[p + k] = Float.floatToRawIntBits(rows[r + k]);
            }
            p += moments;
            r += moments;
            if (bfloat16) {
                for (int k = 0; k < half; k++) {
                    packed[p + k] = HalfFloats.toBfloat16(rows[r + 2 * k])
                            | HalfFloats.toBfloat16(rows[r + 2 * k + 1]) << 16;
                }
            } else {
                for (int k = 0; k < half; k++) {
                    packed[p + k] = HalfFloats.toFloat16(rows[r + 2 * k])
                            | HalfFloats.toFloat16(rows[r + 2 * k + 1]) << 16;
                }
            }
        }
    }

    /** Stops this kernel's own threads (a kernel on the shared threads leaves them running) and its kernels. */
    @Override
    public void close() {
        if (ownsPool) {
            pool.close();
        }
        for (Worker w : workers) {
            if (w != null) {
                w.kernel.close();
            }
        }
    }

    /** A worker's kernel and scratch: one block of gradients, packed rows, float32 rows and updates. */
    private static final class Worker {
        final StepKernel kernel;
        final float[] grad = new float[BLOCK];
        final float[] update = new float[BLOCK];
        final float[] rows;
        final int[] packed;
        final FloatBuffer gradBuffer = FloatBuffer.wrap(grad);
        final FloatBuffer updateBuffer = FloatBuffer.wrap(update);
        final FloatBuffer rowsBuffer;
        int skipped;

        Worker(StepKernel kernel, int width, int slots) {
            this.kernel = kernel;
            this.rows = new float[BLOCK * width];
            this.packed = new int[BLOCK * slots];
            this.rowsBuffer = FloatBuffer.wrap(rows);
        }
    }
}
