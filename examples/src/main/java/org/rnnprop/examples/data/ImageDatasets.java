package org.rnnprop.examples.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import org.rnnprop.datasets.LabeledImages;

/** DJL datasets over labelled images held in memory. */
public final class ImageDatasets {
    private ImageDatasets() {
    }

    /**
     * An {@link ArrayDataset} of {@code data}: features of shape {@code exampleShape} per example (for instance
     * {@code (784)} for an MLP or {@code (1, 28, 28)} for a CNN), float class labels. With {@code shuffle}, DJL's
     * random sampler draws each epoch's order from {@code ai.djl.util.RandomUtils}, which
     * {@code Engine.getInstance().setRandomSeed(seed)} seeds: set it before an epoch to make the order
     * reproducible.
     *
     * @param manager owns the arrays; close it when the dataset is no longer needed
     * @throws IllegalArgumentException if {@code exampleShape} does not hold {@code data.imageSize()} values
     */
    public static ArrayDataset arrayDataset(LabeledImages data, NDManager manager, int batchSize, boolean shuffle,
            Shape exampleShape) {
        if (exampleShape.size() != data.imageSize()) {
            throw new IllegalArgumentException("example shape " + exampleShape + " holds " + exampleShape.size()
                    + " values, the images " + data.imageSize());
        }
        NDArray x = manager.create(data.images(), new Shape(data.numExamples()).addAll(exampleShape));
        NDArray y = manager.create(Minibatches.labels(data, Minibatches.range(0, data.numExamples())));
        return new ArrayDataset.Builder().setData(x).optLabels(y).setSampling(batchSize, shuffle).build();
    }
}
