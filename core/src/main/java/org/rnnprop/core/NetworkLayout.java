package org.rnnprop.core;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tensors a kind of optimizer network has, with their shapes, and the layout of its per-coordinate state.
 *
 * <p>RNNprop: {@code preprocess} (2 → P, ELU), {@code lstm1} (P → H), {@code lstm2} (H → H), {@code output}
 * (H → 1). DMoptimizer: {@code lstm1} (2 → H), {@code lstm2}, {@code output}. LSTM kernels are
 * ({@code in + H}) × 4H with gate order i, j, f, o, as in TensorFlow's {@code LSTMCell}.
 *
 * <p>State per coordinate, row-major, one row per coordinate: RNNprop {@code [m, v, h1, c1, h2, c2]}
 * (2 + 4H floats), DMoptimizer {@code [h1, c1, h2, c2]} (4H floats).
 */
public final class NetworkLayout {
    public static final String PREPROCESS_KERNEL = "preprocess/kernel";
    public static final String PREPROCESS_BIAS = "preprocess/bias";
    public static final String LSTM1_KERNEL = "lstm1/kernel";
    public static final String LSTM1_BIAS = "lstm1/bias";
    public static final String LSTM2_KERNEL = "lstm2/kernel";
    public static final String LSTM2_BIAS = "lstm2/bias";
    public static final String OUTPUT_KERNEL = "output/kernel";
    public static final String OUTPUT_BIAS = "output/bias";

    /** Number of inputs per coordinate for both kinds. */
    public static final int INPUTS = 2;

    private NetworkLayout() {
    }

    /** Tensor names and shapes in canonical order (the order of the checksum and of the file). */
    public static Map<String, int[]> shapes(OptimizerKind kind, Hyperparameters hp) {
        int h = hp.hiddenSize();
        int p = hp.preprocessSize();
        Map<String, int[]> m = new LinkedHashMap<>();
        int lstm1In = INPUTS;
        if (kind == OptimizerKind.RNNPROP) {
            m.put(PREPROCESS_KERNEL, new int[] {INPUTS, p});
            m.put(PREPROCESS_BIAS, new int[] {p});
            lstm1In = p;
        }
        m.put(LSTM1_KERNEL, new int[] {lstm1In + h, 4 * h});
        m.put(LSTM1_BIAS, new int[] {4 * h});
        m.put(LSTM2_KERNEL, new int[] {2 * h, 4 * h});
        m.put(LSTM2_BIAS, new int[] {4 * h});
        m.put(OUTPUT_KERNEL, new int[] {h, 1});
        m.put(OUTPUT_BIAS, new int[] {1});
        return m;
    }

    /** Total number of weights: 6,641 for RNNprop and 5,141 for DMoptimizer at the default sizes. */
    public static int parameterCount(OptimizerKind kind, Hyperparameters hp) {
        int n = 0;
        for (int[] s : shapes(kind, hp).values()) {
            int k = 1;
            for (int d : s) {
                k *= d;
            }
            n += k;
        }
        return n;
    }

    /** Floats of state per coordinate: 82 for RNNprop, 80 for DMoptimizer at the default sizes. */
    public static int stateWidth(OptimizerKind kind, Hyperparameters hp) {
        return (kind == OptimizerKind.RNNPROP ? 2 : 0) + 4 * hp.hiddenSize();
    }

    /** Offset of layer {@code layer}'s (0 or 1) hidden state h within a state row; c follows at + H. */
    public static int hiddenOffset(OptimizerKind kind, Hyperparameters hp, int layer) {
        return (kind == OptimizerKind.RNNPROP ? 2 : 0) + 2 * layer * hp.hiddenSize();
    }
}
