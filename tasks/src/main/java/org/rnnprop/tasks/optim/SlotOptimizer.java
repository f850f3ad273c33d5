package org.rnnprop.tasks.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A hand-crafted optimizer with a learning rate and per-coordinate state arrays ("slots", as TensorFlow calls
 * them). Subclasses say how the slots start and how one step uses them; the state handling that
 * {@link FlatOptimizer} asks for (replace, never mutate; move between managers) lives here once.
 */
public abstract class SlotOptimizer implements FlatOptimizer {
    private final String label;
    /** The learning rate. */
    protected final double lr;
    /** The state arrays, each of shape [dimension]; replaced by {@link #update}. */
    protected NDArray[] slots = new NDArray[0];

    /**
     * @param label the algorithm's name in tables, e.g. {@code "sgd"}
     * @param lr the learning rate, positive
     */
    protected SlotOptimizer(String label, double lr) {
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("learning rate must be positive and finite, got " + lr);
        }
        this.label = label;
        this.lr = lr;
    }

    /** The learning rate. */
    public double learningRate() {
        return lr;
    }

    @Override
    public String name() {
        return label + "(" + lr + ")";
    }

    @Override
    public void reset(long dimension, NDManager manager) {
        slots = initialSlots(dimension, manager);
    }

    /** The fresh state for {@code dimension} coordinates. */
    protected abstract NDArray[] initialSlots(long dimension, NDManager manager);

    @Override
    public void attachState(NDManager manager) {
        for (NDArray s : slots) {
            s.attach(manager);
        }
    }

    /** A slot of {@code dimension} copies of {@code value}. */
    protected static NDArray filled(long dimension, float value, NDManager manager) {
        return manager.full(new ai.djl.ndarray.types.Shape(dimension), value);
    }
}
