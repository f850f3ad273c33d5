package org.rnnprop.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnnprop.datasets.LabeledImages;

/**
 * The optimizee options beyond the specification's: larger and VALID convolutions (LeNet-5), framework-default
 * initialisations, epoch-style minibatches and held-out accuracy.
 */
class UserSetupTaskTest {

    static LabeledImages images(int channels, int size, int classes, int n, long seed) {
        return CnnAndLstmTaskTest.images(channels, size, size, classes, n, seed);
    }

    @Test
    void lenet5HasTheUsualSize() {
        try (NDManager m = NDManager.newBaseManager()) {
            // conv 20x1x5x5+20, conv 50x20x5x5+50, dense 800x500+500, dense 500x10+10
            assertEquals(520 + 25_050 + 400_500 + 5_010,
                    new CnnTask(images(1, 28, 10, 1, 1), m, CnnTask.LENET5, 128).dimension());
            assertEquals(431_080, new CnnTask(images(1, 28, 10, 1, 1), m, CnnTask.LENET5, 128).dimension());
        }
    }

    @Test
    void largerAndValidConvolutionGradientsMatchAutograd() {
        try (NDManager data = NDManager.newBaseManager()) {
            // 12x12 -> conv k5 VALID 8x8 -> conv k3 SAME 8x8 -> pool 4x4 -> conv k3 VALID 2x2 -> pool 1x1 -> fc -> fc
            CnnTask task = new CnnTask(images(2, 12, 3, 30, 5), data,
                    "conv3k5valid-conv2k3-pool-conv2k3valid-pool-fc4-fc3", 6);
            TaskGradientTest.assertGradientMatchesAutograd(task, 29);
            CnnTask same5 = new CnnTask(images(1, 6, 2, 20, 6), data, "conv2k5-pool-fc2", 5);
            TaskGradientTest.assertGradientMatchesAutograd(same5, 31);
        }
    }

    @Test
    void validConvolutionGradientMatchesFiniteDifferences() {
        try (NDManager m = NDManager.newBaseManager()) {
            // LeNet's layer kinds in miniature: VALID 3x3 convolutions, pools, a hidden dense layer
            TaskGradientTest.assertGradientMatchesFiniteDifferences(
                    new CnnTask(images(1, 10, 2, 12, 7), m, "conv2k3valid-pool-conv2k3valid-pool-fc3-fc2", 5), 8);
        }
    }

    @Test
    void mlpWithFrameworkInitialisationGradientMatchesAutograd() {
        try (NDManager data = NDManager.newBaseManager()) {
            ImageTaskOptions o = ImageTaskOptions.of(16).withInit(ParameterInit.XAVIER_NORMAL);
            TaskGradientTest.assertGradientMatchesAutograd(
                    new MlpTask(TaskGradientTest.tinyData(4), data, 6, 1, MlpTask.Act.RELU, o), 37);
        }
    }

    @Test
    void badConvolutionsAreRejected() {
        try (NDManager m = NDManager.newBaseManager()) {
            LabeledImages data = images(1, 6, 3, 2, 1);
            assertThrows(IllegalArgumentException.class, () -> new CnnTask(data, m, "conv2k4-pool-fc3", 4),
                    "an even kernel has no centred SAME padding");
            assertThrows(IllegalArgumentException.class, () -> new CnnTask(data, m, "conv2k7valid-fc3", 4));
            assertThrows(IllegalArgumentException.class, () -> new CnnTask(data, m, "conv2k5valid-conv2k3valid-fc3", 4),
                    "6x6 becomes 2x2, too small for the next 3x3 kernel");
            assertThrows(IllegalArgumentException.class, () -> new CnnTask(data, m, "conv0k3-fc3", 4));
        }
    }

    @Test
    void specInitialisationIsUnchangedAndFrameworkOnesFollowTheirFormulas() {
        LabeledImages mnistLike = images(1, 28, 10, 1, 2);
        try (NDManager m = NDManager.newBaseManager()) {
            MlpTask spec = new MlpTask(mnistLike, m, 128, 1, MlpTask.Act.RELU, 128);
            assertArrayEquals(Task.gaussianParameters(spec.dimension(), m, new Rng(3)).toFloatArray(),
                    spec.initialParameters(m, new Rng(3)).toFloatArray());
            for (ParameterInit init : List.of(ParameterInit.XAVIER_NORMAL, ParameterInit.HE_NORMAL)) {
                MlpTask t = new MlpTask(mnistLike, m, 128, 1, MlpTask.Act.RELU,
                        ImageTaskOptions.of(128).withInit(init));
                float[] p = t.initialParameters(m, new Rng(3)).toFloatArray();
                // layout: W1 [784, 128], b1 [128], W2 [128, 10], b2 [10]
                float[] w1 = Arrays.copyOfRange(p, 0, 784 * 128);
                float[] b1 = Arrays.copyOfRange(p, 784 * 128, 784 * 128 + 128);
                float[] w2 = Arrays.copyOfRange(p, 784 * 128 + 128, 784 * 128 + 128 + 1280);
                float[] b2 = Arrays.copyOfRange(p, p.length - 10, p.length);
                assertArrayEquals(new float[128], b1, init + ": biases start at 0");
                assertArrayEquals(new float[10], b2, init + ": biases start at 0");
                boolean xavier = init == ParameterInit.XAVIER_NORMAL;
                assertEquals(Math.sqrt(xavier ? 2.0 / (784 + 128) : 2.0 / 784), std(w1), 0.01 * std(w1), init + " W1");
                assertEquals(Math.sqrt(xavier ? 2.0 / (128 + 10) : 2.0 / 128), std(w2), 0.06 * std(w2), init + " W2");
            }
            // A convolution's fans count its kernel's area: LeNet's first layer, 20 filters of 1x5x5.
            CnnTask lenet = new CnnTask(mnistLike, m, CnnTask.LENET5,
                    ImageTaskOptions.of(128).withInit(ParameterInit.XAVIER_NORMAL));
            float[] conv1 = Arrays.copyOfRange(lenet.initialParameters(m, new Rng(5)).toFloatArray(), 0, 500);
            assertEquals(Math.sqrt(2.0 / (25 + 500)), std(conv1), 0.08 * std(conv1));
        }
    }

    static double std(float[] a) {
        double s = 0;
        for (float v : a) {
            s += (double) v * v;
        }
        return Math.sqrt(s / a.length);
    }

    @Test
    void epochsVisitEveryExampleOnceInAFreshOrder() {
        LabeledImages data = images(1, 4, 3, 10, 3);
        try (NDManager m = NDManager.newBaseManager()) {
            ImageTaskOptions o = ImageTaskOptions.of(4).withBatching(ImageTaskOptions.Batching.EPOCHS);
            MlpTask task = new MlpTask(data, m, 3, 1, MlpTask.Act.RELU, o);
            assertEquals(3, o.batchesPerEpoch(10));
            List<Object> batches = task.sampleBatches(new Rng(1), 7); // two epochs of 4 + 4 + 2, then one more
            int[][] idx = batches.stream().map(b -> ((ImageMinibatches.Batch) b).indices()).toArray(int[][]::new);
            assertEquals(List.of(4, 4, 2, 4, 4, 2, 4), Arrays.stream(idx).map(a -> a.length).toList());
            int[] first = concat(idx[0], idx[1], idx[2]);
            int[] second = concat(idx[3], idx[4], idx[5]);
            assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sorted(first));
            assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sorted(second));
            assertNotEquals(Arrays.toString(first), Arrays.toString(second), "each epoch is shuffled afresh");
            List<Object> again = task.sampleBatches(new Rng(1), 7);
            for (int i = 0; i < 7; i++) {
                assertArrayEquals(idx[i], ((ImageMinibatches.Batch) again.get(i)).indices(), "same seed, same order");
            }
            // a partial batch is a valid minibatch: the loss averages over its examples
            assertTrue(Float.isFinite(task.lossAndGradient(task.initialParameters(m, new Rng(2)), batches.get(2))
                    .loss().getFloat()));
        }
    }

    @Test
    void iidBatchesAreTheOnesSampleBatchDraws() {
        try (NDManager m = NDManager.newBaseManager()) {
            MlpTask task = new MlpTask(images(1, 4, 3, 50, 4), m, 3, 1, MlpTask.Act.RELU, 8);
            List<Object> all = task.sampleBatches(new Rng(9), 5);
            Rng rng = new Rng(9);
            for (Object b : all) {
                assertArrayEquals(((ImageMinibatches.Batch) task.sampleBatch(rng)).indices(),
                        ((ImageMinibatches.Batch) b).indices());
            }
        }
    }

    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
    }

    private static int[] sorted(int[] a) {
        int[] s = a.clone();
        Arrays.sort(s);
        return s;
    }

    @Test
    void accuracyCountsTheLargestLogitAcrossChunks() {
        LabeledImages test = images(1, 5, 4, ImageClassifier.ACCURACY_CHUNK * 2 + 37, 11);
        try (NDManager m = NDManager.newBaseManager()) {
            for (ImageClassifier task : List.of(new MlpTask(test, m, 7, 1, MlpTask.Act.TANH, 8),
                    new CnnTask(test, m, "conv2k3valid-fc4", 8))) {
                NDArray theta = task.initialParameters(m, new Rng(12)).mul(10);
                long[] predicted = task.logits(theta, m.create(test.images(), new ai.djl.ndarray.types.Shape(
                        test.numExamples(), test.imageSize()))).argMax(1).toLongArray();
                int correct = 0;
                for (int i = 0; i < predicted.length; i++) {
                    correct += predicted[i] == test.label(i) ? 1 : 0;
                }
                assertEquals(correct / (double) test.numExamples(), task.accuracy(theta, test), 1e-12);
                assertTrue(theta.getManager() == m, "theta is back with its owner");
            }
            MlpTask mnist = new MlpTask(images(1, 4, 3, 5, 1), m, 3, 1, MlpTask.Act.RELU, 2);
            assertThrows(IllegalArgumentException.class,
                    () -> mnist.accuracy(mnist.initialParameters(m, new Rng(1)), test), "25 pixels against 16");
        }
    }
}
