package org.rnnprop.evaluation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Supplier;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.tasks.optim.AlphaSchedule;
import org.rnnprop.tasks.optim.FlatOptimizer;
import org.rnnprop.tasks.optim.LearnedOptimizer;
import org.rnnprop.tasks.optim.TensorFlowAdam;

/**
 * One optimizer configuration the suite runs: a tuned baseline at one grid point, Adam at its usual 1e-3, a
 * learned optimizer from a weight file (as is, or with a cosine-decayed step bound), or other weights compared
 * beside them.
 *
 * @param key stable identity in the result cache: the algorithm and its learning rate, or for a learned
 *     optimizer its role, its kind, a hash of its hyperparameters and the checksum of its tensors (so other
 *     weights, or the same tensors run with other hyperparameters, never reuse old results)
 * @param label name in tables and plots
 * @param baseline the tuned algorithm, or null
 * @param halfExponent the grid point of a tuned baseline ({@code lr = 2^(k/2)}), else 0
 * @param weights a learned optimizer's weights (their provenance says how long they were meta-trained), else
 *     null
 * @param factory makes a fresh optimizer for one run
 */
public record Contender(String key, String label, Baseline baseline, int halfExponent, OptimizerWeights weights,
        Supplier<FlatOptimizer> factory) {

    /** Adam's usual fixed learning rate, compared without tuning. */
    public static final double ADAM_DEFAULT_LR = 1e-3;
    /** Key of Adam at 1e-3. */
    public static final String ADAM_DEFAULT_KEY = "adam-1e-3";

    /** A tuned baseline at grid point {@code k}. */
    public static Contender baseline(Baseline b, int k) {
        return new Contender(b.id() + "@" + k, b.label() + " " + Baseline.formatRate(k), b, k, null,
                () -> b.create(Baseline.learningRate(k)));
    }

    /** Adam at 1e-3. */
    public static Contender adamDefault() {
        return new Contender(ADAM_DEFAULT_KEY, "Adam 1e-3", null, 0, null, () -> new TensorFlowAdam(ADAM_DEFAULT_LR));
    }

    /** Label of the horizon-aware RNNprop. */
    public static final String COSINE_LABEL = "RNNprop cosine";
    /** Suffix of the horizon-aware contender's key after its weights' key. */
    static final String COSINE_SUFFIX = "~cosine";
    /** Prefix of the keys of other weights compared with the roles ({@link #candidate}). */
    static final String CANDIDATE_PREFIX = "candidate";

    /** A learned optimizer playing {@code role} with {@code weights}. */
    public static Contender learned(LearnedRole role, OptimizerWeights weights) {
        return new Contender(learnedKey(role, weights), role.label(), null, 0, weights,
                () -> new LearnedOptimizer(weights, role.id()));
    }

    /**
     * The horizon-aware user-level baseline: {@code weights} with their alpha scale decayed over the run's
     * {@code steps} by DJL's cosine tracker as a user would set it ({@code Tracker.cosine().setBaseValue(1f)
     * .setMaxUpdates(steps)}: from 1 to its default final value 0.01, {@code 0.01 + 0.99 (1 + cos(pi t / steps)) / 2}
     * at 1-based step t), through the same step as {@code RnnpropOptimizer.optAlphaScale(ParameterTracker)}.
     * Its key is the role's with {@link #COSINE_SUFFIX}; the steps are part of every cache row's key.
     */
    public static Contender learnedCosine(LearnedRole role, OptimizerWeights weights, int steps) {
        return new Contender(learnedKey(role, weights) + COSINE_SUFFIX, COSINE_LABEL, null, 0, weights,
                () -> new LearnedOptimizer(weights, role.id(), AlphaSchedule.COSINE.over(steps)));
    }

    /**
     * Weights compared beside the roles ({@code --candidate NAME=FILE}), labelled {@code name}. The key names
     * the weights, not the label: {@code candidate#<kind>-<hash>-<checksum>}.
     */
    public static Contender candidate(String name, OptimizerWeights weights) {
        return new Contender(CANDIDATE_PREFIX + "#" + weightsKey(weights), name, null, 0, weights,
                () -> new LearnedOptimizer(weights, name));
    }

    /** Whether this is the horizon-aware RNNprop ({@link #learnedCosine}). */
    public boolean cosine() {
        return key.endsWith(COSINE_SUFFIX);
    }

    /** Whether these are weights compared beside the roles ({@link #candidate}). */
    public boolean candidate() {
        return key.startsWith(CANDIDATE_PREFIX + "#");
    }

    /**
     * {@code <role>#<kind>-<8 hex of the hyperparameters' hash>-<12 hex of the tensors' checksum>}: the step
     * depends on all three, so a row is reused only for the very same optimizer.
     */
    static String learnedKey(LearnedRole role, OptimizerWeights weights) {
        return role.id() + "#" + weightsKey(weights);
    }

    private static String weightsKey(OptimizerWeights weights) {
        String hyperparameters = sha256(weights.hyperparameters().toString()).substring(0, 8);
        return weights.kind().id() + "-" + hyperparameters + "-" + weights.checksum().substring(0, 12);
    }

    /** SHA-256 of a text's UTF-8 bytes, lowercase hex. */
    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** Whether this is a point of a tuned baseline's grid. */
    public boolean tuned() {
        return baseline != null;
    }
}
