package org.rnnprop.evaluation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.WeightFile;
import org.rnnprop.pretrained.Pretrained;

/**
 * Which weights play each learned role. By default the shipped file of the role's recipe
 * ({@link LearnedRole#shippedFile}); for the two main roles, while only untrained weights ship, the
 * {@code -untrained} file (the report says so). A command-line override maps a role to another shipped name or
 * to a weight file, and may scale its alpha. Other weights ("candidates", such as a new meta-training run's) may
 * be compared beside the roles on every test, each under a name of its own; the plugins' default weights join
 * them where they are not the RNNprop role's ({@link #withShippedDefault}).
 *
 * @param chosen the weights of each available role and where they came from
 * @param missing why each other role is unavailable
 * @param candidates other weights compared beside the roles, by name, in the order given
 */
public record LearnedWeights(Map<LearnedRole, Choice> chosen, Map<LearnedRole, String> missing,
        Map<String, Choice> candidates) {

    /** The roles' weights, without candidates. */
    public LearnedWeights(Map<LearnedRole, Choice> chosen, Map<LearnedRole, String> missing) {
        this(chosen, missing, Map.of());
    }

    /**
     * The weights of one role.
     *
     * @param source the shipped name or the file
     * @param weights the network
     */
    public record Choice(String source, OptimizerWeights weights) {
        /** Whether the weights were meta-trained (false: the specification's initialisation). */
        public boolean trained() {
            return weights.provenance().trained();
        }
    }

    /** Suffix of the untrained files shipped for the main roles. */
    public static final String UNTRAINED = "-untrained";

    /** Ends the name of the default weights among the candidates ({@link #withShippedDefault}). */
    public static final String DEFAULT_SUFFIX = " (default)";

    /**
     * Resolves every role.
     *
     * @param overrides role id to shipped name or weight-file path
     * @throws IllegalArgumentException for an unknown role, a source that is neither a file nor shipped, or
     *     weights of the wrong kind for the role
     * @throws IOException if a weight file cannot be read
     */
    public static LearnedWeights resolve(Map<String, String> overrides) throws IOException {
        return resolve(overrides, Map.of());
    }

    /**
     * Resolves every role, then multiplies the alpha of the roles in {@code alphaScales} (RNNprop's step bound,
     * as the plugins' alpha scale does; DMoptimizer's output scale). Scaled weights have other hyperparameters,
     * so their results never mix with the unscaled ones' in the cache (see {@link Contender#learnedKey}).
     *
     * @param overrides role id to shipped name or weight-file path
     * @param alphaScales role id to a factor on alpha, finite and positive
     * @throws IllegalArgumentException as {@link #resolve(Map)}, and for a factor that is not finite and positive
     * @throws IOException if a weight file cannot be read
     */
    public static LearnedWeights resolve(Map<String, String> overrides, Map<String, Double> alphaScales)
            throws IOException {
        alphaScales.forEach((id, factor) -> {
            LearnedRole.of(id); // fails on a typo
            if (!(factor > 0) || Double.isInfinite(factor)) {
                throw new IllegalArgumentException("--alpha-scale " + id + ": the factor must be finite and "
                        + "positive, got " + factor);
            }
        });
        Map<LearnedRole, Choice> chosen = new EnumMap<>(LearnedRole.class);
        Map<LearnedRole, String> missing = new EnumMap<>(LearnedRole.class);
        for (String id : overrides.keySet()) {
            LearnedRole.of(id); // fails on a typo
        }
        for (LearnedRole role : LearnedRole.values()) {
            String source = overrides.get(role.id());
            if (source == null && Pretrained.names().contains(role.shippedFile())) {
                source = role.shippedFile();
            }
            if (source == null && role.main() && Pretrained.names().contains(role.id() + UNTRAINED)) {
                source = role.id() + UNTRAINED;
            }
            if (source == null) {
                missing.put(role, "no weight file '" + role.shippedFile() + "' is shipped (meta-train it with "
                        + "`scripts/meta-train.sh train --recipe " + role.id() + "`, export and ship it, or pass "
                        + "`--weights " + role.id() + "=FILE`)");
                continue;
            }
            OptimizerWeights w = load(source);
            if (w.kind() != role.kind()) {
                throw new IllegalArgumentException("weights '" + source + "' are " + w.kind() + ", but " + role.id()
                        + " needs " + role.kind());
            }
            String described = Files.isRegularFile(Path.of(source)) ? source : shippedName(source);
            Double factor = alphaScales.get(role.id());
            if (factor != null) {
                double alpha = w.hyperparameters().alpha() * factor;
                w = w.withAlpha(alpha);
                described += " with alpha x" + factor + " (" + alpha + ")";
            }
            chosen.put(role, new Choice(described, w));
        }
        return new LearnedWeights(chosen, missing);
    }

    /**
     * The same roles, with {@code sources} (name to shipped name or weight file) as the candidates.
     *
     * @throws IllegalArgumentException for a blank name, a name that is a role's label, or a source that is
     *     neither a file nor shipped
     * @throws IOException if a weight file cannot be read
     */
    public LearnedWeights withCandidates(Map<String, String> sources) throws IOException {
        Map<String, Choice> c = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : sources.entrySet()) {
            String name = e.getKey().strip();
            boolean taken = name.equals(Contender.COSINE_LABEL)
                    || Arrays.stream(LearnedRole.values()).anyMatch(r -> r.label().equals(name));
            if (name.isEmpty() || taken) {
                throw new IllegalArgumentException("--candidate " + e.getKey() + "=" + e.getValue() + ": the name must"
                        + " be non-blank and not a role's label, such as RNNprop");
            }
            c.put(name, new Choice(e.getValue(), load(e.getValue())));
        }
        return new LearnedWeights(chosen, missing, c);
    }

    /**
     * The same, with the weights the plugins load by default ({@link Pretrained#DEFAULT_RNNPROP}) as a candidate
     * named after their file, where they are neither the RNNprop role's nor a candidate's already: a report then
     * shows what a user gets beside the paper's RNNprop, as soon as the default moves to other weights.
     *
     * @param alias the default's shipped name
     * @throws IOException if the shipped file cannot be read
     */
    public LearnedWeights withShippedDefault(String alias) throws IOException {
        OptimizerWeights w = Pretrained.load(alias);
        Choice rnnprop = chosen.get(LearnedRole.RNNPROP);
        boolean present = rnnprop != null && sameOptimizer(rnnprop.weights(), w)
                || candidates.values().stream().anyMatch(c -> sameOptimizer(c.weights(), w));
        if (present) {
            return this;
        }
        Map<String, Choice> c = new LinkedHashMap<>(candidates);
        c.put(Pretrained.resolve(alias) + DEFAULT_SUFFIX, new Choice(shippedName(alias), w));
        return new LearnedWeights(chosen, missing, c);
    }

    /** A shipped name as reports show it: an alias with the file it stands for, {@code rnnprop (= FILE)}. */
    private static String shippedName(String name) {
        String file = Pretrained.resolve(name);
        return file.equals(name) ? name : name + " (= " + file + ")";
    }

    private static boolean sameOptimizer(OptimizerWeights a, OptimizerWeights b) {
        return a.checksum().equals(b.checksum()) && a.hyperparameters().equals(b.hyperparameters());
    }

    /** The candidates' weights by name, as the suite takes them. */
    public Map<String, OptimizerWeights> candidateWeights() {
        Map<String, OptimizerWeights> m = new LinkedHashMap<>();
        candidates.forEach((n, c) -> m.put(n, c.weights()));
        return m;
    }

    private static OptimizerWeights load(String source) throws IOException {
        Path p = Path.of(source);
        if (Files.isRegularFile(p)) {
            return WeightFile.read(p);
        }
        if (Pretrained.names().contains(source)) {
            return Pretrained.load(source);
        }
        throw new IllegalArgumentException("'" + source + "' is neither a weight file nor a shipped name "
                + Pretrained.names());
    }

    /** The weights by role, as the suite takes them. */
    public Map<LearnedRole, OptimizerWeights> weights() {
        Map<LearnedRole, OptimizerWeights> m = new EnumMap<>(LearnedRole.class);
        chosen.forEach((r, c) -> m.put(r, c.weights()));
        return m;
    }

    /** Whether any chosen or candidate weights are untrained. */
    public boolean anyUntrained() {
        return chosen.values().stream().anyMatch(c -> !c.trained())
                || candidates.values().stream().anyMatch(c -> !c.trained());
    }
}
