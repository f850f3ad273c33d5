package org.rnnprop.meta;

import org.rnnprop.core.OptimizerKind;

/**
 * Meta-training recipes (docs/SPEC.md §3), selectable by name. The paper's RNNprop uses Random Scaling and the
 * convex term with the last-loss objective; DMoptimizer uses neither, with the mean-loss objective; the other
 * three are the paper's control variants. {@code rnnprop-long} is the long-horizon recipe (see
 * {@link LongHorizon}): a family of optimizees drawn per trajectory, trajectories lengthened by a curriculum,
 * and the mean log-loss objective; its Random Scaling and convex term are drawn per trajectory by the family.
 */
public enum Recipe {
    RNNPROP("rnnprop", OptimizerKind.RNNPROP, true, true, Objective.LAST_LOSS),
    DM_OPTIMIZER("dm-optimizer", OptimizerKind.DM_OPTIMIZER, false, false, Objective.MEAN_LOSS),
    RNNPROP_NO_SCALING("rnnprop-no-scaling", OptimizerKind.RNNPROP, false, true, Objective.LAST_LOSS),
    RNNPROP_NO_CONVEX("rnnprop-no-convex", OptimizerKind.RNNPROP, true, false, Objective.LAST_LOSS),
    DM_OPTIMIZER_WITH_TRICKS("dm-optimizer-with-tricks", OptimizerKind.DM_OPTIMIZER, true, true,
            Objective.MEAN_LOSS),
    RNNPROP_LONG("rnnprop-long", OptimizerKind.RNNPROP, true, true, Objective.MEAN_LOG_LOSS);

    /** What a truncated period's meta-loss is. */
    public enum Objective {
        /** The loss at the parameters entering the period's last step (RNNprop). */
        LAST_LOSS,
        /** The mean of the period's losses, each before its step (DMoptimizer). */
        MEAN_LOSS,
        /**
         * The mean of the logarithms of the period's losses, each before its step: free of the loss's scale, so
         * tasks whose losses differ by orders of magnitude, and the early and late parts of a long run, weigh
         * alike.
         */
        MEAN_LOG_LOSS
    }

    private final String id;
    private final OptimizerKind kind;
    private final boolean randomScaling;
    private final boolean convexTerm;
    private final Objective objective;

    Recipe(String id, OptimizerKind kind, boolean randomScaling, boolean convexTerm, Objective objective) {
        this.id = id;
        this.kind = kind;
        this.randomScaling = randomScaling;
        this.convexTerm = convexTerm;
        this.objective = objective;
    }

    public String id() {
        return id;
    }

    public OptimizerKind kind() {
        return kind;
    }

    public boolean randomScaling() {
        return randomScaling;
    }

    public boolean convexTerm() {
        return convexTerm;
    }

    public Objective objective() {
        return objective;
    }

    /** Whether this recipe trains on the long-horizon family and curriculum ({@link LongHorizon}). */
    public boolean longHorizon() {
        return this == RNNPROP_LONG;
    }

    /** The recipe of a name, or an error listing the names. */
    public static Recipe fromId(String id) {
        for (Recipe r : values()) {
            if (r.id.equals(id)) {
                return r;
            }
        }
        StringBuilder names = new StringBuilder();
        for (Recipe r : values()) {
            names.append(names.length() == 0 ? "" : ", ").append(r.id);
        }
        throw new IllegalArgumentException("unknown recipe '" + id + "' (known: " + names + ")");
    }
}
