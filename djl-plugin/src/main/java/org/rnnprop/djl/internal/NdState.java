package org.rnnprop.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.rnnprop.core.NetworkLayout;
import org.rnnprop.core.OptimizerKind;

/**
 * The per-coordinate optimizer state of N coordinates as NDArrays: RNNprop's moments {@code m}, {@code v}
 * (shape [N]; null for DMoptimizer) and each LSTM layer's {@code h}, {@code c} (shape [H, N], coordinate-last as
 * in {@link NdStep}).
 *
 * @param m first moment, or null
 * @param v second moment, or null
 * @param h1 layer-1 hidden state
 * @param c1 layer-1 cell state
 * @param h2 layer-2 hidden state
 * @param c2 layer-2 cell state
 */
public record NdState(NDArray m, NDArray v, NDArray h1, NDArray c1, NDArray h2, NDArray c2) {

    /** A fresh (all-zero) float32 state for {@code n} coordinates. */
    public static NdState zeros(OptimizerKind kind, int hidden, long n, NDManager manager) {
        return zeros(kind, hidden, n, manager, DataType.FLOAT32);
    }

    /** A fresh state whose LSTM arrays have type {@code lstm} (the moments are float32 always). */
    public static NdState zeros(OptimizerKind kind, int hidden, long n, NDManager manager, DataType lstm) {
        Shape hs = new Shape(hidden, n);
        boolean moments = kind == OptimizerKind.RNNPROP;
        return new NdState(
                moments ? manager.zeros(new Shape(n), DataType.FLOAT32) : null,
                moments ? manager.zeros(new Shape(n), DataType.FLOAT32) : null,
                manager.zeros(hs, lstm), manager.zeros(hs, lstm), manager.zeros(hs, lstm), manager.zeros(hs, lstm));
    }

    /**
     * This state with every array in float32: the arrays themselves where they are float32 already, else
     * converted copies (exact from float16), which belong to the arrays' managers.
     */
    public NdState toFloat32() {
        return new NdState(m == null ? null : m.toType(DataType.FLOAT32, false),
                v == null ? null : v.toType(DataType.FLOAT32, false), h1.toType(DataType.FLOAT32, false),
                c1.toType(DataType.FLOAT32, false), h2.toType(DataType.FLOAT32, false),
                c2.toType(DataType.FLOAT32, false));
    }

    /** The arrays in the canonical order of {@link NetworkLayout} ([m, v,] h1, c1, h2, c2). */
    public NDList toList() {
        NDList l = new NDList();
        if (m != null) {
            l.add(m);
            l.add(v);
        }
        l.add(h1);
        l.add(c1);
        l.add(h2);
        l.add(c2);
        return l;
    }

    /** The inverse of {@link #toList()}: [m, v,] h1, c1, h2, c2. */
    public static NdState fromList(boolean moments, NDList l) {
        int at = moments ? 2 : 0;
        return new NdState(moments ? l.get(0) : null, moments ? l.get(1) : null, l.get(at), l.get(at + 1),
                l.get(at + 2), l.get(at + 3));
    }

    /** The core's row-major layout, [N, stateWidth] in float32: one row per coordinate (a new contiguous array). */
    public NDArray toRows() {
        NDList parts = new NDList();
        for (NDArray a : toFloat32().toList()) {
            parts.add(a.getShape().dimension() == 1 ? a.expandDims(1) : a.transpose());
        }
        return NDArrays.concat(parts, 1);
    }

    /** Splits a [N, stateWidth] array in the core's layout back into a state (of transposed views). */
    public static NdState fromRows(OptimizerKind kind, int hidden, NDArray rows) {
        int at = kind == OptimizerKind.RNNPROP ? 2 : 0;
        NDArray m = at == 2 ? rows.get(":, 0") : null;
        NDArray v = at == 2 ? rows.get(":, 1") : null;
        return new NdState(m, v,
                rows.get(":, " + at + ":" + (at + hidden)).transpose(),
                rows.get(":, " + (at + hidden) + ":" + (at + 2 * hidden)).transpose(),
                rows.get(":, " + (at + 2 * hidden) + ":" + (at + 3 * hidden)).transpose(),
                rows.get(":, " + (at + 3 * hidden) + ":" + (at + 4 * hidden)).transpose());
    }

    /** Floats of state per coordinate, as in {@link NetworkLayout#stateWidth}. */
    public int width() {
        return (m != null ? 2 : 0) + 4 * (int) h1.getShape().get(0);
    }
}
