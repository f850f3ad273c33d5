package org.rnnprop.examples.data;

import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.rnnprop.datasets.LabeledImages;

/**
 * A Deeplearning4j {@link DataSetIterator} over labelled images held in memory: each epoch visits every
 * example once, in an order shuffled from a seed, in minibatches (the last one smaller when the batch size does
 * not divide the data). Features are flat rows of {@code imageSize()} floats (give convolutional networks
 * {@code InputType.convolutionalFlat(height, width, channels)}); labels are one-hot.
 *
 * <p>Two iterators made with the same data, batch size and seed give the same minibatches epoch after epoch,
 * so networks trained from them see the same data in the same order.
 */
public final class ImageBatchIterator implements DataSetIterator {
    private static final long serialVersionUID = 1L;

    private final transient LabeledImages data;
    private final int batchSize;
    private final transient Random random;
    private final int[] order;
    private int position;
    private DataSetPreProcessor preProcessor;

    /**
     * An iterator whose first epoch starts at once.
     *
     * @param shuffleSeed seed of the example order; each epoch (each {@link #reset()}) draws a new one
     * @throws IllegalArgumentException if {@code batchSize < 1} or the data is empty
     */
    public ImageBatchIterator(LabeledImages data, int batchSize, long shuffleSeed) {
        this(data, batchSize, new Random(shuffleSeed));
    }

    /** An iterator in the data's own order, the same every epoch (for evaluation). */
    public static ImageBatchIterator inOrder(LabeledImages data, int batchSize) {
        return new ImageBatchIterator(data, batchSize, (Random) null);
    }

    /** {@code random} null keeps the data's order. */
    private ImageBatchIterator(LabeledImages data, int batchSize, Random random) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
        if (data.numExamples() == 0) {
            throw new IllegalArgumentException("no examples to iterate over");
        }
        this.data = data;
        this.batchSize = batchSize;
        this.random = random;
        this.order = Minibatches.range(0, data.numExamples());
        reset();
    }

    /** The examples {@code indices} of {@code data} as a DL4J data set: flat features, one-hot labels. */
    public static DataSet dataSet(LabeledImages data, int[] indices) {
        INDArray x = Nd4j.create(Minibatches.images(data, indices), new long[] {indices.length, data.imageSize()},
                'c');
        INDArray y = Nd4j.create(Minibatches.oneHot(data, indices), new long[] {indices.length, data.numClasses()},
                'c');
        return new DataSet(x, y);
    }

    @Override
    public DataSet next(int num) {
        if (!hasNext()) {
            throw new NoSuchElementException("the epoch is over: call reset()");
        }
        int n = Math.min(num, order.length - position);
        int[] indices = Arrays.copyOfRange(order, position, position + n);
        position += n;
        DataSet ds = dataSet(data, indices);
        if (preProcessor != null) {
            preProcessor.preProcess(ds);
        }
        return ds;
    }

    @Override
    public DataSet next() {
        return next(batchSize);
    }

    @Override
    public boolean hasNext() {
        return position < order.length;
    }

    @Override
    public int inputColumns() {
        return data.imageSize();
    }

    @Override
    public int totalOutcomes() {
        return data.numClasses();
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    /** False: DL4J then reads this iterator on the training thread, which keeps runs reproducible. */
    @Override
    public boolean asyncSupported() {
        return false;
    }

    /** Starts a new epoch, in a newly shuffled order unless the iterator keeps the data's order. */
    @Override
    public void reset() {
        if (random != null) {
            Minibatches.shuffle(order, random);
        }
        position = 0;
    }

    @Override
    public int batch() {
        return batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return null;
    }
}
