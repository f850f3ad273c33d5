package org.rnnprop.examples;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.rnnprop.datasets.LabeledImages;
import org.rnnprop.dl4j.Rnnprop;
import org.rnnprop.examples.BaseMlpTraining.InitialParameters;
import org.rnnprop.examples.BaseMlpTraining.OptimizerChoice;
import org.rnnprop.examples.data.ImageBatchIterator;

import static org.rnnprop.examples.BaseMlpTraining.CLASSES;
import static org.rnnprop.examples.BaseMlpTraining.HIDDEN;
import static org.rnnprop.examples.BaseMlpTraining.INPUTS;

/** The base MLP in Deeplearning4j: a sigmoid {@code DenseLayer} and a softmax {@code OutputLayer} (MCXENT). */
final class Dl4jBaseMlp {
    private Dl4jBaseMlp() {
    }

    static BaseMlpTraining.Run train(OptimizerChoice choice, InitialParameters init, LabeledImages train,
            int[][] batches, LabeledImages test) {
        MultiLayerNetwork net = network(updater(choice), init);
        float[] losses = new float[batches.length];
        long start = System.nanoTime();
        for (int s = 0; s < batches.length; s++) {
            net.fit(ImageBatchIterator.dataSet(train, batches[s]));
            // The score fit computed: the loss at the parameters before this step's update.
            losses[s] = (float) net.score();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double accuracy = Double.NaN;
        if (test != null) {
            INDArray x = Nd4j.create(test.images(), new long[] {test.numExamples(), INPUTS}, 'c');
            accuracy = BaseMlpTraining.accuracy(net.output(x, false).argMax(1).toLongVector(), test.labels());
        }
        return new BaseMlpTraining.Run(BaseMlpTraining.Framework.DL4J, choice, losses, accuracy, seconds);
    }

    /** The network with the given initial parameters and updater; no regularization, float32. */
    static MultiLayerNetwork network(IUpdater updater, InitialParameters init) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)
                .updater(updater)
                .list()
                .layer(new DenseLayer.Builder().nIn(INPUTS).nOut(HIDDEN).activation(Activation.SIGMOID).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(HIDDEN).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        // DL4J's kernels are [nIn, nOut] like the spec's.
        set(net, "0_W", init.w1());
        set(net, "0_b", init.b1());
        set(net, "1_W", init.w2());
        set(net, "1_b", init.b2());
        return net;
    }

    /** Copies row-major values into a parameter view of the network, whatever the view's memory order. */
    private static void set(MultiLayerNetwork net, String key, float[] values) {
        INDArray view = net.getParam(key);
        if (view.length() != values.length) {
            throw new IllegalStateException(key + " has " + view.length() + " values, given " + values.length);
        }
        view.assign(Nd4j.create(values, view.shape(), 'c'));
    }

    private static IUpdater updater(OptimizerChoice choice) {
        if (choice instanceof BaseMlpTraining.Learned l) {
            return Rnnprop.pretrained(l.name());
        }
        // DL4J's Adam defaults are TensorFlow's: beta1 0.9, beta2 0.999, epsilon 1e-8.
        return new org.nd4j.linalg.learning.config.Adam(((BaseMlpTraining.Adam) choice).learningRate());
    }
}
