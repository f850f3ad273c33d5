package org.rnnprop.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.rnnprop.datasets.LabeledImages;

/** MNIST images as DL4J {@code DataSet}s: flattened pixels in [0, 1] and one-hot labels. */
final class MnistData {
    private MnistData() {
    }

    /** The examples {@code from} (inclusive) to {@code to} (exclusive) as one {@code DataSet}. */
    static DataSet range(LabeledImages data, int from, int to) {
        int[] indices = new int[to - from];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = from + i;
        }
        return gather(data, indices);
    }

    /**
     * {@code count} minibatches of {@code size} examples: consecutive slices of shuffled passes over the data, so
     * no example repeats within a pass.
     */
    static List<DataSet> minibatches(LabeledImages data, Random random, int count, int size) {
        List<DataSet> out = new ArrayList<>(count);
        int[] order = shuffled(data.numExamples(), random);
        int next = 0;
        for (int b = 0; b < count; b++) {
            if (next + size > order.length) {
                order = shuffled(data.numExamples(), random);
                next = 0;
            }
            int[] batch = new int[size];
            System.arraycopy(order, next, batch, 0, size);
            next += size;
            out.add(gather(data, batch));
        }
        return out;
    }

    private static int[] shuffled(int n, Random random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private static DataSet gather(LabeledImages data, int[] indices) {
        int size = data.imageSize();
        float[] x = new float[indices.length * size];
        float[] y = new float[indices.length * data.numClasses()];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(data.images(), indices[i] * size, x, i * size, size);
            y[i * data.numClasses() + data.label(indices[i])] = 1;
        }
        return new DataSet(Nd4j.create(x, new long[] {indices.length, size}, 'c'),
                Nd4j.create(y, new long[] {indices.length, data.numClasses()}, 'c'));
    }
}
