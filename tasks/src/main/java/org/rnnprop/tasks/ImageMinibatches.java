package org.rnnprop.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rnnprop.datasets.LabeledImages;

/**
 * A labelled image set on a device and its minibatches, shared by the image-classification tasks: a fresh
 * minibatch of {@code batchSize} examples drawn with replacement each step, or shuffled epochs
 * ({@link ImageTaskOptions.Batching}).
 */
final class ImageMinibatches {
    /** The minibatch of one step: example indices. */
    record Batch(int[] indices) {
    }

    private final NDArray images;
    private final NDArray labels;
    private final int examples;
    private final int batchSize;
    private final int classes;

    /** Copies {@code data} to {@code manager}, which must outlive this object. */
    ImageMinibatches(LabeledImages data, NDManager manager, int batchSize) {
        this.examples = data.numExamples();
        this.batchSize = batchSize;
        this.classes = data.numClasses();
        this.images = manager.create(data.images(), new Shape(examples, data.imageSize()));
        this.labels = manager.create(data.labels());
    }

    /** The minibatches of a run of {@code steps} steps in the given order. */
    List<Object> batches(Rng rng, int steps, ImageTaskOptions.Batching batching) {
        List<Object> out = new ArrayList<>(steps);
        if (batching == ImageTaskOptions.Batching.IID) {
            for (int i = 0; i < steps; i++) {
                out.add(sample(rng));
            }
            return out;
        }
        int[] order = new int[examples];
        int at = examples; // the next epoch starts at once
        while (out.size() < steps) {
            if (at == examples) {
                shuffle(order, rng);
                at = 0;
            }
            int n = Math.min(batchSize, examples - at);
            out.add(new Batch(Arrays.copyOfRange(order, at, at + n)));
            at += n;
        }
        return out;
    }

    /** A fresh uniformly random permutation of 0..n-1 (Fisher-Yates). */
    private static void shuffle(int[] a, Rng rng) {
        for (int i = 0; i < a.length; i++) {
            a[i] = i;
        }
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    Batch sample(Rng rng) {
        int[] idx = new int[batchSize];
        for (int i = 0; i < batchSize; i++) {
            idx[i] = rng.nextInt(examples);
        }
        return new Batch(idx);
    }

    /** The batch's images, [n, imageSize], on theta's device and manager (so they go with its results). */
    NDArray images(Object batch, NDArray theta) {
        return rows(images, batch, theta);
    }

    /** The batch's labels one-hot, [n, classes], on theta's device and manager. */
    NDArray oneHotLabels(Object batch, NDArray theta) {
        return rows(labels, batch, theta).oneHot(classes);
    }

    private static NDArray rows(NDArray data, Object batch, NDArray theta) {
        NDManager m = theta.getManager();
        NDArray r = data.get(m.create(((Batch) batch).indices()));
        r.attach(m);
        return r.toDevice(theta.getDevice(), false);
    }
}
