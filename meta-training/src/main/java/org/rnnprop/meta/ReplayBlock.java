package org.rnnprop.meta;

/**
 * One thread's part of {@link HandReplay}: the meta-backward of one block of at most {@link #BLOCK}
 * coordinates over one period, with preallocated working memory. It recomputes the optimizer's forward pass
 * from the block's recorded state and gradients, keeping every activation the backward pass needs, then
 * backpropagates through time. Implementations: {@link PlainReplayBlock} in plain Java (the reference, and the
 * fallback), and {@code VectorReplayBlock} on the JDK's Vector API, which {@link ReplayBlocks} loads by name
 * where the JVM can run it; the two agree to float rounding.
 */
interface ReplayBlock {
    /** Coordinates per block. */
    int BLOCK = 64;

    /**
     * What one period recorded, as {@link PeriodBackward#gradient} takes it, and how many of its steps to
     * replay: the first {@code steps}, where every loss weight after index {@code steps} is zero (a later
     * update moves no weighted loss).
     */
    record Period(float[] state0, float[][] gradients, double[] lossWeights, long t0, int steps) {
    }

    /** Whether this block's memory serves {@code net} for {@code steps} replayed steps. */
    boolean fits(ReplayNetwork net, int steps);

    /**
     * The meta-gradient of coordinates {@code [start, start + count)} ({@code count <= BLOCK}) over
     * {@code period}, written to {@code out[outOff ..]} in the flat layout of {@link ReplayNetwork}.
     */
    void run(ReplayNetwork net, Period period, int start, int count, float[] out, int outOff);
}
