package org.rnnprop.evaluation;

import java.util.function.Supplier;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.tasks.optim.FlatOptimizer;
import org.rnnprop.tasks.optim.LearnedOptimizer;
import org.rnnprop.tasks.optim.TensorFlowAdam;

/**
 * One optimizer configuration the suite runs: a tuned baseline at one grid point, Adam at its usual 1e-3, or a
 * learned optimizer from a weight file.
 *
 * @param key stable identity in the result cache: the algorithm and its learning rate, or for a learned
 *     optimizer its role and the checksum of its weights (so new weights never reuse old results)
 * @param label name in tables and plots
 * @param baseline the tuned algorithm, or null
 * @param halfExponent the grid point of a tuned baseline ({@code lr = 2^(k/2)}), else 0
 * @param factory makes a fresh optimizer for one run
 */
public record Contender(String key, String label, Baseline baseline, int halfExponent,
        Supplier<FlatOptimizer> factory) {

    /** Adam's usual fixed learning rate, compared without tuning. */
    public static final double ADAM_DEFAULT_LR = 1e-3;
    /** Key of Adam at 1e-3. */
    public static final String ADAM_DEFAULT_KEY = "adam-1e-3";

    /** A tuned baseline at grid point {@code k}. */
    public static Contender baseline(Baseline b, int k) {
        return new Contender(b.id() + "@" + k, b.label() + " " + Baseline.formatRate(k), b, k,
                () -> b.create(Baseline.learningRate(k)));
    }

    /** Adam at 1e-3. */
    public static Contender adamDefault() {
        return new Contender(ADAM_DEFAULT_KEY, "Adam 1e-3", null, 0, () -> new TensorFlowAdam(ADAM_DEFAULT_LR));
    }

    /** A learned optimizer playing {@code role} with {@code weights}. */
    public static Contender learned(LearnedRole role, OptimizerWeights weights) {
        String key = role.id() + "#" + weights.checksum().substring(0, 12);
        return new Contender(key, role.label(), null, 0, () -> new LearnedOptimizer(weights, role.id()));
    }

    /** Whether this is a point of a tuned baseline's grid. */
    public boolean tuned() {
        return baseline != null;
    }
}
