package org.rnnprop.benchmarks;

import java.nio.FloatBuffer;
import java.util.Map;
import org.rnnprop.core.FastStep;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.ReferenceStep;
import org.rnnprop.core.StepKernel;
import org.rnnprop.core.StepKernels;

/**
 * A core {@link StepKernel} on heap arrays through the buffer API (the arrays are wrapped once, so the benchmark
 * itself allocates nothing per step; the {@code float[]} convenience overload would wrap them on every call).
 */
final class CoreCase extends BenchCase {
    private final StepKernel kernel;
    private final FloatBuffer grad;
    private final FloatBuffer state;
    private final FloatBuffer update;
    private final float[] stateArray;
    private final String threads;
    private long t;

    private CoreCase(int n, StepKernel kernel, String threads, long seed) {
        super(n);
        this.kernel = kernel;
        this.threads = threads;
        this.stateArray = new float[Math.multiplyExact(n, kernel.stateWidth())];
        this.grad = FloatBuffer.wrap(gradient(n, seed));
        this.state = FloatBuffer.wrap(stateArray);
        this.update = FloatBuffer.wrap(new float[n]);
    }

    /** The double-precision, one-coordinate-at-a-time reference step (single-threaded). */
    static CoreCase reference(int n, OptimizerWeights w, long seed) {
        return new CoreCase(n, new ReferenceStep(w), "1", seed);
    }

    /** The float32, chunked, multithreaded step with {@code threads} threads (the caller's included). */
    static CoreCase fast(int n, OptimizerWeights w, int threads, long seed) {
        return new CoreCase(n, new FastStep(w, threads), Integer.toString(threads), seed);
    }

    /**
     * The Vector API step with {@code threads} threads, as {@link StepKernels#best} gives it.
     *
     * @throws IllegalStateException if the JVM does not run it (the message names the flag)
     */
    static CoreCase vector(int n, OptimizerWeights w, int threads, long seed) {
        StepKernel k = StepKernels.best(w, threads);
        if (k instanceof FastStep) {
            k.close();
            throw new IllegalStateException("the Vector API kernel needs the JVM option " + StepKernels.VECTOR_FLAG);
        }
        return new CoreCase(n, k, Integer.toString(threads), seed);
    }

    @Override
    void step() {
        kernel.step(++t, grad, state, update, n);
    }

    @Override
    double stateBytesPerParameter() {
        return (double) stateArray.length * Float.BYTES / n;
    }

    @Override
    String stateSource() {
        return "float[" + stateArray.length + "] state array (stateWidth " + kernel.stateWidth() + ")";
    }

    @Override
    String threads() {
        return threads;
    }

    @Override
    String kernel() {
        return kernel.getClass().getSimpleName();
    }

    @Override
    void facts(Map<String, String> out) {
        out.put("Processors available to the JVM", Integer.toString(Runtime.getRuntime().availableProcessors()));
    }

    @Override
    public void close() {
        kernel.close();
    }
}
