package org.rnnprop.examples.data;

import java.util.Arrays;
import java.util.Random;
import org.rnnprop.datasets.LabeledImages;

/**
 * Minibatch index sequences and the arrays they select: the same seed gives the same minibatches in any
 * framework, so runs that share a seed see the same data in the same order.
 */
public final class Minibatches {
    private Minibatches() {
    }

    /**
     * A fresh minibatch of {@code batchSize} example indices for each of {@code steps} steps: consecutive slices
     * of a random permutation of {@code 0..numExamples-1}, reshuffled when it runs out (so no example repeats
     * within an epoch), from {@code java.util.Random(seed)}.
     *
     * @throws IllegalArgumentException if {@code steps < 0}, {@code batchSize < 1} or there are fewer examples than
     *     one minibatch
     */
    public static int[][] draw(long seed, int steps, int numExamples, int batchSize) {
        if (steps < 0 || batchSize < 1) {
            throw new IllegalArgumentException("steps must be >= 0 and batchSize >= 1, got " + steps + " and "
                    + batchSize);
        }
        if (numExamples < batchSize) {
            throw new IllegalArgumentException("need at least " + batchSize + " examples, got " + numExamples);
        }
        Random r = new Random(seed);
        int[] perm = new int[numExamples];
        for (int i = 0; i < numExamples; i++) {
            perm[i] = i;
        }
        int at = numExamples;
        int[][] batches = new int[steps][];
        for (int s = 0; s < steps; s++) {
            if (at + batchSize > numExamples) {
                shuffle(perm, r);
                at = 0;
            }
            batches[s] = Arrays.copyOfRange(perm, at, at + batchSize);
            at += batchSize;
        }
        return batches;
    }

    /** Fisher-Yates shuffle of {@code a} with {@code r}. */
    static void shuffle(int[] a, Random r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** The images of the given examples, back to back ({@code data.imageSize()} floats each). */
    public static float[] images(LabeledImages data, int[] indices) {
        int size = data.imageSize();
        float[] x = new float[indices.length * size];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(data.images(), indices[i] * size, x, i * size, size);
        }
        return x;
    }

    /** The labels of the given examples, as floats (DJL's sparse softmax cross-entropy takes float labels). */
    public static float[] labels(LabeledImages data, int[] indices) {
        float[] y = new float[indices.length];
        for (int i = 0; i < indices.length; i++) {
            y[i] = data.label(indices[i]);
        }
        return y;
    }

    /** The labels of the given examples one-hot, {@code numClasses} floats each (DL4J's MCXENT takes these). */
    public static float[] oneHot(LabeledImages data, int[] indices) {
        int k = data.numClasses();
        float[] y = new float[indices.length * k];
        for (int i = 0; i < indices.length; i++) {
            y[i * k + data.label(indices[i])] = 1f;
        }
        return y;
    }

    /** The indices {@code from, from + 1, ..., to - 1}. */
    public static int[] range(int from, int to) {
        if (from > to) {
            throw new IllegalArgumentException("empty range [" + from + ", " + to + ")");
        }
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }
}
