package org.rnnprop.core;

/**
 * How an optimizer's per-coordinate state is stored between steps. Every step computes in float32; a 16-bit
 * precision rounds the LSTM states h and c (4H values per coordinate, 80 at the default sizes) to 16 bits after
 * each step, while RNNprop's moments m and v stay float32. For RNNprop that is 168 bytes per coordinate instead
 * of 328; for DMoptimizer 160 instead of 320.
 *
 * <p>Rounding is to nearest, ties to even ({@link #encode}); the values kept are exactly those of
 * {@link #round}. In the core's packed layout ({@link PackedStep}) a coordinate takes {@link #slots} 32-bit
 * slots: the moments as float32 bits, then the 16-bit values two to a slot.
 *
 * <p>Range: h lies in [-1, 1]. The cell state c is unbounded in float32, but it changes by less than 1 per step
 * ({@code c' = f c + i j}, with f in [0, 1] and |i j| &lt; 1), and in float16 an increment below half an ulp is
 * lost: c cannot pass 2048 there, far inside float16's 65504, so it never overflows (a test drives the gates
 * open to show it). What 16 bits do change is resolution: a slowly growing |c| stalls where its increments drop
 * below half an ulp (from |c| = 64 for increments of 1/64 in float16, from 8 in bfloat16), where
 * tanh(c) = 1 to within 2.3e-7 already, so h is the same; c then comes back sooner when the gradient turns.
 */
public enum StatePrecision {
    /** float32 throughout: the specification's state, {@code stateWidth} floats per coordinate. */
    FLOAT32("float32"),
    /** IEEE 754 half precision for h and c: 11 significant bits, magnitudes up to 65504. */
    FLOAT16("float16"),
    /** bfloat16 for h and c: float32's upper 16 bits, 8 significant bits, float32's range. */
    BFLOAT16("bfloat16");

    private final String id;

    StatePrecision(String id) {
        this.id = id;
    }

    /** The name used in files and on command lines: {@code float32}, {@code float16} or {@code bfloat16}. */
    public String id() {
        return id;
    }

    /** Parses {@link #id()}; throws naming the accepted values. */
    public static StatePrecision fromId(String id) {
        for (StatePrecision p : values()) {
            if (p.id.equals(id)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown state precision '" + id
                + "' (expected 'float32', 'float16' or 'bfloat16')");
    }

    /** Whether the LSTM states are stored in 16 bits. */
    public boolean isCompact() {
        return this != FLOAT32;
    }

    /**
     * 32-bit slots of state per coordinate: {@code stateWidth} for float32; the moments plus half the LSTM values
     * otherwise (42 for RNNprop, 40 for DMoptimizer, at the default sizes).
     */
    public int slots(OptimizerWeights weights) {
        int moments = NetworkLayout.hiddenOffset(weights.kind(), weights.hyperparameters(), 0);
        int lstm = weights.stateWidth() - moments;
        return this == FLOAT32 ? weights.stateWidth() : moments + lstm / 2;
    }

    /** Bytes of state per coordinate: {@code 4 * slots(weights)} (328 or 168 for RNNprop). */
    public int bytesPerCoordinate(OptimizerWeights weights) {
        return Float.BYTES * slots(weights);
    }

    /**
     * The 16-bit pattern (in the low 16 bits of the result) that stores {@code value}: rounded to nearest, ties
     * to even; NaN stays NaN; float16 turns magnitudes of 65520 and more into infinity.
     *
     * @throws IllegalStateException for {@link #FLOAT32}, which stores floats as they are
     */
    public int encode(float value) {
        return switch (this) {
            case FLOAT16 -> HalfFloats.toFloat16(value);
            case BFLOAT16 -> HalfFloats.toBfloat16(value);
            case FLOAT32 -> throw new IllegalStateException("float32 state is not encoded in 16 bits");
        };
    }

    /**
     * The float a 16-bit pattern (the low 16 bits of {@code bits}) stands for; exact.
     *
     * @throws IllegalStateException for {@link #FLOAT32}
     */
    public float decode(int bits) {
        return switch (this) {
            case FLOAT16 -> HalfFloats.fromFloat16(bits);
            case BFLOAT16 -> HalfFloats.fromBfloat16(bits);
            case FLOAT32 -> throw new IllegalStateException("float32 state is not encoded in 16 bits");
        };
    }

    /** The value this precision stores for {@code value}: {@code decode(encode(value))}, or itself for float32. */
    public float round(float value) {
        return this == FLOAT32 ? value : decode(encode(value));
    }
}
