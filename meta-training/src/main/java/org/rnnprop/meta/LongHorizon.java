package org.rnnprop.meta;

import java.util.Arrays;
import java.util.List;
import org.rnnprop.tasks.optim.AlphaSchedule;

/**
 * The settings of the long-horizon recipe ({@code rnnprop-long}) beyond the paper's: each iteration trains one
 * trajectory of an optimizee drawn from {@link TaskFamily}, as truncated periods of {@code unroll} steps with
 * the parameters and optimizer state carried between them; the trajectory's length is set by a
 * {@link Curriculum} over {@code lengths}.
 *
 * @param lengths trajectory lengths of the curriculum's stages, increasing multiples of the unroll
 * @param patience validations without improvement at the next stage's length before the curriculum advances
 * @param metaCoordinates coordinates drawn per period for the meta-gradient (0: all). The surrogate is a sum
 *     over coordinates, each depending on the weights only through its own LSTM trajectory, so a uniform sample
 *     scaled by N / n is an unbiased estimate at a fraction of the cost; the full trajectory still runs.
 * @param blowUpFactor a trajectory whose loss exceeds this multiple of its first loss (or is not finite) ends
 *     there, its periods so far kept, the rest skipped
 * @param validationRuns seeds per validation task at each curriculum check
 * @param validateEvery optimizee steps of training between curriculum checks (a check follows the iteration
 *     that reaches it), so checks cost the same share of the time at every stage
 * @param imitationFraction the share of trajectories trained by imitation instead (0: none): Adam at
 *     {@code imitationLearningRate} moves the parameters, and the meta-loss is the mean squared difference,
 *     in units of the step bound, between the learned optimizer's steps and Adam's along Adam's trajectory
 * @param imitationLearningRate the learning rate of the Adam imitated
 * @param objective the truncations' meta-loss (the recipe's: {@link Recipe.Objective#MEAN_LOG_LOSS}); another
 *     one is for ablations
 * @param optimizees what each trajectory trains: the whole {@link TaskFamily}, or only the base MLP (an
 *     ablation); Random Scaling and the convex term are drawn either way
 * @param esPairs with {@link MetaGradientMethod#ES}: antithetic pairs of trajectories per meta-update, each pair
 *     on an optimizee of its own
 * @param esSigma with {@link MetaGradientMethod#ES}: the standard deviation of the weights' perturbations
 * @param esTensors with {@link MetaGradientMethod#ES}: the tensors perturbed and trained (empty: all). Fewer
 *     dimensions give a less noisy estimate from the same runs: the estimate's alignment with the gradient grows
 *     like the square root of pairs over dimensions
 * @param alphaSchedule with {@link MetaGradientMethod#ES}: how alpha is scaled over each whole trajectory, in
 *     training and in the curriculum's checks, for weights meant to be used with that schedule over a run's
 *     planned steps (a user's {@code optAlphaScale} or {@code withAlphaScale}); {@link AlphaSchedule#CONSTANT}
 *     for weights used as they are
 */
public record LongHorizon(int[] lengths, int patience, int metaCoordinates, double blowUpFactor,
        int validationRuns, int validateEvery, double imitationFraction, double imitationLearningRate,
        Recipe.Objective objective, Optimizees optimizees, int esPairs, double esSigma,
        List<String> esTensors, AlphaSchedule alphaSchedule) {

    /** Pairs per meta-update of evolution strategies unless told otherwise: one per core of a small machine. */
    public static final int DEFAULT_ES_PAIRS = 2;

    /** The perturbation scale of evolution strategies unless told otherwise (the weights are of order 0.1 to 1). */
    public static final double DEFAULT_ES_SIGMA = 0.01;

    /** Settings with the default evolution-strategies settings. */
    public LongHorizon(int[] lengths, int patience, int metaCoordinates, double blowUpFactor,
            int validationRuns, int validateEvery, double imitationFraction, double imitationLearningRate,
            Recipe.Objective objective, Optimizees optimizees) {
        this(lengths, patience, metaCoordinates, blowUpFactor, validationRuns, validateEvery, imitationFraction,
                imitationLearningRate, objective, optimizees, DEFAULT_ES_PAIRS, DEFAULT_ES_SIGMA, List.of(),
                AlphaSchedule.CONSTANT);
    }

    /** What the trajectories of a long-horizon run train. */
    public enum Optimizees {
        /** One network drawn from {@link TaskFamily} per trajectory. */
        FAMILY,
        /** The specification's base MLP every time, as the paper's recipes do. */
        BASE_MLP
    }

    /** Settings with the recipe's objective and the whole family. */
    public LongHorizon(int[] lengths, int patience, int metaCoordinates, double blowUpFactor, int validationRuns,
            int validateEvery, double imitationFraction, double imitationLearningRate) {
        this(lengths, patience, metaCoordinates, blowUpFactor, validationRuns, validateEvery, imitationFraction,
                imitationLearningRate, Recipe.Objective.MEAN_LOG_LOSS, Optimizees.FAMILY);
    }

    /** The learning rate imitated unless told otherwise: 2^-6, between the tuned rates of the paper's tests. */
    public static final double DEFAULT_IMITATION_LEARNING_RATE = Math.pow(2, -6);

    /** Settings without imitation. */
    public LongHorizon(int[] lengths, int patience, int metaCoordinates, double blowUpFactor, int validationRuns,
            int validateEvery) {
        this(lengths, patience, metaCoordinates, blowUpFactor, validationRuns, validateEvery, 0,
                DEFAULT_IMITATION_LEARNING_RATE);
    }

    /** The stages the long-horizon recipe uses unless told otherwise. */
    public static final int[] DEFAULT_LENGTHS = {100, 200, 500, 1000, 2000, 5000};

    /**
     * Defaults: the stages above, patience 3, 4,096 meta-gradient coordinates, blow-up at 10x, one validation
     * seed per task every 10,000 training steps.
     */
    public static LongHorizon defaults() {
        return new LongHorizon(DEFAULT_LENGTHS, 3, 4096, 10, 1, 10_000);
    }

    public LongHorizon {
        lengths = lengths.clone();
        if (lengths.length == 0) {
            throw new IllegalArgumentException("the curriculum needs at least one trajectory length");
        }
        for (int i = 0; i < lengths.length; i++) {
            if (lengths[i] <= 0 || (i > 0 && lengths[i] <= lengths[i - 1])) {
                throw new IllegalArgumentException("curriculum lengths must be positive and increasing, got "
                        + Arrays.toString(lengths));
            }
        }
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be at least 1, got " + patience);
        }
        if (metaCoordinates < 0) {
            throw new IllegalArgumentException("metaCoordinates must be 0 (all) or positive, got " + metaCoordinates);
        }
        if (!(blowUpFactor > 1) || Double.isInfinite(blowUpFactor)) {
            throw new IllegalArgumentException("blowUpFactor must be a finite number above 1, got " + blowUpFactor);
        }
        if (!(imitationFraction >= 0 && imitationFraction <= 1)) {
            throw new IllegalArgumentException("imitationFraction must be in [0, 1], got " + imitationFraction);
        }
        if (!(imitationLearningRate > 0) || Double.isInfinite(imitationLearningRate)) {
            throw new IllegalArgumentException("imitationLearningRate must be positive and finite, got "
                    + imitationLearningRate);
        }
        if (objective == null || optimizees == null || alphaSchedule == null) {
            throw new IllegalArgumentException("objective, optimizees and alphaSchedule must be given");
        }
        if (esPairs < 1 || !(esSigma > 0) || Double.isInfinite(esSigma)) {
            throw new IllegalArgumentException("esPairs must be at least 1 and esSigma positive and finite, got "
                    + esPairs + " and " + esSigma);
        }
        esTensors = List.copyOf(esTensors);
        if (validationRuns < 1 || validateEvery < 1) {
            throw new IllegalArgumentException("validationRuns and validateEvery must be at least 1, got "
                    + validationRuns + " and " + validateEvery);
        }
    }

    @Override
    public int[] lengths() {
        return lengths.clone();
    }

    /** The same settings with other stage lengths. */
    public LongHorizon withLengths(int[] newLengths) {
        return new LongHorizon(newLengths, patience, metaCoordinates, blowUpFactor, validationRuns, validateEvery,
                imitationFraction, imitationLearningRate, objective, optimizees,
                esPairs, esSigma, esTensors, alphaSchedule);
    }

    /** The same settings with another meta-gradient coordinate sample (0: all). */
    public LongHorizon withMetaCoordinates(int n) {
        return new LongHorizon(lengths, patience, n, blowUpFactor, validationRuns, validateEvery, imitationFraction,
                imitationLearningRate, objective, optimizees, esPairs, esSigma, esTensors, alphaSchedule);
    }

    /** The same settings with another validation cadence. */
    public LongHorizon withValidation(int runs, int every, int newPatience) {
        return new LongHorizon(lengths, newPatience, metaCoordinates, blowUpFactor, runs, every, imitationFraction,
                imitationLearningRate, objective, optimizees, esPairs, esSigma, esTensors, alphaSchedule);
    }

    /** The same settings with imitation of Adam at {@code learningRate} in a {@code fraction} of trajectories. */
    public LongHorizon withImitation(double fraction, double learningRate) {
        return new LongHorizon(lengths, patience, metaCoordinates, blowUpFactor, validationRuns, validateEvery,
                fraction, learningRate, objective, optimizees, esPairs, esSigma, esTensors, alphaSchedule);
    }

    /** The same settings with another objective and set of optimizees (for ablations). */
    public LongHorizon withAblation(Recipe.Objective newObjective, Optimizees newOptimizees) {
        return new LongHorizon(lengths, patience, metaCoordinates, blowUpFactor, validationRuns, validateEvery,
                imitationFraction, imitationLearningRate, newObjective, newOptimizees,
                esPairs, esSigma, esTensors, alphaSchedule);
    }

    /**
     * The same settings with {@code pairs} antithetic pairs per meta-update at perturbation scale {@code sigma},
     * perturbing {@code tensors} (empty: all).
     */
    public LongHorizon withEvolution(int pairs, double sigma, List<String> tensors) {
        return new LongHorizon(lengths, patience, metaCoordinates, blowUpFactor, validationRuns, validateEvery,
                imitationFraction, imitationLearningRate, objective, optimizees, pairs, sigma, tensors, alphaSchedule);
    }

    /** The same settings with alpha scaled by {@code schedule} over each whole trajectory. */
    public LongHorizon withAlphaSchedule(AlphaSchedule schedule) {
        return new LongHorizon(lengths, patience, metaCoordinates, blowUpFactor, validationRuns, validateEvery,
                imitationFraction, imitationLearningRate, objective, optimizees, esPairs, esSigma, esTensors, schedule);
    }

    /** Checks that every length is a multiple of the unroll. */
    void requireMultiplesOf(int unroll) {
        for (int l : lengths) {
            if (l % unroll != 0) {
                throw new IllegalArgumentException("curriculum length " + l + " is not a multiple of the unroll ("
                        + unroll + ")");
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LongHorizon h && Arrays.equals(lengths, h.lengths) && patience == h.patience
                && metaCoordinates == h.metaCoordinates && blowUpFactor == h.blowUpFactor
                && validationRuns == h.validationRuns && validateEvery == h.validateEvery
                && imitationFraction == h.imitationFraction && imitationLearningRate == h.imitationLearningRate
                && objective == h.objective && optimizees == h.optimizees && esPairs == h.esPairs
                && esSigma == h.esSigma && esTensors.equals(h.esTensors) && alphaSchedule == h.alphaSchedule;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(lengths) * 31 + java.util.Objects.hash(patience, metaCoordinates, blowUpFactor,
                validationRuns, validateEvery, imitationFraction, imitationLearningRate, objective, optimizees,
                esPairs, esSigma, esTensors, alphaSchedule);
    }

    @Override
    public String toString() {
        return "lengths " + Arrays.toString(lengths) + ", patience " + patience + ", meta-gradient coordinates "
                + (metaCoordinates == 0 ? "all" : metaCoordinates) + ", blow-up at " + blowUpFactor
                + "x the first loss, " + validationRuns + " validation seeds per task every " + validateEvery
                + " training steps" + (imitationFraction == 0 ? "" : ", imitation of Adam "
                + imitationLearningRate + " in " + imitationFraction + " of trajectories")
                + (objective == Recipe.Objective.MEAN_LOG_LOSS ? "" : ", objective " + objective)
                + (optimizees == Optimizees.FAMILY ? "" : ", optimizees " + optimizees)
                + (esPairs == DEFAULT_ES_PAIRS && esSigma == DEFAULT_ES_SIGMA && esTensors.isEmpty() ? ""
                        : ", evolution strategies " + esPairs + " pairs at sigma " + esSigma
                                + (esTensors.isEmpty() ? "" : " on " + String.join(",", esTensors)))
                + (alphaSchedule == AlphaSchedule.CONSTANT ? "" : ", alpha scaled by a " + alphaSchedule.id()
                        + " over each trajectory");
    }
}
