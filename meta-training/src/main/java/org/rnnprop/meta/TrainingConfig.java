package org.rnnprop.meta;

import org.rnnprop.tasks.optim.AlphaSchedule;

/**
 * Everything that defines a meta-training run; stored in its checkpoint so a resumed run is the same run.
 *
 * @param recipe the recipe
 * @param seed seed of every random draw (network initialisation, tasks, minibatches)
 * @param metaLearningRate meta-Adam's learning rate (the paper: 1e-4)
 * @param steps optimizee steps per iteration (100)
 * @param unroll steps per truncated period, one meta-update each (20)
 * @param scaleF Random Scaling range k for the MLP (3)
 * @param scaleG Random Scaling range k for the convex term (1)
 * @param convexDimension coordinates of the convex term (20)
 * @param batchSize optimizee minibatch size (128)
 * @param metaGradientClip largest L2 norm of a period's meta-gradient before meta-Adam sees it, larger ones
 *     scaled down to it; 0 for none (the paper has none). Guards against the spikes that freeze meta-Adam
 *     (see {@link MetaAdam#relativeSteps()}).
 * @param longHorizon the long-horizon settings, for the recipes that use them ({@link Recipe#longHorizon()}),
 *     else null; with them, {@code steps} is unused (the curriculum sets each trajectory's length)
 * @param metaGradient how the meta-gradients are computed (the same values up to float rounding; a speed choice)
 */
public record TrainingConfig(Recipe recipe, long seed, double metaLearningRate, int steps, int unroll,
        double scaleF, double scaleG, int convexDimension, int batchSize, double metaGradientClip,
        LongHorizon longHorizon, MetaGradientMethod metaGradient) {

    /**
     * The specification's values for a recipe (and the long-horizon defaults for the recipes that use them), with
     * the hand-written meta-gradient.
     */
    public static TrainingConfig paper(Recipe recipe, long seed) {
        return new TrainingConfig(recipe, seed, 1e-4, 100, 20, 3, 1, 20, 128, 0,
                recipe.longHorizon() ? LongHorizon.defaults() : null, MetaGradientMethod.HAND);
    }

    public TrainingConfig {
        if (metaGradient == null) {
            throw new IllegalArgumentException("metaGradient must be given (hand, autograd or es)");
        }
        if (metaGradient == MetaGradientMethod.ES && longHorizon == null) {
            throw new IllegalArgumentException("meta-gradient es runs whole trajectories: it needs the long-horizon "
                    + "recipe (rnnprop-long), not " + recipe.id());
        }
        if (steps <= 0 || unroll < 2 || steps % unroll != 0) {
            throw new IllegalArgumentException("steps (" + steps + ") must be a positive multiple of unroll ("
                    + unroll + "), and unroll at least 2");
        }
        if (!(metaLearningRate > 0) || Double.isInfinite(metaLearningRate)) {
            throw new IllegalArgumentException("metaLearningRate must be positive and finite, got " + metaLearningRate);
        }
        if (!(metaGradientClip >= 0) || Double.isInfinite(metaGradientClip)) {
            throw new IllegalArgumentException("metaGradientClip must be 0 (none) or a positive finite norm, got "
                    + metaGradientClip);
        }
        if (recipe.longHorizon() != (longHorizon != null)) {
            throw new IllegalArgumentException("recipe " + recipe.id() + (recipe.longHorizon()
                    ? " needs long-horizon settings" : " takes no long-horizon settings"));
        }
        if (longHorizon != null) {
            longHorizon.requireMultiplesOf(unroll);
            if (longHorizon.alphaSchedule() != AlphaSchedule.CONSTANT && metaGradient != MetaGradientMethod.ES) {
                throw new IllegalArgumentException("an alpha schedule (" + longHorizon.alphaSchedule().id() + ") "
                        + "spans whole trajectories: it needs meta-gradient es, not " + metaGradient.id());
            }
        }
    }

    /** The truncations' meta-loss: the long-horizon settings' when there are any, else the recipe's. */
    public Recipe.Objective objective() {
        return longHorizon == null ? recipe.objective() : longHorizon.objective();
    }

    /** The same run with another meta-learning rate. */
    public TrainingConfig withMetaLearningRate(double lr) {
        return new TrainingConfig(recipe, seed, lr, steps, unroll, scaleF, scaleG, convexDimension, batchSize,
                metaGradientClip, longHorizon, metaGradient);
    }

    /** The same run with other long-horizon settings. */
    public TrainingConfig withLongHorizon(LongHorizon settings) {
        return new TrainingConfig(recipe, seed, metaLearningRate, steps, unroll, scaleF, scaleG, convexDimension,
                batchSize, metaGradientClip, settings, metaGradient);
    }

    /** The same run with another meta-gradient clipping norm (0: none). */
    public TrainingConfig withMetaGradientClip(double clip) {
        return new TrainingConfig(recipe, seed, metaLearningRate, steps, unroll, scaleF, scaleG, convexDimension,
                batchSize, clip, longHorizon, metaGradient);
    }

    /** The same run with its meta-gradients computed by {@code method}. */
    public TrainingConfig withMetaGradient(MetaGradientMethod method) {
        return new TrainingConfig(recipe, seed, metaLearningRate, steps, unroll, scaleF, scaleG, convexDimension,
                batchSize, metaGradientClip, longHorizon, method);
    }

    /** The same run with other lengths (for tests and quick looks). */
    public TrainingConfig withSteps(int newSteps, int newUnroll) {
        return new TrainingConfig(recipe, seed, metaLearningRate, newSteps, newUnroll, scaleF, scaleG,
                convexDimension, batchSize, metaGradientClip, longHorizon, metaGradient);
    }
}
