// LeNet-5 on MNIST in Deeplearning4j, the classic way: RNNprop against Adam, then save, restore and continue.
// module: examples
//
// Run from the repository root (MNIST first: scripts/fetch-mnist.sh):
//
//     examples/run-notebook.sh examples/dl4j/lenet-mnist.jsh                           # full
//     RNNPROP_NOTEBOOK_QUICK=1 examples/run-notebook.sh examples/dl4j/lenet-mnist.jsh  # quick (what CI runs)
//
// Full: 2 epochs over the first 2,560 training images (20 minibatches of 128 per epoch), test accuracy on the
// first 2,000 test images after each epoch, for each of three optimizers: small, because it was sized for this
// project's shared 2-core machine; raise the two numbers below for a real training run. Quick: 1 epoch over 512 images, 500 test
// images: it checks that everything runs, its numbers mean little. How long each took: docs/NOTEBOOKS.md.
// Writes notebook-output/dl4j-lenet-mnist/ (lenet-mnist.png, and the saved model).
//
// The network is DL4J's LeNet-5 (conv 5x5x20, max-pool, conv 5x5x50, max-pool, dense 500 ReLU, softmax; 431,080
// parameters), trained with net.fit(iterator, epochs) from a DataSetIterator. Three runs start from the same
// initial parameters (same seed) and see the same minibatches (same shuffle seed); only .updater(...) changes:
//   - new Adam(1e-3), the usual default;
//   - Rnnprop.pretrained("rnnprop"), the shipped learned optimizer, no learning rate;
//   - the same with its step bound halved, withAlphaScale(0.5), which the README advises for CNNs.

org.rnnprop.examples.notebook.Notebook.setUp();

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.rnnprop.datasets.LabeledImages;
import org.rnnprop.datasets.Mnist;
import org.rnnprop.dl4j.Rnnprop;
import org.rnnprop.examples.data.ImageBatchIterator;
import org.rnnprop.examples.notebook.LinePlot;
import org.rnnprop.examples.notebook.Notebook;
import org.rnnprop.examples.notebook.TextTable;

long notebookStart = System.nanoTime();
int epochs = Notebook.choose(2, 1);
int batchSize = 128;
long initSeed = 42;
long shuffleSeed = 7;
LabeledImages train = Mnist.load(Mnist.Split.TRAIN).subset(0, Notebook.choose(2_560, 512));
LabeledImages test = Mnist.load(Mnist.Split.TEST).subset(0, Notebook.choose(2_000, 500));
Path out = Notebook.outputDirectory("dl4j-lenet-mnist");
System.out.printf("Setting: %s. LeNet-5, %d epochs over %d training images, batch %d; test on %d images.%n",
        Notebook.settingName(), epochs, train.numExamples(), batchSize, test.numExamples());

// LeNet-5 as in DL4J's own example; the updater is the only argument.
MultiLayerConfiguration lenet(IUpdater updater) {
    return new NeuralNetConfiguration.Builder()
            .seed(initSeed)
            .dataType(DataType.FLOAT)
            .weightInit(WeightInit.XAVIER)
            .updater(updater)
            .list()
            .layer(new ConvolutionLayer.Builder(5, 5).nIn(1).stride(1, 1).nOut(20).activation(Activation.IDENTITY).build())
            .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
            .layer(new ConvolutionLayer.Builder(5, 5).stride(1, 1).nOut(50).activation(Activation.IDENTITY).build())
            .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
            .layer(new DenseLayer.Builder().activation(Activation.RELU).nOut(500).build())
            .layer(new OutputLayer.Builder(LossFunction.NEGATIVELOGLIKELIHOOD).nOut(10).activation(Activation.SOFTMAX).build())
            .setInputType(InputType.convolutionalFlat(28, 28, 1)) // the iterator gives flat rows of 784 pixels
            .build();
}

// A listener that records what the comparison needs: the loss of every minibatch, and per epoch the training
// time and the test accuracy (measured after the epoch's clock stops).
class EpochLog extends BaseTrainingListener {
    final List<Float> losses = new ArrayList<>();
    final List<Double> seconds = new ArrayList<>();
    final List<Double> accuracy = new ArrayList<>();
    long epochStart;

    @Override public void iterationDone(Model model, int iteration, int epoch) {
        losses.add((float) model.score());
    }
    @Override public void onEpochStart(Model model) {
        epochStart = System.nanoTime();
    }
    @Override public void onEpochEnd(Model model) {
        seconds.add(Notebook.secondsSince(epochStart));
        accuracy.add(((MultiLayerNetwork) model).evaluate(ImageBatchIterator.inOrder(test, 1000)).accuracy());
        System.out.printf(Locale.ROOT, "    epoch %d: %.1f s, test accuracy %.2f%%%n", seconds.size(),
                seconds.get(seconds.size() - 1), 100 * accuracy.get(accuracy.size() - 1));
    }
}

record Trained(String label, MultiLayerNetwork net, EpochLog log) {}

Trained train(String label, IUpdater updater) {
    MultiLayerNetwork net = new MultiLayerNetwork(lenet(updater));
    net.init();
    EpochLog log = new EpochLog();
    net.setListeners(log);
    System.out.printf("%n%s (%,d parameters)%n", label, net.numParams());
    net.fit(new ImageBatchIterator(train, batchSize, shuffleSeed), epochs); // the same minibatches for every run
    return new Trained(label, net, log);
}

// Before training: the three networks start from the same parameters (same seed, whatever the updater).
{
    MultiLayerNetwork a = new MultiLayerNetwork(lenet(new Adam(1e-3)));
    a.init();
    MultiLayerNetwork b = new MultiLayerNetwork(lenet(Rnnprop.pretrained("rnnprop")));
    b.init();
    System.out.println("Same initial parameters for Adam and RNNprop: " + a.params().equals(b.params()));
}

List<Trained> runs = new ArrayList<>();
runs.add(train("Adam 1e-3", new Adam(1e-3)));
runs.add(train("RNNprop", Rnnprop.pretrained("rnnprop")));
runs.add(train("RNNprop alpha x0.5", Rnnprop.pretrained("rnnprop").withAlphaScale(0.5)));

// The table: test accuracy and training time per epoch, and the mean training loss of the last epoch.
{
    List<String> head = new ArrayList<>(List.of("optimizer"));
    for (int e = 1; e <= epochs; e++) {
        head.add("test acc. ep. " + e);
    }
    head.addAll(List.of("s per epoch", "last-epoch train loss"));
    TextTable table = new TextTable(head.toArray(String[]::new));
    for (Trained r : runs) {
        List<String> row = new ArrayList<>(List.of(r.label()));
        r.log().accuracy.forEach(a -> row.add(String.format(Locale.ROOT, "%.2f%%", 100 * a)));
        row.add(String.format(Locale.ROOT, "%.1f", r.log().seconds.stream().mapToDouble(d -> d).average().orElse(0)));
        List<Float> l = r.log().losses;
        int perEpoch = l.size() / epochs;
        row.add(String.format(Locale.ROOT, "%.4f", l.subList(l.size() - perEpoch, l.size()).stream()
                .mapToDouble(f -> f).average().orElse(Double.NaN)));
        table.row(row.toArray(String[]::new));
    }
    System.out.printf("%nLeNet-5 on MNIST, %s setting%n%s", Notebook.settingName(), table);
}

// The plot: smoothed training loss per minibatch, and test accuracy per epoch.
{
    LinePlot loss = new LinePlot("LeNet-5 on MNIST (DL4J): training loss", "minibatch", "loss, moving average of 20");
    LinePlot accuracy = new LinePlot("Test accuracy after each epoch", "epoch", "test accuracy");
    for (Trained r : runs) {
        float[] l = new float[r.log().losses.size()];
        for (int i = 0; i < l.length; i++) {
            l[i] = r.log().losses.get(i);
        }
        loss.line(r.label(), LinePlot.smooth(l, 20));
        double[] ep = new double[epochs];
        double[] acc = new double[epochs];
        for (int e = 0; e < epochs; e++) {
            ep[e] = e + 1;
            acc[e] = r.log().accuracy.get(e);
        }
        accuracy.points(r.label(), ep, acc);
    }
    LinePlot.save(out.resolve("lenet-mnist.png"), loss, accuracy);
    System.out.println("Wrote " + out.resolve("lenet-mnist.png"));
}

// Save, restore, continue. ModelSerializer saves the updater state with the network (saveUpdater = true): the
// RNNprop state (82 floats per parameter) lives in DL4J's updater view, so it comes back with the model and
// training continues exactly where it stopped.
{
    MultiLayerNetwork original = runs.get(1).net();
    original.setListeners(); // the epoch log is done
    File file = out.resolve("lenet-rnnprop.zip").toFile();
    ModelSerializer.writeModel(original, file, true);
    MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
    System.out.printf("%nSaved RNNprop's LeNet to %s (%,d bytes: parameters and %,d floats of updater state)%n",
            file, file.length(), original.getUpdater().getStateViewArray().length());
    System.out.println("  restored parameters equal: " + restored.params().equals(original.params())
            + "; restored updater state equal: "
            + restored.getUpdater().getStateViewArray().equals(original.getUpdater().getStateViewArray())
            + "; iteration count " + restored.getIterationCount() + " (the optimizer's step count goes on from it)");
    // Continue both on the same new minibatches: the restored network must follow the original step for step.
    int continueSteps = Notebook.choose(10, 3);
    DataSetIterator more = new ImageBatchIterator(train, batchSize, 99);
    double largest = 0;
    for (int s = 0; s < continueSteps && more.hasNext(); s++) {
        DataSet batch = more.next();
        original.fit(batch);
        restored.fit(batch);
        largest = Math.max(largest, original.params().sub(restored.params()).amaxNumber().doubleValue());
    }
    System.out.printf("  continued both for %d minibatches: largest parameter difference %.3g, test accuracy %.2f%%%n",
            continueSteps, largest, 100 * restored.evaluate(ImageBatchIterator.inOrder(test, 1000)).accuracy());
}

System.out.printf(Locale.ROOT, "%nNotebook time: %.0f s (%s setting)%n", Notebook.secondsSince(notebookStart),
        Notebook.settingName());

/exit
