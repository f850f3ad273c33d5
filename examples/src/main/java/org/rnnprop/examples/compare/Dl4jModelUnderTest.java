package org.rnnprop.examples.compare;

import java.util.Objects;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.rnnprop.datasets.LabeledImages;
import org.rnnprop.examples.data.ImageBatchIterator;

/** {@link ModelUnderTest#dl4j}: a {@code MultiLayerConfiguration} trained one {@code fit(DataSet)} per step. */
final class Dl4jModelUnderTest extends SeededModel<INDArray> {
    private final MultiLayerConfiguration configuration;

    Dl4jModelUnderTest(String name, MultiLayerConfiguration configuration) {
        super(name);
        this.configuration = Objects.requireNonNull(configuration, "configuration");
    }

    @Override
    public TrainingRun train(Candidate candidate, long seed, int[][] batches, LabeledImages train,
            LabeledImages test) {
        MultiLayerNetwork net = network(candidate.dl4jUpdater(), seed);
        try {
            // Dropout and other noise of the network draw from ND4J's generator: the same for every candidate.
            Nd4j.getRandom().setSeed(seed);
            float[] losses = new float[batches.length];
            long start = System.nanoTime();
            for (int s = 0; s < batches.length; s++) {
                net.fit(ImageBatchIterator.dataSet(train, batches[s]));
                losses[s] = (float) net.score(); // the loss fit computed, before its update
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new TrainingRun(losses, test == null ? Double.NaN : accuracy(net, test), seconds);
        } finally {
            net.close();
        }
    }

    private MultiLayerNetwork network(IUpdater updater, long seed) {
        MultiLayerConfiguration conf = configuration.clone();
        for (NeuralNetConfiguration layer : conf.getConfs()) {
            layer.setSeed(seed);
            if (layer.getLayer() instanceof BaseLayer base) {
                base.setIUpdater(updater.clone());
                base.setBiasUpdater(null); // biases follow the same updater
            }
        }
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.setParams(initialParameters(seed, () -> net.params().dup()).dup());
        return net;
    }

    private static double accuracy(MultiLayerNetwork net, LabeledImages test) {
        return HeldOutAccuracy.of(test, indices -> net.output(ImageBatchIterator.dataSet(test, indices).getFeatures(),
                false).argMax(1).toLongVector());
    }
}
