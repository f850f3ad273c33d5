package org.rnnprop.meta;

/**
 * How a run computes its meta-gradients. {@link #HAND} and {@link #AUTOGRAD} give the same first-order
 * meta-gradient of each truncated period up to float rounding ({@code HandReplayTest},
 * {@code MetaGradientMethodTest}); they differ in speed. {@link #ES} estimates another one: that of the whole
 * trajectory.
 */
public enum MetaGradientMethod {
    /**
     * The optimizee trajectory runs on the core's fast kernel and each period's meta-gradient comes from
     * {@link HandReplay}, the backward pass written by hand. The default.
     */
    HAND("hand"),
    /**
     * The reference: the paper's recipes run the library's NDArray step under the engine's autograd and
     * differentiate the period through it ({@link MetaGradient}); the long-horizon recipe replays its periods
     * through the same step ({@link AutogradReplay}).
     */
    AUTOGRAD("autograd"),
    /**
     * The long-horizon recipe only: antithetic evolution strategies over whole trajectories
     * ({@link EvolutionStrategies}), forward runs on the fast kernel with perturbed weights, one meta-update per
     * iteration. The objective is the mean log-loss over the whole trajectory, so the estimate has no bias
     * towards the short horizon of a truncation, at the price of noise.
     */
    ES("es");

    private final String id;

    MetaGradientMethod(String id) {
        this.id = id;
    }

    /** The name used on the command line and in checkpoints. */
    public String id() {
        return id;
    }

    /** The method of a name, or an error listing the names. */
    public static MetaGradientMethod fromId(String id) {
        for (MetaGradientMethod m : values()) {
            if (m.id.equals(id)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown meta-gradient method '" + id + "' (known: hand, autograd, es)");
    }
}
