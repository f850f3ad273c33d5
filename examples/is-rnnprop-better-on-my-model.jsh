// Is RNNprop better on my model? OptimizerComparison answers it for a Deeplearning4j configuration or a DJL
// block: RNNprop, Adam 1e-3 and Adam over a short sweep of learning rates, from the same initial parameters on
// the same minibatches, over a few seeds, with the paired differences and their uncertainty.
// module: examples
//
// Run from the repository root (MNIST first: scripts/fetch-mnist.sh):
//
//     examples/run-notebook.sh examples/is-rnnprop-better-on-my-model.jsh                           # full
//     RNNPROP_NOTEBOOK_QUICK=1 examples/run-notebook.sh examples/is-rnnprop-better-on-my-model.jsh  # quick (CI)
//
// Full: 150 steps of batch 128, 3 seeds, Adam at 1e-4, 3e-4, 1e-3, 3e-3 and 1e-2, on two models, held-out accuracy
// on the first 2,000 test images. Quick: 10 steps on
// 1,024 images, 2 seeds, Adam at 1e-3 and 1e-2, 500 test images: it checks that everything runs, its numbers mean
// little. How long each took: docs/NOTEBOOKS.md. Writes notebook-output/is-rnnprop-better/ (one PNG per model).
//
// For your own model: replace the configuration or the block below, and the data (any LabeledImages: a table of
// d features is 1 x 1 x d "images"). A DL4J configuration's updater is replaced by each candidate's; give a
// convolutional one InputType.convolutionalFlat(height, width, channels), as examples arrive as flat rows.

org.rnnprop.examples.notebook.Notebook.setUp();

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import java.nio.file.Path;
import java.util.Locale;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.rnnprop.datasets.LabeledImages;
import org.rnnprop.datasets.Mnist;
import org.rnnprop.examples.compare.ComparisonResult;
import org.rnnprop.examples.compare.ModelUnderTest;
import org.rnnprop.examples.compare.OptimizerComparison;
import org.rnnprop.examples.notebook.Notebook;

long notebookStart = System.nanoTime();
LabeledImages train = Mnist.load(Mnist.Split.TRAIN).subset(0, Notebook.choose(60_000, 1_024));
LabeledImages test = Mnist.load(Mnist.Split.TEST).subset(0, Notebook.choose(2_000, 500));
Path out = Notebook.outputDirectory("is-rnnprop-better");

// The comparison, as you would set it up for your own model.
OptimizerComparison comparison() {
    OptimizerComparison.Builder b = OptimizerComparison.builder()
            .steps(Notebook.choose(150, 10))
            .seeds(Notebook.choose(3, 2));
    if (Notebook.quick()) {
        b.adamRates(1e-3, 1e-2);
    }
    return b.build(); // default learned optimizer: the shipped RNNprop; default sweep: 1e-4 to 1e-2
}
System.out.printf("Setting: %s. %s on %d training images; test on %d.%n", Notebook.settingName(),
        comparison().candidates().stream().map(c -> c.label()).toList(), train.numExamples(), test.numExamples());

// Model 1, Deeplearning4j: an MLP 784 -> 100 ReLU -> 10 with Xavier initialisation (79,510 parameters).
MultiLayerConfiguration mlp() {
    return new NeuralNetConfiguration.Builder()
            .dataType(DataType.FLOAT)
            .weightInit(WeightInit.XAVIER)
            .updater(new Adam(1e-3)) // replaced by each candidate's
            .list()
            .layer(new DenseLayer.Builder().nIn(784).nOut(100).activation(Activation.RELU).build())
            .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(100).nOut(10).activation(Activation.SOFTMAX).build())
            .build();
}

// Model 2, DJL: a small CNN, conv 3x3x16 -> ReLU -> max-pool -> dense 10 (27,210 parameters).
Block cnn() {
    return new SequentialBlock()
            .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(16).build())
            .add(ai.djl.nn.Activation::relu)
            .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
            .add(Blocks.batchFlattenBlock())
            .add(Linear.builder().setUnits(10).build());
}

void answer(ModelUnderTest model, String file) throws Exception {
    System.out.printf("%n== %s%n", model.name());
    ComparisonResult r = comparison().run(model, train, test);
    System.out.printf("%n%s, %s setting%n%s%n%s", model.name(), Notebook.settingName(), r.table(), r.verdict());
    r.writePlot(out.resolve(file));
    System.out.println("Wrote " + out.resolve(file));
}

answer(ModelUnderTest.dl4j("DL4J MLP 784-100-10", mlp()), "dl4j-mlp.png");
answer(ModelUnderTest.djl("DJL CNN conv16-pool-fc10", () -> cnn(), new Shape(1, 28, 28)), "djl-cnn.png");

System.out.printf(Locale.ROOT, "%nNotebook time: %.0f s (%s setting)%n", Notebook.secondsSince(notebookStart),
        Notebook.settingName());

/exit
