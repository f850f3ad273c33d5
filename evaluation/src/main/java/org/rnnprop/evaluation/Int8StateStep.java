package org.rnnprop.evaluation;

import java.nio.FloatBuffer;
import org.rnnprop.core.NetworkLayout;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.StatePrecision;
import org.rnnprop.core.StepKernel;

/**
 * A simulation of LSTM state kept in 8 bits: a float32 kernel's step, after which each coordinate's new state row
 * is rounded in place to what a blockwise 8-bit store would hold ({@link BlockwiseInt8}). A block is one layer's
 * H values of h (or of c) of one coordinate, with its own float16 scale. The state stays float32 rows of
 * {@link #stateWidth()} floats; only their values are those of the store, so the next step reads what an 8-bit
 * store would give back. Experimental: for measuring, not a storage format.
 *
 * <p>{@link Cells#FLOAT16}: h in 8 bits, c rounded to float16 as {@link StatePrecision#FLOAT16} does;
 * {@link Cells#INT8}: h and c both in 8 bits. The moments m and v stay float32. A coordinate whose gradient is not
 * finite keeps its row as it was, as in every kernel. Not thread-safe.
 */
final class Int8StateStep implements StepKernel {
    /** How the cell states c are kept. */
    enum Cells {
        /** float16, as the 16-bit state option stores them. */
        FLOAT16,
        /** blockwise 8-bit, like h. */
        INT8
    }

    private final StepKernel inner;
    private final Cells cells;
    private final int width;
    private final int hidden;
    private final int[] hOffsets;
    private final float[] block;
    private boolean[] finite = new boolean[0];

    /** Wraps {@code inner}, a kernel on float32 state, which this one closes. */
    Int8StateStep(StepKernel inner, Cells cells) {
        this.inner = inner;
        this.cells = cells;
        OptimizerWeights w = inner.weights();
        this.width = inner.stateWidth();
        this.hidden = w.hyperparameters().hiddenSize();
        this.hOffsets = new int[] {NetworkLayout.hiddenOffset(w.kind(), w.hyperparameters(), 0),
            NetworkLayout.hiddenOffset(w.kind(), w.hyperparameters(), 1)};
        this.block = new float[hidden];
    }

    /**
     * Bytes per coordinate an 8-bit store would take: m and v as float32 (RNNprop), per layer H one-byte codes of
     * h and a float16 scale, and c as H float16 values or H codes and a scale. RNNprop at the default sizes: 132
     * with float16 c, 96 with 8-bit c (328 in float32, 168 in 16 bits).
     */
    static int bytesPerCoordinate(OptimizerWeights w, Cells cells) {
        int moments = NetworkLayout.hiddenOffset(w.kind(), w.hyperparameters(), 0);
        int h = w.hyperparameters().hiddenSize();
        int int8Block = h + Short.BYTES;
        int cBlock = cells == Cells.INT8 ? int8Block : h * Short.BYTES;
        return moments * Float.BYTES + 2 * (int8Block + cBlock);
    }

    @Override
    public OptimizerWeights weights() {
        return inner.weights();
    }

    @Override
    public int stateWidth() {
        return width;
    }

    @Override
    public int step(long t, FloatBuffer grad, FloatBuffer state, FloatBuffer update, int n) {
        if (finite.length < n) {
            finite = new boolean[n];
        }
        for (int i = 0; i < n; i++) { // before the step: update may be grad's buffer
            finite[i] = Float.isFinite(grad.get(i));
        }
        int skipped = inner.step(t, grad, state, update, n);
        for (int i = 0; i < n; i++) {
            if (finite[i]) {
                for (int offset : hOffsets) {
                    int h = i * width + offset;
                    roundTrip(state, h);
                    if (cells == Cells.INT8) {
                        roundTrip(state, h + hidden);
                    } else {
                        toFloat16(state, h + hidden);
                    }
                }
            }
        }
        return skipped;
    }

    private void roundTrip(FloatBuffer state, int at) {
        state.get(at, block, 0, hidden);
        BlockwiseInt8.roundTrip(block, 0, hidden);
        state.put(at, block, 0, hidden);
    }

    private void toFloat16(FloatBuffer state, int at) {
        for (int k = at; k < at + hidden; k++) {
            state.put(k, StatePrecision.FLOAT16.round(state.get(k)));
        }
    }

    @Override
    public void close() {
        inner.close();
    }
}
