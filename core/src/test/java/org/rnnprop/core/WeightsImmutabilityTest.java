package org.rnnprop.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.FloatBuffer;
import java.nio.ReadOnlyBufferException;
import org.junit.jupiter.api.Test;

/**
 * Optimizer weights are immutable: nothing a caller does with the arrays it passed in or got out changes a
 * tensor, the weights' checksum, or the updates of a kernel made from them.
 */
class WeightsImmutabilityTest {

    @Test
    void aTensorKeepsCopiesOfWhatItIsGivenAndHandsOutCopies() {
        int[] shape = {2, 3};
        float[] data = {1, 2, 3, 4, 5, 6};
        Tensor t = new Tensor(shape, data);
        shape[1] = 99;
        data[0] = 99;
        assertArrayEquals(new int[] {2, 3}, t.shape());
        assertEquals(1f, t.get(0));
        t.data()[1] = 99;
        t.shape()[0] = 99;
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, t.data());
        assertEquals(2, t.dim(0));
        assertEquals(6f, t.get(1, 2));
        FloatBuffer values = t.values();
        assertEquals(4f, values.get(3));
        assertThrows(ReadOnlyBufferException.class, () -> values.put(0, 99f));
        assertEquals(new Tensor(new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}), t);
    }

    @Test
    void weightsTheirChecksumAndAKernelMadeFromThemCannotBeChangedThroughTheirArrays() {
        GoldenFixture f = GoldenFixture.load(OptimizerKind.RNNPROP);
        OptimizerWeights w = f.weights();
        String checksum = w.checksum();
        float[] expected = update(new FastStep(w), f);
        FastStep kernel = new FastStep(w);

        for (Tensor t : w.tensors().values()) {
            float[] leaked = t.data();
            java.util.Arrays.fill(leaked, 7f);
        }
        assertThrows(UnsupportedOperationException.class, () -> w.tensors().clear());
        assertEquals(checksum, w.checksum());
        assertArrayEquals(expected, update(kernel, f), "the kernel made before");
        assertArrayEquals(expected, update(new FastStep(w), f), "a kernel made after");
    }

    private static float[] update(StepKernel kernel, GoldenFixture f) {
        int n = 64;
        float[] grad = new float[n];
        for (int i = 0; i < n; i++) {
            grad[i] = (float) Math.sin(i + 1.0);
        }
        float[] update = new float[n];
        kernel.step(1, grad, new float[n * kernel.stateWidth()], update);
        return update;
    }
}
