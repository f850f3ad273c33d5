package org.rnnprop.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.StepKernel;
import org.rnnprop.core.StepKernels;

/**
 * {@link RnnpropOptimizer}'s update with the core kernel ({@link StepKernels#best}): the gradient is read
 * through a direct buffer over its memory (a copy where the engine hands out no view, as for a GPU array), the
 * state rows are updated in place in {@link CoreRows}, and the update is subtracted from the parameter in place
 * (through the engine where it gives no direct buffer). The step bound of a schedule scales the kernel's update, which is linear in alpha for both
 * kinds. Not thread-safe: the optimizer serialises updates.
 */
final class CoreStep implements AutoCloseable {
    private final StepKernel kernel;
    private final double alpha;
    /** Receives the kernel's updates; grows to the largest chunk. */
    private FloatBuffer update = FloatBuffer.allocate(0);

    CoreStep(OptimizerWeights weights) {
        this.kernel = StepKernels.best(weights);
        this.alpha = weights.hyperparameters().alpha();
    }

    /**
     * Steps one chunk: {@code gPart} (float32) and {@code thetaPart} are the chunk's gradient and parameter,
     * {@code state} its rows; views and temporaries belong to {@code part}.
     *
     * @param stepAlpha the step bound of this step (the weights' alpha times the schedule's scale)
     * @return the number of coordinates skipped because their gradient was not finite
     */
    int step(NDArray gPart, NDArray thetaPart, FloatBuffer state, double stepAlpha, long t, DataType type,
            NDManager part) {
        int n = Math.toIntExact(gPart.size());
        FloatBuffer g = gPart.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer();
        FloatBuffer u = updateBuffer(n);
        int skipped = kernel.step(t, g, state, u, n);
        if (stepAlpha != alpha) {
            float ratio = (float) (stepAlpha / alpha);
            for (int i = 0; i < n; i++) {
                u.put(i, u.get(i) * ratio);
            }
        }
        if (type != DataType.FLOAT32 || !subtractInPlace(thetaPart, u, n)) {
            NDArray delta = part.create(u.limit(n), new Shape(n));
            thetaPart.subi(type == DataType.FLOAT32 ? delta : delta.toType(type, false));
        }
        return skipped;
    }

    /**
     * {@code theta -= update} in Java, through a direct buffer over the parameter's own memory, where the engine
     * hands one out (a contiguous float32 CPU array); returns false, having changed nothing, where it does not.
     * Then no engine operation runs between two chunks: each one would wake PyTorch's OpenMP threads, which by
     * default spin afterwards on the cores the kernel's workers need (measured: 12% of the step at N = 1,000,000).
     */
    private static boolean subtractInPlace(NDArray thetaPart, FloatBuffer u, int n) {
        ByteBuffer bytes = thetaPart.toByteBuffer(true);
        if (!CoreRows.isLiveView(thetaPart, bytes, n)) {
            return false;
        }
        FloatBuffer theta = bytes.asFloatBuffer();
        for (int i = 0; i < n; i++) {
            theta.put(i, theta.get(i) - u.get(i));
        }
        return true;
    }

    private FloatBuffer updateBuffer(int n) {
        if (update.capacity() < n) {
            update = ByteBuffer.allocateDirect(n * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        }
        update.clear();
        return update;
    }

    /** Closes the kernel: nothing to stop for a kernel on the shared worker threads. */
    @Override
    public void close() {
        kernel.close();
    }
}
