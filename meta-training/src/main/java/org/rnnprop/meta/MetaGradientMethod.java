package org.rnnprop.meta;

/**
 * How a run computes its meta-gradients. Both give the same first-order meta-gradient up to float rounding
 * ({@code HandReplayTest}, {@code MetaGradientMethodTest}); they differ in speed.
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
    AUTOGRAD("autograd");

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
        throw new IllegalArgumentException("unknown meta-gradient method '" + id + "' (known: hand, autograd)");
    }
}
