package org.rnnprop.dl4j;

import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.schedule.ISchedule;
import org.rnnprop.core.PackedStep;
import org.rnnprop.core.StepKernel;

/**
 * The stateful side of {@link Rnnprop}: runs the core's step kernel on one block of DL4J parameters.
 *
 * <p>All per-parameter state (the optimizer's moments and LSTM states) lives in the state view array DL4J
 * hands over, row-major {@code [n, stateWidth]} exactly as in the core's {@link StepKernel}, and is updated in
 * place; so {@code ModelSerializer} saves and restores it with no extra code, and nothing is allocated per
 * step on the usual float32 CPU path. The step count is {@code iteration + 1} (DL4J counts iterations from 0).
 * Under a 16-bit {@linkplain Rnnprop#getStatePrecision() state precision} the rows are the packed ones of
 * {@link PackedStep} ({@code [n, 42]} for RNNprop), read and written as raw bits; such state needs a float32
 * or float64 network.
 *
 * <p>With an {@linkplain Rnnprop#getAlphaScaleSchedule() alpha-scale schedule}, each step's update is the
 * kernel's (at a constant scale of 1) multiplied by the schedule's value at that step's (iteration, epoch): the
 * update is linear in the step bound, and the state does not depend on it, so this equals a kernel at that scale
 * up to float rounding, while the kernels stay cached per constant scale.
 *
 * <p>A parameter whose gradient is NaN or infinite is skipped for that step: its update is 0 and its state is
 * left as it was. {@link #getSkippedLastStep()} and {@link #getSkippedTotal()} report how many; use
 * {@link #of(Updater)} to reach the updaters of a network.
 */
public final class RnnpropUpdater implements GradientUpdater<Rnnprop> {
    /** The key of the state array in {@link #getState()} and {@link #setState}. */
    public static final String STATE_KEY = "state";

    /** Coordinates per kernel call when working in place: keeps each state slab's buffer under 2 GiB. */
    private static final int DIRECT_SLAB = 1 << 20;
    /** Coordinates per kernel call when copying: bounds the scratch (about 5 MB of state for RNNprop). */
    private static final int COPY_SLAB = 1 << 14;

    private final Rnnprop config;
    private final StepKernel kernel;
    /** The kernel on 16-bit state, or null for float32 state (then {@link #kernel} runs). */
    private final PackedStep packed;
    private final int width;
    private final int directSlab;
    private final int copySlab;
    private INDArray state;
    private int skippedLastStep;
    private long skippedTotal;
    private boolean lastStepInPlace;
    // Heap scratch for the copying path only, made on first need (never INDArrays: see the workspace rules).
    private float[] gradScratch;
    private float[] stateScratch;
    private int[] bitsScratch;

    /** An updater with no state yet; DL4J normally creates it through {@link Rnnprop#instantiate}. */
    public RnnpropUpdater(Rnnprop config) {
        this.config = config;
        this.packed = config.getStatePrecision().isCompact() ? Kernels.packed(config) : null;
        this.kernel = packed == null ? Kernels.step(config) : null;
        this.width = packed == null ? kernel.stateWidth() : packed.slots();
        int maxRows = Integer.MAX_VALUE / Float.BYTES / width; // a slab's state must fit one NIO buffer
        this.directSlab = Math.max(1, Math.min(DIRECT_SLAB, maxRows));
        this.copySlab = Math.max(1, Math.min(COPY_SLAB, maxRows));
    }

    @Override
    public Rnnprop getConfig() {
        return config;
    }

    /** Values of state per parameter: floats, or 32-bit slots of packed 16-bit state (see the class comment). */
    public int stateWidth() {
        return width;
    }

    /**
     * Uses {@code viewArray} as the state of {@code prod(gradientShape)} parameters. The gradient's order does
     * not matter: parameters are matched to state rows by their position in the flat gradient.
     */
    @Override
    public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
        long n = 1;
        for (long d : gradientShape) {
            n *= d;
        }
        long have = viewArray == null ? 0 : viewArray.length();
        if (have != n * width) {
            throw new IllegalArgumentException("Rnnprop state for " + n + " parameters "
                    + Arrays.toString(gradientShape) + " needs " + n * width + " values (" + width
                    + " per parameter), the view has " + have);
        }
        requireBitExact(viewArray);
        if (viewArray != null && initialize) {
            viewArray.assign(0);
        }
        this.state = viewArray;
    }

    /** Uses the single array under {@link #STATE_KEY} as the state (SameDiff's way of restoring updaters). */
    @Override
    public void setState(Map<String, INDArray> stateMap, boolean initialize) {
        if (stateMap == null || stateMap.size() != 1 || !stateMap.containsKey(STATE_KEY)) {
            throw new IllegalStateException("Rnnprop state map must hold only the key '" + STATE_KEY + "', got "
                    + (stateMap == null ? null : stateMap.keySet()));
        }
        INDArray s = stateMap.get(STATE_KEY);
        if (s.length() % width != 0) {
            throw new IllegalStateException("Rnnprop state length " + s.length() + " is not a multiple of " + width);
        }
        requireBitExact(s);
        if (initialize) {
            s.assign(0);
        }
        this.state = s;
    }

    /** Packed 16-bit state holds bit patterns, which only float32 and float64 arrays carry exactly. */
    private void requireBitExact(INDArray s) {
        if (packed != null && s != null && s.dataType() != DataType.FLOAT && s.dataType() != DataType.DOUBLE) {
            throw new IllegalArgumentException("Rnnprop with " + config.getStatePrecision().id() + " state packs "
                    + "two 16-bit values into each float of the updater state, which a " + s.dataType() + " array "
                    + "cannot hold: use a FLOAT or DOUBLE network, or StatePrecision.FLOAT32");
        }
    }

    @Override
    public Map<String, INDArray> getState() {
        Map<String, INDArray> m = new HashMap<>();
        m.put(STATE_KEY, state);
        return m;
    }

    /**
     * Replaces {@code gradient} with the update DL4J then subtracts from the parameters, and advances the
     * state in place.
     *
     * @param iteration DL4J's 0-based count of updates already made; the step count is {@code iteration + 1}
     * @param epoch DL4J's epoch count, for an alpha-scale schedule by epoch
     * @throws IllegalArgumentException if the alpha-scale schedule's value at this step is negative, NaN or
     *     infinite (nothing is changed)
     */
    @Override
    public void applyUpdater(INDArray gradient, int iteration, int epoch) {
        long n = gradient.length();
        if (n == 0) {
            skippedLastStep = 0;
            return;
        }
        if (state == null || state.length() != n * width) {
            throw new IllegalStateException("Rnnprop updater state holds " + (state == null ? 0 : state.length())
                    + " values, " + n + " parameters need " + n * width + " (was the updater initialised?)");
        }
        double scale = scheduledScale(iteration, epoch);
        long t = iteration + 1L;
        FlatFloats g = FlatFloats.of(gradient);
        FlatFloats s = FlatFloats.of(state);
        boolean direct = g.isDirect() && s.isDirect();
        int slab = (int) Math.min(n, direct ? directSlab : copySlab);
        if (!direct && (gradScratch == null || gradScratch.length < slab)) {
            gradScratch = new float[slab];
            stateScratch = packed == null ? new float[slab * width] : null;
            bitsScratch = packed == null ? null : new int[slab * width];
        }
        int skipped = 0;
        for (long start = 0; start < n; start += slab) {
            int len = (int) Math.min(slab, n - start);
            FloatBuffer gb = g.open(start, len, gradScratch);
            // The update overwrites the gradient, as DL4J expects.
            if (packed == null) {
                FloatBuffer sb = s.open(start * width, len * width, stateScratch);
                skipped += kernel.step(t, gb, sb, gb, len);
                s.writeBack(start * width, len * width, stateScratch);
            } else {
                IntBuffer sb = s.openBits(start * width, len * width, bitsScratch);
                skipped += packed.step(t, gb, sb, gb, len);
                s.writeBackBits(start * width, len * width, bitsScratch);
            }
            if (scale != 1) {
                for (int i = 0; i < len; i++) {
                    gb.put(i, (float) (gb.get(i) * scale));
                }
            }
            g.writeBack(start, len, gradScratch);
        }
        skippedLastStep = skipped;
        skippedTotal += skipped;
        lastStepInPlace = direct;
    }

    /** The alpha scale the schedule gives this step, 1 without one; refuses a value no bound can have. */
    private double scheduledScale(int iteration, int epoch) {
        ISchedule schedule = config.getAlphaScaleSchedule();
        if (schedule == null) {
            return 1;
        }
        double scale = schedule.valueAt(iteration, epoch);
        if (!(scale >= 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("Rnnprop's alphaScaleSchedule " + schedule + " gives " + scale
                    + " at iteration " + iteration + ", epoch " + epoch + ": an alpha scale must be finite and >= 0");
        }
        return scale;
    }

    /** Whether the last step ran on the arrays' own memory rather than through copies; for tests. */
    boolean lastStepInPlace() {
        return lastStepInPlace;
    }

    /** Parameters skipped in the last {@link #applyUpdater} call because their gradient was NaN or infinite. */
    public int getSkippedLastStep() {
        return skippedLastStep;
    }

    /** Parameters skipped since this updater was created (a restored network starts again from 0). */
    public long getSkippedTotal() {
        return skippedTotal;
    }

    /**
     * The Rnnprop updaters of a network, one per block of consecutive parameters with equal configs: e.g.
     * {@code RnnpropUpdater.of(net.getUpdater())} for a {@code MultiLayerNetwork} or {@code ComputationGraph}.
     */
    public static List<RnnpropUpdater> of(Updater networkUpdater) {
        List<RnnpropUpdater> out = new ArrayList<>();
        if (networkUpdater instanceof BaseMultiLayerUpdater<?> u) {
            for (UpdaterBlock b : u.getUpdaterBlocks()) {
                if (b.getGradientUpdater() instanceof RnnpropUpdater r) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "RnnpropUpdater(" + config + ", " + (state == null ? 0 : state.length() / width) + " parameters)";
    }
}
