package org.rnnprop.meta;

import java.util.Arrays;

/**
 * One thread's part of {@link HandReplay}: the meta-backward of one block of at most {@link #BLOCK}
 * coordinates over one period, with preallocated working memory. It recomputes the optimizer's forward pass
 * from the block's recorded state and gradients, keeping every activation the backward pass needs, then
 * backpropagates through time. This class holds what both implementations share: the order of the work, the
 * block's moments, gradients and the sum of later weighted gradients. Implementations: {@link PlainReplayBlock}
 * in plain Java (the reference, and the fallback), and {@code VectorReplayBlock} on the JDK's Vector API, which
 * {@link ReplayBlocks} loads by name where the JVM can run it; the two agree to float rounding.
 *
 * <p>A block with fewer coordinates is padded with zero state and zero gradients, which contribute nothing.
 */
abstract class ReplayBlock {
    /** Coordinates per block. */
    static final int BLOCK = 64;

    /**
     * What one period recorded, as {@link PeriodBackward#gradient} takes it, and how many of its steps to
     * replay: the first {@code steps}, where every loss weight after index {@code steps} is zero (a later
     * update moves no weighted loss).
     */
    record Period(float[] state0, float[][] gradients, double[] lossWeights, long t0, int steps) {
    }

    final boolean rnnprop;
    final int hidden;
    /** Rows of layer 1's input before its own h: the preprocessing width (RNNprop) or 2 (DMoptimizer). */
    final int inputs;
    final int gates;
    private final int capacity;
    /** RNNprop's moments over the block's coordinates, advanced by each step of the forward pass. */
    final float[] m = new float[BLOCK];
    final float[] v = new float[BLOCK];
    /** The optimizee gradients of the step being processed, zero past the block's coordinates. */
    final float[] grad = new float[BLOCK];
    /** In the backward pass, {@code sum_{k > t} w_k g_k}: minus dS/d(update_t), the update of step t. */
    final float[] laterGradients = new float[BLOCK];

    ReplayBlock(ReplayNetwork shape, int steps) {
        rnnprop = shape.rnnprop;
        hidden = shape.hidden;
        inputs = shape.inputs;
        gates = shape.gates;
        capacity = steps;
    }

    /** Whether this block's memory serves {@code net} for {@code steps} replayed steps. */
    final boolean fits(ReplayNetwork net, int steps) {
        return rnnprop == net.rnnprop && hidden == net.hidden && inputs == net.inputs && steps <= capacity;
    }

    /**
     * The meta-gradient of coordinates {@code [start, start + count)} ({@code count <= BLOCK}) over
     * {@code period}, written to {@code out[outOff ..]} in the flat layout of {@link ReplayNetwork}.
     */
    final void run(ReplayNetwork net, Period period, int start, int count, float[] out, int outOff) {
        int steps = period.steps();
        float[][] gradients = period.gradients();
        double[] lossWeights = period.lossWeights();
        prepare(net);
        load(period.state0(), start, count);
        for (int t = 0; t < steps; t++) {
            fillGradient(gradients[t], start, count);
            forward(net, t, period.t0() + t + 1);
        }
        Arrays.fill(laterGradients, 0f);
        startBackward();
        for (int t = steps - 1; t >= 0; t--) {
            if (t + 1 < gradients.length && lossWeights[t + 1] != 0) {
                // the update of step t moves every later theta_k
                fillGradient(gradients[t + 1], start, count);
                float wk = (float) lossWeights[t + 1];
                for (int l = 0; l < BLOCK; l++) {
                    laterGradients[l] += wk * grad[l];
                }
            }
            backward(net, t);
        }
        flush(net, out, outOff);
    }

    /** The block's rows of the period's start state, through {@link #setState}; padding lanes zero. */
    private void load(float[] state0, int start, int count) {
        int at = rnnprop ? 2 : 0;
        int width = at + 4 * hidden;
        if (count < BLOCK) {
            Arrays.fill(m, 0f);
            Arrays.fill(v, 0f);
            clearState();
        }
        for (int l = 0; l < count; l++) {
            int r = (start + l) * width;
            if (rnnprop) {
                m[l] = state0[r];
                v[l] = state0[r + 1];
            }
            for (int u = 0; u < hidden; u++) {
                int s = r + at + u;
                setState(u, l, state0[s], state0[s + hidden], state0[s + 2 * hidden], state0[s + 3 * hidden]);
            }
        }
    }

    private void fillGradient(float[] g, int start, int count) {
        System.arraycopy(g, start, grad, 0, count);
        if (count < BLOCK) {
            Arrays.fill(grad, count, BLOCK, 0f);
        }
    }

    /** Makes ready for the network {@code net} (called before each block). */
    void prepare(ReplayNetwork net) {
    }

    /** Zeroes the start state's h and c. */
    abstract void clearState();

    /** Unit {@code unit} of the start state of coordinate {@code lane}. */
    abstract void setState(int unit, int lane, float h1, float c1, float h2, float c2);

    /** Step t (0-based in the period; {@code step} is its global 1-based count) on {@link #grad}, recorded. */
    abstract void forward(ReplayNetwork net, int t, long step);

    /** Zeroes the gradients with respect to the state after the last step. */
    abstract void startBackward();

    /** Backpropagates step t, whose update has gradient {@code -laterGradients}. */
    abstract void backward(ReplayNetwork net, int t);

    /** Writes the block's gradient to {@code out[outOff ..]} and zeroes the sums for the next block. */
    abstract void flush(ReplayNetwork net, float[] out, int outOff);
}
