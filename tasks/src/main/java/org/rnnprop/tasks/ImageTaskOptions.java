package org.rnnprop.tasks;

import java.util.Objects;

/**
 * How an image-classification optimizee ({@link MlpTask}, {@link CnnTask}) is set up beside its architecture:
 * batch size, initialisation and the order of its minibatches. {@link #of(int)} is the specification's setup.
 *
 * @param batchSize examples per minibatch, at least 1
 * @param init how the initial parameters are drawn
 * @param batching how the minibatches of a run are drawn
 */
public record ImageTaskOptions(int batchSize, ParameterInit init, Batching batching) {

    /** How the minibatches of a run are drawn from the training set. */
    public enum Batching {
        /** The specification's: each minibatch drawn uniformly with replacement, independently at every step. */
        IID,
        /**
         * Epochs, as a framework's data iterator gives them: each epoch a fresh shuffle of the whole training set
         * cut into consecutive minibatches, the last one smaller when the batch size does not divide the set.
         */
        EPOCHS
    }

    /**
     * @throws IllegalArgumentException for a batch size below 1
     */
    public ImageTaskOptions {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        Objects.requireNonNull(init, "init");
        Objects.requireNonNull(batching, "batching");
    }

    /** The specification's setup: N(0, 0.1^2) parameters, i.i.d. minibatches of {@code batchSize}. */
    public static ImageTaskOptions of(int batchSize) {
        return new ImageTaskOptions(batchSize, ParameterInit.GAUSSIAN_0_1, Batching.IID);
    }

    /** The same with another initialisation. */
    public ImageTaskOptions withInit(ParameterInit i) {
        return new ImageTaskOptions(batchSize, i, batching);
    }

    /** The same with another minibatch order. */
    public ImageTaskOptions withBatching(Batching b) {
        return new ImageTaskOptions(batchSize, init, b);
    }

    /** Minibatches per epoch over {@code examples} training examples in {@link Batching#EPOCHS} order. */
    public int batchesPerEpoch(int examples) {
        return (examples + batchSize - 1) / batchSize;
    }
}
