package org.rnnprop.core;

import java.nio.FloatBuffer;

/**
 * What the multithreaded kernels share: the argument checks, the worker threads (the process's shared ones or
 * the kernel's own), the split of a call into chunks and the count of skipped coordinates. A subclass computes
 * one chunk, {@link #runChunk}, reading the arguments of the call in progress from the fields below.
 *
 * <p>Calls are serialised, so an instance is thread-safe; the workers read the argument fields after the pool
 * publishes them (see {@link WorkerPool}).
 */
abstract class ChunkedStep implements StepKernel {
    /** Below this many coordinates the caller's thread does everything. */
    static final int PARALLEL_THRESHOLD = 4096;
    /** Ints between two workers' skip counters: one cache line, so their writes do not contend. */
    private static final int COUNTER_STRIDE = 16;

    private final OptimizerWeights weights;
    private final int width;
    private final int chunk;
    private final WorkerPool pool;
    private final boolean ownsPool;
    private final int[] skipped;
    private final WorkerPool.Body body = this::runCounted;

    // Arguments of the call in progress.
    FloatBuffer argGrad;
    FloatBuffer argState;
    FloatBuffer argUpdate;
    /** {@code 1 - beta1^t} and {@code 1 - beta2^t}, RNNprop's bias corrections for the call's step count. */
    double biasCorrection1;
    double biasCorrection2;

    /**
     * @param pool {@link WorkerPool#shared()}, or the kernel's own ({@link #ownPool})
     * @param ownsPool whether {@link #close()} stops the pool
     * @param chunk coordinates per chunk
     */
    ChunkedStep(OptimizerWeights weights, WorkerPool pool, boolean ownsPool, int chunk) {
        this.weights = weights;
        this.width = weights.stateWidth();
        this.chunk = chunk;
        this.pool = pool;
        this.ownsPool = ownsPool;
        this.skipped = new int[pool.workers() * COUNTER_STRIDE];
    }

    /** Threads of a kernel's own: {@code threads} workers, the caller included. */
    static WorkerPool ownPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        return new WorkerPool(threads, "rnnprop-step");
    }

    /** Number of workers that may run chunks at once, the caller included; one scratch area each. */
    final int workers() {
        return pool.workers();
    }

    @Override
    public final OptimizerWeights weights() {
        return weights;
    }

    @Override
    public final synchronized int step(long t, FloatBuffer grad, FloatBuffer state, FloatBuffer update, int n) {
        StepKernel.requireStep(t);
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
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
        java.util.Arrays.fill(skipped, 0);
        try {
            if (n < PARALLEL_THRESHOLD || pool.workers() == 1) {
                for (int start = 0; start < n; start += chunk) {
                    runCounted(0, start, Math.min(n, start + chunk));
                }
            } else {
                pool.run(n, chunk, body);
            }
        } finally {
            argGrad = argState = argUpdate = null;
        }
        int total = 0;
        for (int w = 0; w < skipped.length; w += COUNTER_STRIDE) {
            total += skipped[w];
        }
        return total;
    }

    private void runCounted(int worker, int start, int end) {
        skipped[worker * COUNTER_STRIDE] += runChunk(worker, start, end);
    }

    /**
     * Steps coordinates {@code [start, end)} (at most one chunk) with worker {@code worker}'s scratch: reads
     * {@link #argGrad} and {@link #argState}, writes {@link #argUpdate} and {@link #argState}.
     *
     * @return how many of them were skipped because their gradient was not finite
     */
    abstract int runChunk(int worker, int start, int end);

    /** Stops this kernel's own worker threads; a kernel on the shared threads leaves them running. */
    @Override
    public void close() {
        if (ownsPool) {
            pool.close();
        }
    }
}
