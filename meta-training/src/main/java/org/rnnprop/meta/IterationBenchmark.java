package org.rnnprop.meta;

import ai.djl.ndarray.NDManager;
import java.util.Locale;
import org.rnnprop.datasets.Mnist;
import org.rnnprop.tasks.MlpTask;

/**
 * Times meta-training iterations of a recipe on real MNIST and prints a breakdown: optimizee gradients,
 * optimizer forward, meta-backward, other. Usage:
 * {@code IterationBenchmark [recipe] [iterations] [warm-up] [hand|autograd]}.
 */
public final class IterationBenchmark {
    private IterationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Recipe recipe = Recipe.fromId(args.length > 0 ? args[0] : "rnnprop");
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        MetaGradientMethod method = args.length > 3 ? MetaGradientMethod.fromId(args[3]) : MetaGradientMethod.HAND;
        try (NDManager manager = NDManager.newBaseManager()) {
            MlpTask base = MlpTask.base(Mnist.load(Mnist.Split.TRAIN), manager);
            MetaTrainer trainer = new MetaTrainer(TrainingConfig.paper(recipe, 1).withMetaGradient(method), base);
            for (int i = 0; i < warmup; i++) {
                trainer.runIteration(manager);
            }
            MetaTrainer.Timings before = snapshot(trainer.timings());
            for (int i = 0; i < iterations; i++) {
                trainer.runIteration(manager);
            }
            MetaTrainer.Timings t = trainer.timings();
            double n = iterations * 1e9;
            double total = (t.total - before.total) / n;
            double opt = (t.optimizee - before.optimizee) / n;
            double fwd = (t.optimizerForward - before.optimizerForward) / n;
            double bwd = (t.metaBackward - before.metaBackward) / n;
            System.out.printf(Locale.ROOT, "recipe %s, meta-gradient %s, %d timed iterations of %d steps (after %d "
                    + "warm-up), %d threads%n", recipe.id(), method.id(), iterations, trainer.config().steps(), warmup,
                    Runtime.getRuntime().availableProcessors());
            System.out.printf(Locale.ROOT, "seconds per iteration: %.3f%n", total);
            System.out.printf(Locale.ROOT, "  optimizee gradients  %.3f%n  optimizer forward    %.3f%n"
                    + "  meta-backward        %.3f%n  other                %.3f%n", opt, fwd, bwd,
                    total - opt - fwd - bwd);
        }
    }

    private static MetaTrainer.Timings snapshot(MetaTrainer.Timings t) {
        MetaTrainer.Timings s = new MetaTrainer.Timings();
        s.total = t.total;
        s.optimizee = t.optimizee;
        s.optimizerForward = t.optimizerForward;
        s.metaBackward = t.metaBackward;
        return s;
    }
}
