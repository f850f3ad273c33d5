package org.rnnprop.dl4j;

import java.io.File;
import java.io.IOException;
import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.stepfunctions.NegativeDefaultStepFunction;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** Small networks and data shared by the tests. */
final class TestNets {
    private TestNets() {
    }

    /** One output layer 7 -> 8 with bias: exactly 64 parameters, the golden fixture's coordinate count. */
    static MultiLayerNetwork sixtyFourParameters(IUpdater updater, DataType dataType) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(7)
                .dataType(dataType)
                .updater(updater)
                .list()
                .layer(new OutputLayer.Builder(LossFunction.MSE).nIn(7).nOut(8).activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** 4 -> 8 tanh -> 3 softmax classifier. */
    static MultiLayerConfiguration classifier(IUpdater updater) {
        return new NeuralNetConfiguration.Builder()
                .seed(42)
                .dataType(DataType.FLOAT)
                .updater(updater)
                .list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(8).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(8).nOut(3).activation(Activation.SOFTMAX)
                        .build())
                .build();
    }

    static MultiLayerNetwork classifierNet(IUpdater updater) {
        MultiLayerNetwork net = new MultiLayerNetwork(classifier(updater));
        net.init();
        return net;
    }

    /** {@code steps} calls of {@code net.fit(data)}. */
    static void fit(MultiLayerNetwork net, DataSet data, int steps) {
        for (int i = 0; i < steps; i++) {
            net.fit(data);
        }
    }

    /** {@code net} written to {@code file} by {@link ModelSerializer}, with or without its updater, and read back. */
    static MultiLayerNetwork savedAndRestored(MultiLayerNetwork net, File file, boolean withUpdater)
            throws IOException {
        ModelSerializer.writeModel(net, file, withUpdater);
        return ModelSerializer.restoreMultiLayerNetwork(file, withUpdater);
    }

    /** 32 fixed examples: 4 features, one-hot label given by the sign pattern of the first two features. */
    static DataSet classifierData() {
        Random r = new Random(2017);
        int n = 32;
        float[][] x = new float[n][4];
        float[][] y = new float[n][3];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 4; j++) {
                x[i][j] = (float) r.nextGaussian();
            }
            int label = x[i][0] > 0 ? (x[i][1] > 0 ? 0 : 1) : 2;
            y[i][label] = 1;
        }
        return new DataSet(Nd4j.createFromArray(x), Nd4j.createFromArray(y));
    }

    /**
     * One optimizer step with a gradient we choose, through DL4J's own machinery: the network's updater as
     * BaseOptimizer.updateGradientAccordingToParams calls it, then the step function StochasticGradientDescent
     * uses ({@code params -= update}).
     *
     * @param iteration DL4J's 0-based iteration
     */
    static void stepWithGradient(MultiLayerNetwork net, float[] flatGradient, int iteration) {
        if (net.gradient() == null) {
            // Any backprop gives the Gradient object whose arrays are views of the flat gradient array.
            INDArray in = Nd4j.ones(net.params().dataType(), 1, net.layerInputSize(0));
            INDArray labels = Nd4j.zeros(net.params().dataType(), 1, net.layerSize(net.getnLayers() - 1));
            net.setInput(in);
            net.setLabels(labels);
            net.computeGradientAndScore();
        }
        Gradient gradient = net.gradient();
        INDArray flat = net.getGradientsViewArray();
        flat.assign(Nd4j.createFromArray(flatGradient).castTo(flat.dataType()).reshape(flat.shape()));
        net.getUpdater().update(net, gradient, iteration, 0, 1, LayerWorkspaceMgr.noWorkspaces());
        new NegativeDefaultStepFunction().step(net.params(), gradient.gradient());
    }

    /** A gradient of {@code n} coordinates with magnitudes from 1e-4 to 1e2, fixed by {@code seed}. */
    static float[] gradient(int n, long seed) {
        Random r = new Random(seed);
        float[] g = new float[n];
        for (int i = 0; i < n; i++) {
            g[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(7) - 4));
        }
        return g;
    }

    /** The messages of an exception and its causes, for asserting on what a wrapped error says. */
    static String causes(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t.getMessage()).append(" | ");
        }
        return sb.toString();
    }
}
