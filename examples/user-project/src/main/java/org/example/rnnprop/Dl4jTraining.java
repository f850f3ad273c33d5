package org.example.rnnprop;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.rnnprop.dl4j.Rnnprop;

/** An MLP trained in Deeplearning4j with the shipped RNNprop, full batch; returns the loss of every step. */
final class Dl4jTraining {
    private Dl4jTraining() {
    }

    static float[] train(SyntheticData data, int steps) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)
                .seed(1)
                .updater(new Rnnprop())              // the shipped "rnnprop", in place of new Adam(...)
                .list()
                .layer(new DenseLayer.Builder().nIn(SyntheticData.FEATURES).nOut(16)
                        .activation(Activation.SIGMOID).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(16).nOut(SyntheticData.CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        DataSet all = new DataSet(
                Nd4j.create(data.features(), new long[] {data.examples(), SyntheticData.FEATURES}, 'c'),
                Nd4j.create(data.oneHotLabels(), new long[] {data.examples(), SyntheticData.CLASSES}, 'c'));
        float[] losses = new float[steps];
        for (int s = 0; s < steps; s++) {
            net.fit(all);
            losses[s] = (float) net.score(); // the loss before this step's update
        }
        return losses;
    }
}
