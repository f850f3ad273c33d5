package org.rnnprop.core;

/** The learned optimizers this library runs. */
public enum OptimizerKind {
    /** RNNprop (Lv, Jiang, Li 2017): Adam-like normalised inputs, 2-layer LSTM, bounded step. */
    RNNPROP("rnnprop"),
    /** DMoptimizer (Andrychowicz et al. 2016) as run by the RNNprop authors: log/sign inputs, unbounded step. */
    DM_OPTIMIZER("dm-optimizer");

    private final String id;

    OptimizerKind(String id) {
        this.id = id;
    }

    /** The name used in weight files and on command lines. */
    public String id() {
        return id;
    }

    /** Parses a weight-file name such as {@code "rnnprop"}; throws naming the accepted values. */
    public static OptimizerKind fromId(String id) {
        for (OptimizerKind k : values()) {
            if (k.id.equals(id)) {
                return k;
            }
        }
        throw new IllegalArgumentException(
                "unknown optimizer kind '" + id + "' (expected 'rnnprop' or 'dm-optimizer')");
    }
}
