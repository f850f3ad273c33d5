package org.rnnprop.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Kernels made without a thread count share one set of worker threads, however many there are. */
class FastStepSharedWorkersTest {

    private static long sharedThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("rnnprop-step-shared")).count();
    }

    /** Steps {@code n} coordinates of a made-up gradient three times; returns the last update and the state. */
    private static float[] run(StepKernel k, int n) {
        int w = k.weights().stateWidth();
        FloatBuffer state = FloatBuffer.allocate(n * w);
        FloatBuffer update = FloatBuffer.allocate(n);
        FloatBuffer grad = FloatBuffer.allocate(n);
        for (int t = 1; t <= 3; t++) {
            for (int i = 0; i < n; i++) {
                grad.put(i, (float) Math.sin(0.37 * i + t));
            }
            assertEquals(0, k.step(t, grad, state, update, n));
        }
        float[] out = new float[n + n * w];
        update.get(0, out, 0, n);
        state.get(0, out, n, n * w);
        return out;
    }

    @Test
    void manyKernelsAddNoThreadsAndStepAsAKernelWithItsOwn() {
        OptimizerWeights w = GoldenFixture.load(OptimizerKind.RNNPROP).weights();
        int n = 3 * FastStep.PARALLEL_THRESHOLD + 17; // enough to go through the workers
        float[] expected;
        try (FastStep own = new FastStep(w, 2)) {
            expected = run(own, n);
        }
        List<FastStep> kernels = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            kernels.add(new FastStep(i % 2 == 0 ? w : w.withAlpha(w.hyperparameters().alpha())));
        }
        long threads = sharedThreads();
        assertEquals(Runtime.getRuntime().availableProcessors() - 1, threads);
        kernels.add(new FastStep(w));
        assertEquals(threads, sharedThreads(), "one more kernel, no more threads");
        kernels.get(0).close(); // leaves the shared threads to the others
        assertArrayEquals(expected, run(kernels.get(1), n));
        assertArrayEquals(expected, run(kernels.get(6), n));
        kernels.forEach(FastStep::close);
    }
}
