// Swap Adam for RNNprop in a Deeplearning4j network.
// module: examples
//
// Run (from any directory):
//
//     examples/run-notebook.sh examples/dl4j/swap-adam-for-rnnprop.jsh
//
// The launcher builds the examples module, which depends on dl4j-plugin and chooses ND4J's CPU backend as an
// application does, puts it and its dependencies on jshell's class path and runs this file.
// Everything is synthetic and local: nothing is downloaded. It takes a few seconds.
//
// The only line that changes between the two runs below is `.updater(...)`.
// The learned optimizer is the shipped "rnnprop" (Pretrained.names() lists every shipped one; its model card,
// Pretrained.modelCard("rnnprop"), says how it was made). The data are synthetic, to keep this a first look:
// the notebooks listed in the README train real networks on MNIST.

import java.util.Random;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.rnnprop.dl4j.Rnnprop;
import org.rnnprop.dl4j.RnnpropUpdater;

// Synthetic data: 256 points in 4 dimensions around 3 class centres.
DataSet data;
{
    Random r = new Random(1);
    int n = 256;
    float[][] x = new float[n][4];
    float[][] y = new float[n][3];
    for (int i = 0; i < n; i++) {
        int c = i % 3;
        for (int j = 0; j < 4; j++) {
            x[i][j] = (float) (r.nextGaussian() + (j == c ? 2.0 : 0.0));
        }
        y[i][c] = 1;
    }
    data = new DataSet(Nd4j.createFromArray(x), Nd4j.createFromArray(y));
}

// The same network and the same initial weights (same seed) for both optimizers.
MultiLayerNetwork network(IUpdater updater) {
    var conf = new NeuralNetConfiguration.Builder()
            .seed(123)
            .dataType(DataType.FLOAT)
            .updater(updater)
            .list()
            .layer(new DenseLayer.Builder().nIn(4).nOut(16).activation(Activation.TANH).build())
            .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(16).nOut(3).activation(Activation.SOFTMAX).build())
            .build();
    var net = new MultiLayerNetwork(conf);
    net.init();
    return net;
}

// Full-batch steps; prints the loss before each step and the largest parameter move of the step.
void train(String label, MultiLayerNetwork net, int steps) {
    System.out.printf("%n%s (%d parameters)%n", label, net.numParams());
    for (int s = 0; s < steps; s++) {
        double loss = net.score(data);
        float[] before = net.params().toFloatVector();
        net.fit(data);
        float[] after = net.params().toFloatVector();
        double move = 0;
        for (int i = 0; i < before.length; i++) {
            move = Math.max(move, Math.abs(after[i] - before[i]));
        }
        System.out.printf("  step %2d  loss %.4f  largest parameter move %.4f%n", s + 1, loss, move);
    }
    System.out.printf("  final loss %.4f%n", net.score(data));
}

int steps = 15;

MultiLayerNetwork adamNet = network(new Adam(1e-2));
train("Adam, learning rate 0.01", adamNet, steps);

String name = "rnnprop";
MultiLayerNetwork rnnpropNet = network(Rnnprop.pretrained(name));
train("Rnnprop.pretrained(\"" + name + "\")", rnnpropNet, steps);

// What happened on the RNNprop side.
{
    var config = Rnnprop.pretrained(name);
    var updaters = RnnpropUpdater.of(rnnpropNet.getUpdater());
    long skipped = updaters.stream().mapToLong(RnnpropUpdater::getSkippedTotal).sum();
    System.out.printf("%nWhat happened:%n");
    System.out.printf("  optimizer: %s%n", config.weights());
    System.out.printf("  no learning rate to tune: hasLearningRate() = %s; the step bound is alpha = %.2f%n",
            config.hasLearningRate(), config.weights().hyperparameters().alpha());
    System.out.printf("  updater state: %d floats per parameter (Adam keeps 2), %d in all, saved with the model%n",
            config.stateWidth(), rnnpropNet.getUpdater().getStateViewArray().length());
    System.out.printf("  DL4J iterations run: %d (the optimizer's step count t is iteration + 1)%n",
            rnnpropNet.getIterationCount());
    System.out.printf("  parameters skipped for NaN/Inf gradients: %d%n", skipped);
    System.out.printf("  a smaller step bound is one call away: %s%n", config.withAlphaScale(0.5));
}

/exit
