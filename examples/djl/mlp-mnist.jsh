// An MLP on MNIST in DJL, the classic way: Dataset, DefaultTrainingConfig and EasyTrain.fit; RNNprop against
// Adam, and the optimizer's state saved and restored across a stop.
// module: examples
//
// Run from the repository root (MNIST first: scripts/fetch-mnist.sh):
//
//     examples/run-notebook.sh examples/djl/mlp-mnist.jsh                           # full
//     RNNPROP_NOTEBOOK_QUICK=1 examples/run-notebook.sh examples/djl/mlp-mnist.jsh  # quick (what CI runs)
//
// Full: 3 epochs over the first 3,200 training images (25 minibatches per epoch), test accuracy on all 10,000
// after each epoch (sized for this project's shared 2-core machine; raise the numbers for a real run). Quick: 2 epochs
// over 512 images, 500 test images: it checks that everything runs, its numbers mean little. How long each took:
// docs/NOTEBOOKS.md. Writes notebook-output/djl-mlp-mnist/ (mlp-mnist.png, and the checkpoint of the stop).
//
// The network: 784 -> 128 ReLU -> 64 ReLU -> 10 (109,386 parameters), softmax cross-entropy, batch 128. Both
// optimizers start from the same initial parameters and see the same minibatches; only optOptimizer(...) changes.
// DJL saves a model's parameters but not its optimizer: RnnpropOptimizer.saveState / loadState do that, so a run
// stopped after any epoch resumes exactly where it was.

org.rnnprop.examples.notebook.Notebook.setUp();

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.metric.Metric;
import ai.djl.metric.Metrics;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.TrainingResult;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rnnprop.datasets.LabeledImages;
import org.rnnprop.datasets.Mnist;
import org.rnnprop.djl.RnnpropOptimizer;
import org.rnnprop.examples.data.ImageDatasets;
import org.rnnprop.examples.notebook.LinePlot;
import org.rnnprop.examples.notebook.Notebook;
import org.rnnprop.examples.notebook.TextTable;

long notebookStart = System.nanoTime();
int epochs = Notebook.choose(3, 2);
int stopAfter = 1; // the resumed run stops after this epoch and continues in fresh objects
int batchSize = 128;
int initSeed = 42;
LabeledImages trainImages = Mnist.load(Mnist.Split.TRAIN).subset(0, Notebook.choose(3_200, 512));
LabeledImages testImages = Mnist.load(Mnist.Split.TEST).subset(0, Notebook.choose(10_000, 500));
Path out = Notebook.outputDirectory("djl-mlp-mnist");
NDManager data = NDManager.newBaseManager();
ArrayDataset trainSet = ImageDatasets.arrayDataset(trainImages, data, batchSize, true, new Shape(784));
ArrayDataset testSet = ImageDatasets.arrayDataset(testImages, data, 1000, false, new Shape(784));
System.out.printf("Setting: %s. MLP 784-128-64-10, %d epochs over %d training images, batch %d; test on %d.%n",
        Notebook.settingName(), epochs, trainImages.numExamples(), batchSize, testImages.numExamples());

Block mlp() {
    return new SequentialBlock()
            .add(Linear.builder().setUnits(128).build()).add(Activation::relu)
            .add(Linear.builder().setUnits(64).build()).add(Activation::relu)
            .add(Linear.builder().setUnits(10).build());
}

// The classic DJL set-up. The training listeners record the loss of every minibatch (in Metrics) and the
// epoch's train loss and test accuracy (in the TrainingResult).
Trainer newTrainer(Model model, Optimizer optimizer) {
    DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
            .optOptimizer(optimizer)
            .addEvaluator(new Accuracy())
            .addTrainingListeners(TrainingListener.Defaults.basic());
    Trainer trainer = model.newTrainer(config);
    trainer.setMetrics(new Metrics());
    Engine.getInstance().setRandomSeed(initSeed); // the same initial parameters for every run
    trainer.initialize(new Shape(1, 784));
    return trainer;
}

class History {
    final List<Float> losses = new ArrayList<>();
    final List<Double> seconds = new ArrayList<>();
    final List<Double> accuracy = new ArrayList<>();
    final List<Double> trainLoss = new ArrayList<>();
}

// One epoch with EasyTrain.fit. Seeding DJL's random generator with the epoch number before it fixes the
// shuffle of that epoch, so every run (and a resumed one) sees the same minibatches.
void epoch(Trainer trainer, int e, History h) throws Exception {
    Engine.getInstance().setRandomSeed(1000 + e);
    long start = System.nanoTime();
    EasyTrain.fit(trainer, 1, trainSet, testSet);
    h.seconds.add(Notebook.secondsSince(start));
    TrainingResult r = trainer.getTrainingResult();
    h.accuracy.add((double) r.getValidateEvaluation("Accuracy"));
    h.trainLoss.add((double) r.getTrainLoss());
    for (Metric m : trainer.getMetrics().getMetric("train_all_" + trainer.getLoss().getName())) {
        h.losses.add(m.getValue().floatValue());
    }
    trainer.setMetrics(new Metrics()); // a fresh record for the next epoch
    System.out.printf(Locale.ROOT, "    epoch %d: %.1f s, train loss %.4f, test accuracy %.2f%%%n", e, h.seconds.get(h.seconds.size() - 1),
            h.trainLoss.get(h.trainLoss.size() - 1), 100 * h.accuracy.get(h.accuracy.size() - 1));
}

float[] parameters(Model model) {
    List<float[]> parts = new ArrayList<>();
    model.getBlock().getParameters().forEach(p -> parts.add(p.getValue().getArray().toFloatArray()));
    int n = parts.stream().mapToInt(a -> a.length).sum();
    float[] all = new float[n];
    int at = 0;
    for (float[] a : parts) {
        System.arraycopy(a, 0, all, at, a.length);
        at += a.length;
    }
    return all;
}

double largestDifference(float[] a, float[] b) {
    double d = 0;
    for (int i = 0; i < a.length; i++) {
        d = Math.max(d, Math.abs(a[i] - b[i]));
    }
    return d;
}

// Trains a fresh model for `epochs` epochs; returns its history and final parameters.
record Run(String label, History history, float[] finalParameters, float[] initialParameters) {}

Run train(String label, Optimizer optimizer) throws Exception {
    try (Model model = Model.newInstance("mlp")) {
        model.setBlock(mlp());
        try (Trainer trainer = newTrainer(model, optimizer)) {
            float[] init = parameters(model);
            System.out.printf("%n%s (%,d parameters)%n", label, init.length);
            History h = new History();
            for (int e = 1; e <= epochs; e++) {
                epoch(trainer, e, h);
            }
            return new Run(label, h, parameters(model), init);
        }
    }
}

List<Run> runs = new ArrayList<>();
runs.add(train("Adam 1e-3", Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build()));
try (RnnpropOptimizer rnnprop = RnnpropOptimizer.builder().optPretrained("rnnprop").build()) {
    runs.add(train("RNNprop", rnnprop)); // close() frees the optimizer's native state; Trainer does not
}
System.out.println("\nSame initial parameters for both: "
        + (largestDifference(runs.get(0).initialParameters(), runs.get(1).initialParameters()) == 0));

// The same RNNprop run, stopped after `stopAfter` epochs: parameters and optimizer state go to disk and every
// object is closed, as if the process ended. Then new objects load both and training goes on.
Path checkpoint = out.resolve("checkpoint");
Files.createDirectories(checkpoint);
History resumed = new History();
try (Model model = Model.newInstance("mlp"); RnnpropOptimizer rnnprop = RnnpropOptimizer.builder().optPretrained("rnnprop").build()) {
    model.setBlock(mlp());
    try (Trainer trainer = newTrainer(model, rnnprop)) {
        System.out.printf("%nRNNprop, stopped after epoch %d%n", stopAfter);
        for (int e = 1; e <= stopAfter; e++) {
            epoch(trainer, e, resumed);
        }
        model.save(checkpoint, "mlp");
        rnnprop.saveState(checkpoint.resolve("rnnprop-state.bin"), model.getBlock());
    }
}
float[] resumedParameters;
try (Model model = Model.newInstance("mlp"); RnnpropOptimizer rnnprop = RnnpropOptimizer.builder().optPretrained("rnnprop").build()) {
    model.setBlock(mlp());
    model.load(checkpoint, "mlp");
    rnnprop.loadState(checkpoint.resolve("rnnprop-state.bin"), model.getBlock());
    System.out.printf("  saved %s: parameters %,d bytes, optimizer state %,d bytes; loaded both into new objects%n",
            checkpoint, Files.size(checkpoint.resolve("mlp-0000.params")), Files.size(checkpoint.resolve("rnnprop-state.bin")));
    try (Trainer trainer = newTrainer(model, rnnprop)) { // initialize() keeps parameters that are already loaded
        for (int e = stopAfter + 1; e <= epochs; e++) {
            epoch(trainer, e, resumed);
        }
        resumedParameters = parameters(model);
    }
}
System.out.printf("  resumed run against the uninterrupted one: largest parameter difference %.3g after epoch %d%n",
        largestDifference(resumedParameters, runs.get(1).finalParameters()), epochs);

// The table: test accuracy per epoch, time per epoch, train loss of the last epoch.
{
    List<String> head = new ArrayList<>(List.of("optimizer"));
    for (int e = 1; e <= epochs; e++) {
        head.add("test acc. ep. " + e);
    }
    head.addAll(List.of("s per epoch", "last-epoch train loss"));
    TextTable table = new TextTable(head.toArray(String[]::new));
    List<Run> rows = new ArrayList<>(runs);
    rows.add(new Run("RNNprop, stopped and resumed", resumed, resumedParameters, null));
    for (Run r : rows) {
        List<String> row = new ArrayList<>(List.of(r.label()));
        r.history().accuracy.forEach(a -> row.add(String.format(Locale.ROOT, "%.2f%%", 100 * a)));
        row.add(String.format(Locale.ROOT, "%.1f", r.history().seconds.stream().mapToDouble(d -> d).average().orElse(0)));
        row.add(String.format(Locale.ROOT, "%.4f", r.history().trainLoss.get(epochs - 1)));
        table.row(row.toArray(String[]::new));
    }
    System.out.printf("%nMLP on MNIST (DJL), %s setting (seconds per epoch include the test pass)%n%s", Notebook.settingName(), table);
}

// The plot: smoothed loss per minibatch, and test accuracy per epoch.
{
    LinePlot loss = new LinePlot("MLP on MNIST (DJL): training loss", "minibatch", "loss, moving average of 20");
    LinePlot accuracy = new LinePlot("Test accuracy after each epoch", "epoch", "test accuracy");
    for (Run r : runs) {
        float[] l = new float[r.history().losses.size()];
        for (int i = 0; i < l.length; i++) {
            l[i] = r.history().losses.get(i);
        }
        loss.line(r.label(), LinePlot.smooth(l, 20));
        double[] ep = new double[epochs];
        double[] acc = new double[epochs];
        for (int e = 0; e < epochs; e++) {
            ep[e] = e + 1;
            acc[e] = r.history().accuracy.get(e);
        }
        accuracy.points(r.label(), ep, acc);
    }
    LinePlot.save(out.resolve("mlp-mnist.png"), loss, accuracy);
    System.out.println("Wrote " + out.resolve("mlp-mnist.png"));
}

data.close();
System.out.printf(Locale.ROOT, "%nNotebook time: %.0f s (%s setting)%n", Notebook.secondsSince(notebookStart),
        Notebook.settingName());

/exit
