// Choosing RNNprop's step bound on a CNN: the default against alpha scale 0.5 and a cosine-decayed schedule,
// over a run longer than the 100 steps RNNprop was meta-trained on. DJL, where the bound takes any schedule.
// module: examples
//
// Run from the repository root (MNIST first: scripts/fetch-mnist.sh):
//
//     examples/run-notebook.sh examples/djl/choosing-the-step-bound.jsh                           # full
//     RNNPROP_NOTEBOOK_QUICK=1 examples/run-notebook.sh examples/djl/choosing-the-step-bound.jsh  # quick (CI)
//
// Full: 200 steps of batch 128 (twice the 100 steps RNNprop was meta-trained on), 3 seeds, test accuracy on
// the first 2,000 test images (sized for this project's shared 2-core machine). Quick: 10 steps on 2,048 images, 2 seeds, 500 test images: it checks that everything runs,
// its numbers mean little. How long each took: docs/NOTEBOOKS.md. Writes notebook-output/step-bound/step-bound.png.
//
// RNNprop bounds every coordinate's step by alpha = 0.1 times a scale. The scale is a DJL ParameterTracker:
//     RnnpropOptimizer.builder().optAlphaScale(0.5f)                                   // fixed
//     RnnpropOptimizer.builder().optAlphaScale(CosineTracker.builder()...build())      // any DJL schedule
// (Deeplearning4j: Rnnprop.pretrained("rnnprop").withAlphaScale(0.5), or withAlphaScaleSchedule(any ISchedule),
// e.g. the plugin's CosineSchedule).
// The network is the evaluation's deeper MNIST CNN (conv16-conv16-pool-conv32-conv32-pool-fc64-fc10, ReLU), on
// which the default bound left 2 of 30 runs at chance level in docs/RESULTS.md.

org.rnnprop.examples.notebook.Notebook.setUp();

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.tracker.CosineTracker;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.rnnprop.datasets.LabeledImages;
import org.rnnprop.datasets.Mnist;
import org.rnnprop.examples.compare.Candidate;
import org.rnnprop.examples.compare.ComparisonResult;
import org.rnnprop.examples.compare.ModelUnderTest;
import org.rnnprop.examples.compare.OptimizerComparison;
import org.rnnprop.examples.compare.PairedDifference;
import org.rnnprop.examples.notebook.Notebook;
import org.rnnprop.examples.notebook.TextTable;

long notebookStart = System.nanoTime();
int steps = Notebook.choose(200, 10);
int seeds = Notebook.choose(3, 2);
int window = Notebook.choose(20, 3); // a run's score: its mean training loss over the last `window` steps
LabeledImages train = Mnist.load(Mnist.Split.TRAIN).subset(0, Notebook.choose(60_000, 2_048));
LabeledImages test = Mnist.load(Mnist.Split.TEST).subset(0, Notebook.choose(2_000, 500));
Path out = Notebook.outputDirectory("step-bound");
System.out.printf("Setting: %s. Deeper CNN, %d steps of batch 128 on %d training images, %d seeds; test on %d.%n",
        Notebook.settingName(), steps, train.numExamples(), seeds, test.numExamples());

Block conv(int filters) {
    return Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(filters).build();
}

Block cnn() {
    return new SequentialBlock()
            .add(conv(16)).add(Activation::relu).add(conv(16)).add(Activation::relu)
            .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
            .add(conv(32)).add(Activation::relu).add(conv(32)).add(Activation::relu)
            .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
            .add(Blocks.batchFlattenBlock())
            .add(Linear.builder().setUnits(64).build()).add(Activation::relu)
            .add(Linear.builder().setUnits(10).build());
}

// The three bounds, and Adam for reference at 2^-7, the rate tuned for this CNN in the evaluation (at 100 steps).
Candidate.Learned byDefault = Candidate.rnnprop();
Candidate.Learned half = byDefault.withAlphaScale(0.5);
Candidate.Learned cosine = byDefault.withAlphaSchedule("alpha cosine x1 to x0.1",
        CosineTracker.builder().setBaseValue(1f).optFinalValue(0.1f).setMaxUpdates(steps).build());
List<Candidate.Learned> bounds = List.of(byDefault, half, cosine);

ComparisonResult compare() {
    return OptimizerComparison.builder()
            .steps(steps).seeds(seeds).finalWindow(window)
            .learned(byDefault, half, cosine)
            .adamRates(0x1p-7)
            .build()
            .run(ModelUnderTest.djl("deeper CNN", () -> cnn(), new Shape(1, 28, 28)), train, test);
}
ComparisonResult result = compare();

// A run whose final loss is above 2.0 did not learn: chance level is ln 10 = 2.30.
int stuck(Candidate c) {
    int n = 0;
    for (double f : result.finalLosses(c)) {
        n += !(f < 2.0) ? 1 : 0;
    }
    return n;
}

{
    System.out.printf("%nDeeper CNN on MNIST (DJL), %d steps, %d seeds, %s setting%n%s", steps, seeds,
            Notebook.settingName(), result.table());
    TextTable t = new TextTable("step bound", "runs stuck at chance", "difference to the default bound (paired)");
    for (Candidate.Learned b : bounds) {
        t.row(b.label(), stuck(b) + " of " + seeds, b == byDefault ? "-" : result.paired(b, byDefault).toString());
    }
    System.out.printf("%n%s", t);
    System.out.printf("%nAgainst Adam:%n%s", result.verdict());
}

// The advice that follows from these numbers.
{
    Candidate.Learned best = bounds.stream()
            .min(java.util.Comparator.comparingDouble(b -> { double m = result.meanFinalLoss(b); return Double.isFinite(m) ? m : Double.POSITIVE_INFINITY; }))
            .orElseThrow();
    System.out.printf("%nLowest mean final loss: %s (%.4f).%n", best.label(), result.meanFinalLoss(best));
    for (Candidate.Learned b : List.of(half, cosine)) {
        PairedDifference d = result.paired(b, byDefault);
        System.out.printf("  %s against the default: %s%n", b.label(), d.sign() < 0 ? "lower (paired t-test, p < 0.05)"
                : d.sign() > 0 ? "higher (p < 0.05)" : "no significant difference (p >= 0.05) with " + seeds + " seeds");
    }
    System.out.printf("  runs stuck at chance: default %d, x0.5 %d, cosine %d (of %d)%n", stuck(byDefault), stuck(half),
            stuck(cosine), seeds);
    PairedDifference bestAgainstDefault = best == byDefault ? null : result.paired(best, byDefault);
    String advice = best == byDefault ? "keep the default bound: neither alternative scored lower"
            : bestAgainstDefault.sign() < 0 ? "use " + best.label() + ": its final loss is lower than the default's (p < 0.05)"
            : stuck(best) < stuck(byDefault) ? "prefer " + best.label() + ": its mean is lower and it avoided the stuck runs of the default, though with "
                    + seeds + " seeds the difference is not significant"
            : "either bound: the differences are within the noise of " + seeds + " seeds";
    System.out.println("  Advice from these numbers: " + advice + ".");
}

result.writePlot(out.resolve("step-bound.png"));
System.out.println("Wrote " + out.resolve("step-bound.png"));
System.out.printf(Locale.ROOT, "%nNotebook time: %.0f s (%s setting)%n", Notebook.secondsSince(notebookStart),
        Notebook.settingName());

/exit
