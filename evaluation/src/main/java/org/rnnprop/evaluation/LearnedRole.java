package org.rnnprop.evaluation;

import java.util.List;
import org.rnnprop.meta.Recipe;

/**
 * The learned optimizers of the paper, each named after the meta-training recipe that produces it: the two
 * main ones, compared on every test, and the three control variants, compared on the ReLU MLP only.
 *
 * <p>Each role loads the shipped file of its recipe by that file's own name, not by an alias such as
 * {@code rnnprop}: the plugins' default may move to weights of another recipe, and the paper's comparisons
 * (RNNprop against its ablations, trained the same way) must not move with it.
 */
public enum LearnedRole {
    RNNPROP(Recipe.RNNPROP, "RNNprop", true, "rnnprop-metalr1e-3"),
    DM_OPTIMIZER(Recipe.DM_OPTIMIZER, "DMoptimizer", true, "dm-optimizer-paper"),
    RNNPROP_NO_SCALING(Recipe.RNNPROP_NO_SCALING, "RNNprop without Random Scaling", false,
            "rnnprop-no-scaling-metalr1e-3"),
    RNNPROP_NO_CONVEX(Recipe.RNNPROP_NO_CONVEX, "RNNprop without the convex term", false,
            "rnnprop-no-convex-metalr1e-3"),
    DM_OPTIMIZER_WITH_TRICKS(Recipe.DM_OPTIMIZER_WITH_TRICKS, "DMoptimizer with both tricks", false,
            "dm-optimizer-with-tricks-paper");

    private final Recipe recipe;
    private final String label;
    private final boolean main;
    private final String shippedFile;

    LearnedRole(Recipe recipe, String label, boolean main, String shippedFile) {
        this.recipe = recipe;
        this.label = label;
        this.main = main;
        this.shippedFile = shippedFile;
    }

    /** The recipe name, which is also the role's name on the command line and the meta-training run's. */
    public String id() {
        return recipe.id();
    }

    /** The shipped weight file the role loads by default: its recipe's meta-trained weights. */
    public String shippedFile() {
        return shippedFile;
    }

    /** The kind of network the role needs. */
    public org.rnnprop.core.OptimizerKind kind() {
        return recipe.kind();
    }

    /** The name in tables. */
    public String label() {
        return label;
    }

    /** Whether the role runs on every test (else only in the control experiment). */
    public boolean main() {
        return main;
    }

    /** The control variants. */
    public static List<LearnedRole> variants() {
        return List.of(RNNPROP_NO_SCALING, RNNPROP_NO_CONVEX, DM_OPTIMIZER_WITH_TRICKS);
    }

    /** The role of a recipe name. */
    public static LearnedRole of(String id) {
        for (LearnedRole r : values()) {
            if (r.id().equals(id)) {
                return r;
            }
        }
        throw new IllegalArgumentException("no learned optimizer role '" + id + "'; roles: "
                + java.util.Arrays.stream(values()).map(LearnedRole::id).toList());
    }
}
