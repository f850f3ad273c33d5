package org.rnnprop.evaluation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.PackedStep;
import org.rnnprop.core.StepKernel;
import org.rnnprop.core.StepKernels;
import org.rnnprop.tasks.optim.FlatOptimizer;

/**
 * A learned optimizer through the core's kernels, as the DL4J plugin runs it: the fastest kernel available
 * ({@link StepKernels#best(OptimizerWeights, int)}) on float32 state, {@link PackedStep} over the same kernel on
 * 16-bit state, or, for a simulated 8-bit format, the same kernel inside {@link Int8StateStep} on float32 rows;
 * one thread, state on the heap. So contenders that differ
 * only in state format share every other bit of arithmetic. The kernel's own time is summed, for a rough
 * throughput.
 */
final class KernelOptimizer implements FlatOptimizer, AutoCloseable {
    private final String name;
    private final StateFormat format;
    private final StepKernel fast;
    private final PackedStep packed;
    private float[] update;
    private FloatBuffer updateBuffer;
    private FloatBuffer floatState;
    private IntBuffer packedState;
    private long nanos;

    KernelOptimizer(OptimizerWeights weights, StateFormat format, String name) {
        this.name = name;
        this.format = format;
        boolean compact = format.precision().isCompact();
        this.fast = compact ? null : format.wrap(StepKernels.best(weights, 1));
        this.packed = compact ? new PackedStep(format.precision(), () -> StepKernels.best(weights, 1), 1) : null;
    }

    @Override
    public String name() {
        return name;
    }

    StateFormat format() {
        return format;
    }

    @Override
    public void reset(long dimension, NDManager manager) {
        int n = Math.toIntExact(dimension);
        update = new float[n];
        updateBuffer = FloatBuffer.wrap(update);
        if (packed == null) {
            floatState = FloatBuffer.wrap(new float[Math.multiplyExact(n, fast.stateWidth())]);
        } else {
            packedState = IntBuffer.wrap(new int[Math.multiplyExact(n, packed.slots())]);
        }
    }

    @Override
    public NDArray update(NDArray g, long t) {
        // The engine's copy of the gradient is the kernel's input: no second copy.
        FloatBuffer grad = FloatBuffer.wrap(g.toFloatArray());
        long start = System.nanoTime();
        if (packed == null) {
            fast.step(t, grad, floatState, updateBuffer, update.length);
        } else {
            packed.step(t, grad, packedState, updateBuffer, update.length);
        }
        nanos += System.nanoTime() - start;
        return g.getManager().create(update, g.getShape());
    }

    @Override
    public void attachState(NDManager manager) {
        // the state is on the heap
    }

    /** Seconds spent in the kernel so far. */
    double kernelSeconds() {
        return nanos / 1e9;
    }

    @Override
    public void close() {
        if (fast != null) {
            fast.close();
        }
        if (packed != null) {
            packed.close();
        }
    }
}
