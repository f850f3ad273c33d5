package org.rnnprop.core;

/**
 * Every fixed number of the optimizer's step, as in the specification (docs/SPEC.md §1 and §2).
 *
 * <p>The update convention is fixed for the whole library: {@code theta_new = theta - update}. RNNprop's
 * update is {@code alpha * tanh(y)}; DMoptimizer's is {@code -alpha * y} (the network output is added).
 *
 * @param beta1 RNNprop's first-moment decay (0.95)
 * @param beta2 RNNprop's second-moment decay (0.95)
 * @param epsilon added after the square root of the bias-corrected second moment (1e-8)
 * @param alpha RNNprop's step bound, DMoptimizer's output scale (0.1 for both)
 * @param preprocessSize width of RNNprop's ELU preprocessing layer (20; unused by DMoptimizer)
 * @param hiddenSize units in each of the two LSTM layers (20)
 * @param forgetBias added to the forget gate at run time (1.0)
 * @param logScale DMoptimizer's preprocessing constant p (10; unused by RNNprop)
 */
public record Hyperparameters(
        double beta1,
        double beta2,
        double epsilon,
        double alpha,
        int preprocessSize,
        int hiddenSize,
        double forgetBias,
        double logScale) {

    /** Number of LSTM layers; fixed by the specification. */
    public static final int LAYERS = 2;
    /** Widest layer accepted (the specification's are 20): wider would overflow the tensors' int sizes. */
    public static final int MAX_WIDTH = 4096;

    /**
     * The specification's values for a kind. Both kinds share one set: each ignores the fields that only the
     * other uses (see the parameter list).
     */
    public static Hyperparameters defaults(OptimizerKind kind) {
        return new Hyperparameters(0.95, 0.95, 1e-8, 0.1, 20, 20, 1.0, 10.0);
    }

    /** Checks ranges; the message names the offending field. */
    public Hyperparameters {
        requireOpenUnit("beta1", beta1);
        requireOpenUnit("beta2", beta2);
        requirePositiveFinite("epsilon", epsilon);
        requirePositiveFinite("alpha", alpha);
        requirePositiveFinite("logScale", logScale);
        if (!Double.isFinite(forgetBias)) {
            throw new IllegalArgumentException("hyperparameters.forgetBias must be finite, got " + forgetBias);
        }
        requireWidth("preprocessSize", preprocessSize);
        requireWidth("hiddenSize", hiddenSize);
    }

    /** Returns a copy with another step bound (RNNprop) or output scale (DMoptimizer). */
    public Hyperparameters withAlpha(double newAlpha) {
        return new Hyperparameters(beta1, beta2, epsilon, newAlpha, preprocessSize, hiddenSize, forgetBias, logScale);
    }

    private static void requireOpenUnit(String name, double value) {
        if (!(value > 0 && value < 1)) {
            throw new IllegalArgumentException("hyperparameters." + name + " must be in (0, 1), got " + value);
        }
    }

    private static void requireWidth(String name, int value) {
        if (value <= 0 || value > MAX_WIDTH) {
            throw new IllegalArgumentException("hyperparameters." + name + " must be in [1, " + MAX_WIDTH + "], got "
                    + value);
        }
    }

    private static void requirePositiveFinite(String name, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException("hyperparameters." + name + " must be positive and finite, got "
                    + value);
        }
    }
}
