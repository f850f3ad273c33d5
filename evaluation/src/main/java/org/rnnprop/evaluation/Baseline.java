package org.rnnprop.evaluation;

import java.util.function.DoubleFunction;
import org.rnnprop.tasks.optim.Adadelta;
import org.rnnprop.tasks.optim.Adagrad;
import org.rnnprop.tasks.optim.FlatOptimizer;
import org.rnnprop.tasks.optim.Momentum;
import org.rnnprop.tasks.optim.RmsProp;
import org.rnnprop.tasks.optim.Sgd;
import org.rnnprop.tasks.optim.TensorFlowAdam;

/**
 * The traditional algorithms of the specification, TensorFlow 1.x semantics and defaults, learning rate to tune.
 * Learning rates live on the grid {@code 2^(k/2)}, k an integer ("half-exponent").
 */
public enum Baseline {
    SGD("SGD", 2, Sgd::new),
    MOMENTUM("Momentum", -2, Momentum::new),
    ADAGRAD("Adagrad", -2, Adagrad::new),
    ADADELTA("Adadelta", 8, Adadelta::new),
    RMSPROP("RMSprop", -8, RmsProp::new),
    ADAM("Adam", -11, TensorFlowAdam::new);

    private final String label;
    private final int startHalfExponent;
    private final DoubleFunction<FlatOptimizer> factory;

    Baseline(String label, int startHalfExponent, DoubleFunction<FlatOptimizer> factory) {
        this.label = label;
        this.startHalfExponent = startHalfExponent;
        this.factory = factory;
    }

    /** The name in tables. */
    public String label() {
        return label;
    }

    /** The lower-case name used in cache keys and file names. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Where the grid search starts when the test gives no hint: a guess at the best learning rate for 100
     * steps of a small network; the search widens from there until the best value is inside the grid.
     */
    public int startHalfExponent() {
        return startHalfExponent;
    }

    /** A fresh optimizer at learning rate {@code lr}. */
    public FlatOptimizer create(double lr) {
        return factory.apply(lr);
    }

    /** The learning rate {@code 2^(k/2)}. */
    public static double learningRate(int halfExponent) {
        return Math.pow(2, halfExponent / 2.0);
    }

    /** {@code "2^-5.5"} for k = -11. */
    public static String formatRate(int halfExponent) {
        return halfExponent % 2 == 0 ? "2^" + halfExponent / 2 : "2^" + (halfExponent / 2.0);
    }
}
