package org.rnnprop.tasks.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * An optimizer over one flat parameter vector, for experiments: {@code theta_new = theta - update}. State
 * lives in the optimizer and is replaced (not mutated) each step. NDArray results belong to the manager of
 * their first operand, so a caller frees each step's temporaries by moving the state into a per-step manager
 * first ({@link #attachState}) and the new state out of it afterwards.
 */
public interface FlatOptimizer {

    /** A short name for tables and logs, e.g. {@code "adam(0.03125)"}. */
    String name();

    /** Starts from a fresh state for {@code dimension} coordinates. */
    void reset(long dimension, NDManager manager);

    /** The update for gradient {@code grad} at 1-based step {@code t}; advances the state. */
    NDArray update(NDArray grad, long t);

    /** Moves the current state arrays to {@code manager}. */
    void attachState(NDManager manager);
}
