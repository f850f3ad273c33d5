package org.rnnprop.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Random;
import org.rnnprop.core.OptimizerKind;
import org.rnnprop.datasets.LabeledImages;
import org.rnnprop.examples.data.Minibatches;
import org.rnnprop.pretrained.Pretrained;

/**
 * Trains the specification's base MLP (784 → 20 sigmoid → 10, softmax cross-entropy averaged over the batch,
 * batch 128, a fresh minibatch every step, every parameter drawn from N(0, 0.1²)) on MNIST, in DJL (PyTorch
 * engine) or in Deeplearning4j, with a learned optimizer or Adam, from given initial parameters and on a given
 * minibatch sequence. Runs that share those two inputs are directly comparable, across optimizers and across
 * frameworks.
 *
 * <pre>{@code
 * LabeledImages train = Mnist.load(Mnist.Split.TRAIN);
 * InitialParameters init = BaseMlpTraining.specInitialization(1);
 * int[][] batches = BaseMlpTraining.minibatches(2, 100, train.numExamples());
 * Run run = BaseMlpTraining.train(Framework.DJL, OptimizerChoice.pretrained("rnnprop"), init, train, batches, null);
 * System.out.println(run.losses()[0] + " -> " + run.meanOfLast(10));
 * }</pre>
 */
public final class BaseMlpTraining {
    /** Input size: 28 x 28 pixels in [0, 1]. */
    public static final int INPUTS = 784;
    /** Hidden sigmoid units. */
    public static final int HIDDEN = 20;
    /** Output classes. */
    public static final int CLASSES = 10;
    /** Minibatch size of the specification. */
    public static final int BATCH_SIZE = 128;
    /** Standard deviation of the initial parameters (weights and biases alike). */
    public static final double INIT_STD = 0.1;
    /** Parameters of the base MLP: 784 x 20 + 20 + 20 x 10 + 10 = 15,910. */
    public static final int NUM_PARAMETERS = INPUTS * HIDDEN + HIDDEN + HIDDEN * CLASSES + CLASSES;

    private BaseMlpTraining() {
    }

    /** The two host frameworks. */
    public enum Framework {
        /** DJL with the PyTorch engine; the learned optimizer is {@code org.rnnprop.djl.RnnpropOptimizer}. */
        DJL("DJL"),
        /** Deeplearning4j (ND4J CPU backend); the learned optimizer is {@code org.rnnprop.dl4j.Rnnprop}. */
        DL4J("DL4J");

        private final String label;

        Framework(String label) {
            this.label = label;
        }

        /** Display name. */
        public String label() {
            return label;
        }
    }

    /**
     * Initial parameters of the base MLP. Kernels are {@code [in, out]} row-major (the layout of
     * {@code org.rnnprop.tasks.MlpTask}); each framework copies them into its own layout.
     *
     * @param w1 hidden kernel, 784 x 20
     * @param b1 hidden bias, 20
     * @param w2 output kernel, 20 x 10
     * @param b2 output bias, 10
     */
    public record InitialParameters(float[] w1, float[] b1, float[] w2, float[] b2) {
        /** Checks the sizes. */
        public InitialParameters {
            check("w1", w1, INPUTS * HIDDEN);
            check("b1", b1, HIDDEN);
            check("w2", w2, HIDDEN * CLASSES);
            check("b2", b2, CLASSES);
        }

        private static void check(String name, float[] a, int n) {
            if (a.length != n) {
                throw new IllegalArgumentException(name + " has " + a.length + " values, expected " + n);
            }
        }

        /** Splits a flat vector laid out as w1, b1, w2, b2 ({@link #NUM_PARAMETERS} values). */
        public static InitialParameters fromFlat(float[] flat) {
            if (flat.length != NUM_PARAMETERS) {
                throw new IllegalArgumentException("expected " + NUM_PARAMETERS + " values, got " + flat.length);
            }
            int a = INPUTS * HIDDEN;
            int b = a + HIDDEN;
            int c = b + HIDDEN * CLASSES;
            return new InitialParameters(Arrays.copyOfRange(flat, 0, a), Arrays.copyOfRange(flat, a, b),
                    Arrays.copyOfRange(flat, b, c), Arrays.copyOfRange(flat, c, NUM_PARAMETERS));
        }

        /** A kernel {@code [in, out]} transposed to {@code [out, in]} (the layout of DJL's {@code Linear} weight). */
        static float[] transpose(float[] kernel, int in, int out) {
            float[] t = new float[kernel.length];
            for (int i = 0; i < in; i++) {
                for (int o = 0; o < out; o++) {
                    t[o * in + i] = kernel[i * out + o];
                }
            }
            return t;
        }
    }

    /**
     * The specification's initialisation: all {@link #NUM_PARAMETERS} values i.i.d. N(0, 0.1²), drawn in the
     * order w1, b1, w2, b2 from {@code java.util.Random(seed)} (whose Gaussian is specified by the JDK, so the
     * values are the same on every JVM).
     */
    public static InitialParameters specInitialization(long seed) {
        Random r = new Random(seed);
        float[] flat = new float[NUM_PARAMETERS];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = (float) (r.nextGaussian() * INIT_STD);
        }
        return InitialParameters.fromFlat(flat);
    }

    /**
     * A fresh minibatch of {@link #BATCH_SIZE} example indices for each of {@code steps} steps: consecutive
     * slices of a random permutation of the training set, reshuffled when it runs out (so no example repeats
     * within an epoch), from {@code java.util.Random(seed)}.
     */
    public static int[][] minibatches(long seed, int steps, int numExamples) {
        return Minibatches.draw(seed, steps, numExamples, BATCH_SIZE);
    }

    /** The optimizers the demo and the tests compare. */
    public sealed interface OptimizerChoice permits Learned, Adam {
        /** Display name, e.g. {@code "RNNprop (rnnprop = rnnprop-long-es)"} or {@code "Adam 2^-5"}. */
        String label();

        /** A short identifier for file contents such as CSV headers: no spaces or commas. */
        String id();

        /**
         * A learned optimizer shipped in {@code rnnprop-pretrained} under {@code name}.
         *
         * @throws IllegalArgumentException if no optimizer of that name is shipped (the message lists those that are)
         */
        static Learned pretrained(String name) {
            if (!Pretrained.names().contains(name)) {
                throw new IllegalArgumentException("no pretrained optimizer named '" + name + "' is shipped; shipped: "
                        + Pretrained.names());
            }
            try {
                return new Learned(name, Pretrained.load(name).kind());
            } catch (IOException e) {
                throw new UncheckedIOException("shipped weights '" + name + "' are corrupt: " + e.getMessage(), e);
            }
        }

        /** Adam with learning rate {@code lr} and TensorFlow's defaults (0.9, 0.999, 1e-8). */
        static Adam adam(double lr) {
            return new Adam(lr);
        }
    }

    /**
     * A learned optimizer shipped under {@code name} (see {@link Pretrained#names()}); make it with
     * {@link OptimizerChoice#pretrained(String)}.
     *
     * @param name the shipped name, e.g. {@code "rnnprop"}
     * @param kind RNNprop or DMoptimizer, as the weight file says
     */
    public record Learned(String name, OptimizerKind kind) implements OptimizerChoice {
        @Override
        public String label() {
            String file = Pretrained.resolve(name); // an alias shows the file it stands for
            return (kind == OptimizerKind.RNNPROP ? "RNNprop" : "DMoptimizer") + " ("
                    + (file.equals(name) ? name : name + " = " + file) + ")";
        }

        @Override
        public String id() {
            return name;
        }
    }

    /**
     * Adam (beta1 0.9, beta2 0.999, epsilon 1e-8) with a fixed learning rate.
     *
     * @param learningRate the step size
     */
    public record Adam(double learningRate) implements OptimizerChoice {
        /** Checks the learning rate. */
        public Adam {
            if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
                throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
            }
        }

        /** "Adam 2^-5" for (half-)integer powers of two, else "Adam 0.001". */
        @Override
        public String label() {
            return "Adam " + rate();
        }

        @Override
        public String id() {
            return "adam-" + rate();
        }

        private String rate() {
            double e = Math.log(learningRate) / Math.log(2);
            if (Math.abs(2 * e - Math.rint(2 * e)) < 1e-9) {
                double h = Math.rint(2 * e) / 2;
                return "2^" + (h == Math.rint(h) ? String.valueOf((long) h) : String.valueOf(h));
            }
            return java.math.BigDecimal.valueOf(learningRate).stripTrailingZeros().toPlainString();
        }
    }

    /**
     * The outcome of one training run.
     *
     * @param framework    where it ran
     * @param optimizer    what optimized
     * @param losses       loss of step {@code t} (index {@code t - 1}): the batch-mean cross-entropy on that
     *                     step's minibatch at the parameters before that step's update, so {@code losses[0]} is
     *                     the loss at the initial parameters
     * @param testAccuracy fraction of the test set classified correctly after the last step, or NaN if no test
     *                     set was given
     * @param seconds      wall-clock time of the training loop (model set-up and test evaluation excluded)
     */
    public record Run(Framework framework, OptimizerChoice optimizer, float[] losses, double testAccuracy,
            double seconds) {
        /** Mean of the last {@code n} losses (all of them if there are fewer). */
        public double meanOfLast(int n) {
            int from = Math.max(0, losses.length - n);
            double sum = 0;
            for (int i = from; i < losses.length; i++) {
                sum += losses[i];
            }
            return sum / (losses.length - from);
        }

        /** Display name: framework and optimizer. */
        public String label() {
            return framework.label() + " " + optimizer.label();
        }
    }

    /**
     * Trains the base MLP from {@code init} for {@code batches.length} steps, step {@code t} on the examples
     * {@code batches[t - 1]} of {@code train}.
     *
     * @param test if not null, the test accuracy of the final parameters is measured on it
     */
    public static Run train(Framework framework, OptimizerChoice optimizer, InitialParameters init,
            LabeledImages train, int[][] batches, LabeledImages test) {
        checkData(train);
        if (test != null) {
            checkData(test);
        }
        return switch (framework) {
            case DJL -> DjlBaseMlp.train(optimizer, init, train, batches, test);
            case DL4J -> Dl4jBaseMlp.train(optimizer, init, train, batches, test);
        };
    }

    private static void checkData(LabeledImages data) {
        if (data.imageSize() != INPUTS || data.numClasses() != CLASSES) {
            throw new IllegalArgumentException("the base MLP needs 784-pixel images in 10 classes, got " + data);
        }
    }

    /** Fraction of {@code predicted} equal to {@code labels}. */
    static double accuracy(long[] predicted, int[] labels) {
        int right = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predicted[i] == labels[i]) {
                right++;
            }
        }
        return (double) right / labels.length;
    }
}
