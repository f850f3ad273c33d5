package org.rnnprop.examples.compare;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.function.Supplier;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.rnnprop.datasets.LabeledImages;

/**
 * A classifier to train in an {@link OptimizerComparison}, in Deeplearning4j or in DJL. Every run of a given
 * seed starts from the same parameters, whatever the optimizer: the first run of a seed initialises the
 * network the framework's way and the later ones copy those values.
 */
public interface ModelUnderTest {
    /** Display name. */
    String name();

    /**
     * Trains a fresh network with {@code candidate}, step {@code t} on the examples {@code batches[t - 1]} of
     * {@code train}.
     *
     * @param seed selects the initial parameters
     * @param test if not null, the accuracy of the final parameters is measured on it
     */
    TrainingRun train(Candidate candidate, long seed, int[][] batches, LabeledImages train, LabeledImages test);

    /**
     * A Deeplearning4j network. Its updater is replaced by each candidate's and its seed by the run's; examples
     * arrive as flat rows of {@code imageSize()} floats with one-hot labels, so a convolutional network needs
     * {@code setInputType(InputType.convolutionalFlat(height, width, channels))}.
     */
    static ModelUnderTest dl4j(String name, MultiLayerConfiguration configuration) {
        return new Dl4jModelUnderTest(name, configuration);
    }

    /**
     * A DJL block, made afresh for each run by {@code blocks}, trained with softmax cross-entropy on the PyTorch
     * engine.
     *
     * @param exampleShape the shape of one example without the batch axis, e.g. {@code (784)} or
     *     {@code (1, 28, 28)}
     */
    static ModelUnderTest djl(String name, Supplier<Block> blocks, Shape exampleShape) {
        return new DjlModelUnderTest(name, blocks, exampleShape);
    }
}
