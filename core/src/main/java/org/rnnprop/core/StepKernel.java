package org.rnnprop.core;

import java.nio.FloatBuffer;

/**
 * One step of a learned optimizer over a batch of coordinates: a pure function of (weights, state, gradient)
 * giving (update, new state), with the state updated in place.
 *
 * <p>Conventions shared by every implementation in the library:
 * <ul>
 *   <li>{@code theta_new = theta - update};</li>
 *   <li>the state is row-major, one row of {@link #stateWidth()} floats per coordinate (layout in
 *       {@link NetworkLayout}); a fresh state is all zeros;</li>
 *   <li>{@code t} is the 1-based step count, shared by all coordinates of one optimizer;</li>
 *   <li>a coordinate whose gradient is NaN or infinite is skipped: its update is 0 and its state row is left
 *       exactly as it was; the number skipped is returned.</li>
 * </ul>
 *
 * <p>A kernel made with threads of its own stops them in {@link #close()}; for every other kernel closing does
 * nothing, so code that gets a kernel from {@link StepKernels} can always close it (try-with-resources).
 */
public interface StepKernel extends AutoCloseable {

    /** The network this kernel runs. */
    OptimizerWeights weights();

    /** Floats of state per coordinate. */
    default int stateWidth() {
        return weights().stateWidth();
    }

    /**
     * Runs one step for {@code n} coordinates. Buffers are read and written at absolute indices from 0;
     * their positions and limits are ignored. {@code update} may be the same buffer as {@code grad}.
     *
     * @param t 1-based step count
     * @param grad {@code n} gradients
     * @param state {@code n * stateWidth()} floats, updated in place
     * @param update receives {@code n} updates
     * @param n number of coordinates
     * @return the number of coordinates skipped because their gradient was not finite
     */
    int step(long t, FloatBuffer grad, FloatBuffer state, FloatBuffer update, int n);

    /**
     * Array form of {@link #step(long, FloatBuffer, FloatBuffer, FloatBuffer, int)}, for tests and one-off
     * calls: it wraps the arrays in new buffers on every call, where the buffer form allocates nothing.
     */
    default int step(long t, float[] grad, float[] state, float[] update) {
        if (state.length != (long) grad.length * stateWidth() || update.length != grad.length) {
            throw new IllegalArgumentException("state must hold " + stateWidth() + " floats per gradient ("
                    + (long) grad.length * stateWidth() + "), got " + state.length + "; update " + grad.length
                    + ", got " + update.length);
        }
        FloatBuffer g = FloatBuffer.wrap(grad);
        return step(t, g, FloatBuffer.wrap(state), update == grad ? g : FloatBuffer.wrap(update), grad.length);
    }

    /** Stops the kernel's own threads, if it has any (it cannot step after that); by default does nothing. */
    @Override
    default void close() {
    }

    /** Checks the step count; shared by implementations. */
    static void requireStep(long t) {
        if (t < 1) {
            throw new IllegalArgumentException("step count t is 1-based, got " + t);
        }
    }
}
