package org.rnnprop.evaluation;

import java.util.List;
import org.rnnprop.meta.Recipe;

/**
 * The learned optimizers of the paper, each named after the meta-training recipe that produces it: the two
 * main ones, compared on every test, and the three control variants, compared on the ReLU MLP only.
 */
public enum LearnedRole {
    RNNPROP(Recipe.RNNPROP, "RNNprop", true),
    DM_OPTIMIZER(Recipe.DM_OPTIMIZER, "DMoptimizer", true),
    RNNPROP_NO_SCALING(Recipe.RNNPROP_NO_SCALING, "RNNprop without Random Scaling", false),
    RNNPROP_NO_CONVEX(Recipe.RNNPROP_NO_CONVEX, "RNNprop without the convex term", false),
    DM_OPTIMIZER_WITH_TRICKS(Recipe.DM_OPTIMIZER_WITH_TRICKS, "DMoptimizer with both tricks", false);

    private final Recipe recipe;
    private final String label;
    private final boolean main;

    LearnedRole(Recipe recipe, String label, boolean main) {
        this.recipe = recipe;
        this.label = label;
        this.main = main;
    }

    /** The recipe name, which is also the name of the shipped weight file and of the meta-training run. */
    public String id() {
        return recipe.id();
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
