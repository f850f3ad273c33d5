package org.rnnprop.benchmarks;

import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.PackedStep;
import org.rnnprop.core.StatePrecision;
import org.rnnprop.core.StepKernels;

/** The core's {@link PackedStep} (the best kernel on 16-bit state) on heap arrays, wrapped once. */
final class PackedCase extends BenchCase {
    private final PackedStep kernel;
    private final FloatBuffer grad;
    private final IntBuffer state;
    private final FloatBuffer update;
    private final int stateInts;
    private final String threads;
    private long t;

    private PackedCase(int n, PackedStep kernel, String threads, long seed) {
        super(n);
        this.kernel = kernel;
        this.threads = threads;
        this.stateInts = Math.multiplyExact(n, kernel.slots());
        this.grad = FloatBuffer.wrap(gradient(n, seed));
        this.state = IntBuffer.wrap(new int[stateInts]);
        this.update = FloatBuffer.wrap(new float[n]);
    }

    /** {@code threads} threads of its own (the caller's included), each with a single-threaded best kernel. */
    static PackedCase of(int n, OptimizerWeights w, StatePrecision precision, int threads, long seed) {
        return new PackedCase(n, new PackedStep(precision, () -> StepKernels.best(w, 1), threads),
                Integer.toString(threads), seed);
    }

    @Override
    void step() {
        kernel.step(++t, grad, state, update, n);
    }

    @Override
    double stateBytesPerParameter() {
        return (double) stateInts * Integer.BYTES / n;
    }

    @Override
    String stateSource() {
        return "int[" + stateInts + "] packed state (" + kernel.slots() + " slots, " + kernel.precision().id() + ")";
    }

    @Override
    String threads() {
        return threads;
    }

    @Override
    String kernel() {
        return "PackedStep over " + (StepKernels.vectorEnabled() ? "VectorStep" : "FastStep");
    }

    @Override
    public void close() {
        kernel.close();
    }
}
