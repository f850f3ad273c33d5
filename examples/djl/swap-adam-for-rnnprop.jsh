// Swap Adam for RNNprop in a DJL model.
// module: examples
//
// Run (from any directory):
//
//     examples/run-notebook.sh examples/djl/swap-adam-for-rnnprop.jsh
//
// The launcher builds the examples module, which depends on djl-plugin and chooses the PyTorch CPU engine as an
// application does, puts it and its dependencies on jshell's class path and runs this file. Everything is synthetic and local: nothing is downloaded. It takes a few seconds.
//
// The only line that changes between the two runs below is `.optOptimizer(...)`.
// The learned optimizer is the shipped "rnnprop" (Pretrained.names() lists every shipped one; its model card,
// Pretrained.modelCard("rnnprop"), says how it was made). The data are synthetic, to keep this a first look:
// the notebooks listed in the README train real networks on MNIST.

// Before the engine starts: never try to download anything.
System.setProperty("ai.djl.offline", "true");

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.rnnprop.djl.RnnpropOptimizer;

// Synthetic data: 256 points in 4 dimensions around 3 class centres.
NDManager manager = NDManager.newBaseManager();
NDArray features;
NDArray labels;
{
    Random r = new Random(1);
    int n = 256;
    float[] x = new float[n * 4];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
        int c = i % 3;
        y[i] = c;
        for (int j = 0; j < 4; j++) {
            x[i * 4 + j] = (float) (r.nextGaussian() + (j == c ? 2.0 : 0.0));
        }
    }
    features = manager.create(x, new Shape(n, 4));
    labels = manager.create(y, new Shape(n));
}

// The same network and the same initial weights (same seed) for both optimizers.
Trainer trainer(Model model, Optimizer optimizer) {
    model.setBlock(new SequentialBlock()
            .add(Linear.builder().setUnits(16).build())
            .add(Activation::tanh)
            .add(Linear.builder().setUnits(3).build()));
    Trainer t = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(optimizer));
    Engine.getInstance().setRandomSeed(123);
    t.initialize(new Shape(1, 4));
    return t;
}

float[] parameters(Model model) {
    return model.getBlock().getParameters().values().stream()
            .map(p -> p.getArray().toFloatArray())
            .reduce(new float[0], (a, b) -> {
                float[] c = java.util.Arrays.copyOf(a, a.length + b.length);
                System.arraycopy(b, 0, c, a.length, b.length);
                return c;
            });
}

// Full-batch steps with a hand-written loop; prints the loss of each step and the largest parameter move.
void train(String label, Optimizer optimizer, int steps) {
    try (Model model = Model.newInstance("swap"); Trainer t = trainer(model, optimizer)) {
        System.out.printf("%n%s (%d parameters)%n", label, parameters(model).length);
        for (int s = 0; s < steps; s++) {
            float[] before = parameters(model);
            float loss;
            try (NDManager batch = t.getManager().newSubManager(); GradientCollector gc = t.newGradientCollector()) {
                NDArray x = features.duplicate();
                x.attach(batch);
                NDArray y = labels.duplicate();
                y.attach(batch);
                NDArray l = t.getLoss().evaluate(new NDList(y), t.forward(new NDList(x)));
                gc.backward(l);
                loss = l.getFloat();
            }
            t.step();
            float[] after = parameters(model);
            double move = 0;
            for (int i = 0; i < before.length; i++) {
                move = Math.max(move, Math.abs(after[i] - before[i]));
            }
            System.out.printf("  step %2d  loss %.4f  largest parameter move %.4f%n", s + 1, loss, move);
        }
    }
}

int steps = 15;

train("Adam, learning rate 0.01", Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.01f)).build(), steps);

String name = "rnnprop";
RnnpropOptimizer rnnprop = RnnpropOptimizer.builder().optPretrained(name).build();
train("RnnpropOptimizer, pretrained \"" + name + "\"", rnnprop, steps);

// What happened on the RNNprop side, and how to keep it.
{
    System.out.printf("%nWhat happened:%n");
    System.out.printf("  optimizer: %s%n", rnnprop.weights());
    System.out.printf("  no learning rate to tune; the step bound is alpha = %.2f (scale it with optAlphaScale(tracker))%n",
            rnnprop.weights().hyperparameters().alpha());
    System.out.printf("  state: %d floats per parameter coordinate (Adam keeps 2)%n", rnnprop.weights().stateWidth());
    System.out.printf("  gradient coordinates skipped for NaN/Inf: %d%n", rnnprop.skippedCoordinates());

    // DJL saves parameters only; the optimizer's state is saved beside them, by parameter name.
    try (RnnpropOptimizer opt = RnnpropOptimizer.builder().optPretrained(name).build();
            Model model = Model.newInstance("saved"); Trainer t = trainer(model, opt)) {
        try (NDManager batch = t.getManager().newSubManager(); GradientCollector gc = t.newGradientCollector()) {
            NDArray x = features.duplicate();
            x.attach(batch);
            NDArray y = labels.duplicate();
            y.attach(batch);
            gc.backward(t.getLoss().evaluate(new NDList(y), t.forward(new NDList(x))));
        }
        t.step();
        Path dir = Files.createTempDirectory("rnnprop-djl");
        model.save(dir, "swap");
        opt.saveState(dir.resolve("optimizer.state"), model.getBlock());
        System.out.printf("  saved model and optimizer state after 1 step: %d bytes of optimizer state%n",
                Files.size(dir.resolve("optimizer.state")));
        System.out.printf("  to resume: model.load(dir, \"swap\"); optimizer.loadState(dir.resolve(\"optimizer.state\"), model.getBlock())%n");
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}

rnnprop.close();
manager.close();

/exit
