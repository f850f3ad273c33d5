package org.rnnprop.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.rnnprop.datasets.LabeledImages;

/** The CNN and LSTM optimizees: sizes from the specification, hand-written gradients against autograd. */
class CnnAndLstmTaskTest {

    static LabeledImages images(int channels, int height, int width, int classes, int n, long seed) {
        Rng r = new Rng(seed);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(classes);
        }
        return new LabeledImages(r.uniform(n * channels * height * width, -0.5, 1), y, channels, height, width,
                classes);
    }

    @Test
    void sizesMatchTheSpecification() {
        try (NDManager m = NDManager.newBaseManager()) {
            LabeledImages mnist = images(1, 28, 28, 10, 1, 1);
            LabeledImages cifar = images(3, 32, 32, 10, 1, 1);
            assertEquals(33_850, new CnnTask(mnist, m, CnnTask.CCPF, 128).dimension());
            assertEquals(117_434, new CnnTask(mnist, m, CnnTask.CCPCCPFF, 128).dimension());
            assertEquals(43_738, new CnnTask(cifar, m, CnnTask.CCPF, 128).dimension());
        }
        assertEquals(1_781, LstmSineTask.of(1, 0.1).dimension());
        assertEquals(5_061, LstmSineTask.of(2, 0.1).dimension());
    }

    @Test
    void badArchitecturesAreRejected() {
        try (NDManager m = NDManager.newBaseManager()) {
            LabeledImages data = images(1, 6, 6, 3, 2, 1);
            assertThrows(IllegalArgumentException.class, () -> new CnnTask(data, m, "conv2-pool-pool-fc3", 4));
            assertThrows(IllegalArgumentException.class, () -> new CnnTask(data, m, "conv2-fc4-conv2-fc3", 4));
            assertThrows(IllegalArgumentException.class, () -> new CnnTask(data, m, "conv2-pool-fc5", 4));
            assertThrows(IllegalArgumentException.class, () -> new CnnTask(data, m, "dense2-fc3", 4));
        }
    }

    @Test
    void cnnGradientMatchesAutograd() {
        try (NDManager data = NDManager.newBaseManager()) {
            // two channels in, every layer kind, two pools, a hidden dense layer: all backward paths
            CnnTask task = new CnnTask(images(2, 8, 8, 3, 30, 2), data, "conv3-conv2-pool-conv3-pool-fc4-fc3", 6);
            TaskGradientTest.assertGradientMatchesAutograd(task, 17);
        }
    }

    @Test
    void cnnGradientMatchesFiniteDifferences() {
        try (NDManager m = NDManager.newBaseManager()) {
            TaskGradientTest.assertGradientMatchesFiniteDifferences(
                    new CnnTask(images(1, 4, 4, 2, 10, 3), m, "conv2-pool-fc2", 5), 4);
        }
    }

    @Test
    void lstmGradientMatchesAutograd() {
        TaskGradientTest.assertGradientMatchesAutograd(new LstmSineTask(1, 5, 0.1, 7), 19);
        TaskGradientTest.assertGradientMatchesAutograd(new LstmSineTask(2, 4, 0.01, 6), 23);
    }

    @Test
    void sineBatchesFollowTheSpecification() {
        LstmSineTask.Batch b = (LstmSineTask.Batch) new LstmSineTask(1, 4, 0.0, 500).sampleBatch(new Rng(5));
        assertEquals(500 * LstmSineTask.LENGTH, b.inputs().length);
        // Noise-free: every point is A sin(k w + phi) with |A| <= 10, and the sequence continues into the target,
        // so x_{k+1} + x_{k-1} = 2 cos(w) x_k holds through the target.
        for (int s = 0; s < 500; s++) {
            float[] x = new float[LstmSineTask.LENGTH + 1];
            System.arraycopy(b.inputs(), s * LstmSineTask.LENGTH, x, 0, LstmSineTask.LENGTH);
            x[LstmSineTask.LENGTH] = b.targets()[s];
            for (float v : x) {
                assertTrue(Math.abs(v) <= 10.0001);
            }
            if (Math.abs(x[1]) > 0.5) {
                double twoCos = (x[2] + x[0]) / x[1];
                assertTrue(twoCos >= -1e-3 && twoCos <= 2.001, "cos(w) in [0, 1] for w in [0, pi/2]");
                assertEquals(twoCos * x[9], x[10] + x[8], 2e-3 * (1 + Math.abs(twoCos * x[9])));
            }
        }
    }
}
