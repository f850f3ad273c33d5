package org.rnnprop.examples.compare;

import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import ai.djl.training.tracker.Tracker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import org.nd4j.linalg.learning.config.IUpdater;
import org.rnnprop.core.WeightFile;
import org.rnnprop.djl.RnnpropOptimizer;
import org.rnnprop.dl4j.Rnnprop;
import org.rnnprop.pretrained.Pretrained;

/**
 * An optimizer taking part in an {@link OptimizerComparison}: a learned optimizer (shipped or from a weight
 * file, with an optional multiplier or DJL schedule on its step bound) or Adam at a fixed learning rate. Each
 * candidate makes a fresh optimizer for every run, in either framework.
 */
public sealed interface Candidate permits Candidate.Learned, Candidate.Adam {
    /** Display name, e.g. {@code "RNNprop"}, {@code "RNNprop alpha x0.5"} or {@code "Adam 1e-3"}. */
    String label();

    /** A fresh Deeplearning4j updater configuration. */
    IUpdater dl4jUpdater();

    /** A fresh DJL optimizer (close it after the run if it is {@link AutoCloseable}). */
    Optimizer djlOptimizer();

    /** The shipped default RNNprop, {@code "rnnprop"}. */
    static Learned rnnprop() {
        return pretrained(RnnpropOptimizer.DEFAULT_PRETRAINED);
    }

    /**
     * A shipped learned optimizer.
     *
     * @throws IllegalArgumentException if no optimizer of that name is shipped (the message lists those that are)
     */
    static Learned pretrained(String name) {
        if (!Pretrained.names().contains(name)) {
            throw new IllegalArgumentException("no pretrained optimizer named '" + name + "' is shipped; shipped: "
                    + Pretrained.names());
        }
        String label = name.equals(RnnpropOptimizer.DEFAULT_PRETRAINED) ? "RNNprop" : name;
        return new Learned(label, name, null, 1.0, null);
    }

    /**
     * A learned optimizer from a weight file, labelled by the file's name without {@code .json}. The file is read
     * once here, so a missing or corrupt one fails at once.
     *
     * @throws UncheckedIOException naming the file and the problem
     */
    static Learned weightFile(Path file) {
        Objects.requireNonNull(file, "file");
        if (!Files.isRegularFile(file)) {
            throw new UncheckedIOException(new IOException("no weight file at " + file));
        }
        try {
            WeightFile.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use weight file " + file + ": " + e.getMessage(), e);
        }
        String name = file.getFileName().toString();
        return new Learned(name.endsWith(".json") ? name.substring(0, name.length() - 5) : name, null, file, 1.0,
                null);
    }

    /** Adam (beta1 0.9, beta2 0.999, epsilon 1e-8 in both frameworks) at a fixed learning rate. */
    static Adam adam(double learningRate) {
        return new Adam(learningRate);
    }

    /**
     * A learned optimizer: exactly one of {@code pretrained} and {@code file} is set.
     *
     * @param label display name
     * @param pretrained shipped name, or null
     * @param file weight file, or null
     * @param alphaScale fixed multiplier on the step bound (1 for the weights' own bound)
     * @param alphaSchedule a DJL schedule of that multiplier over the step count, or null for the fixed one; only
     *     DJL runs accept it
     */
    record Learned(String label, String pretrained, Path file, double alphaScale, ParameterTracker alphaSchedule)
            implements Candidate {
        /** Checks that there is one weight source and a usable scale. */
        public Learned {
            Objects.requireNonNull(label, "label");
            if ((pretrained == null) == (file == null)) {
                throw new IllegalArgumentException("a learned candidate needs exactly one of pretrained and file");
            }
            if (!(alphaScale > 0) || !Double.isFinite(alphaScale)) {
                throw new IllegalArgumentException("alphaScale must be positive and finite, got " + alphaScale);
            }
        }

        /** The same optimizer with its step bound multiplied by {@code scale}, labelled e.g. "RNNprop alpha x0.5". */
        public Learned withAlphaScale(double scale) {
            return new Learned(baseLabel() + " alpha x" + plain(scale), pretrained, file, scale, null);
        }

        /**
         * The same optimizer with a DJL schedule on its step bound's multiplier (the value at each parameter's
         * step count, as {@code RnnpropOptimizer.Builder.optAlphaScale(ParameterTracker)} takes it), labelled
         * with {@code description}. Deeplearning4j runs refuse it.
         */
        public Learned withAlphaSchedule(String description, ParameterTracker schedule) {
            Objects.requireNonNull(schedule, "schedule");
            return new Learned(baseLabel() + " " + description, pretrained, file, 1.0, schedule);
        }

        /** The same optimizer under another display name. */
        public Learned withLabel(String newLabel) {
            return new Learned(newLabel, pretrained, file, alphaScale, alphaSchedule);
        }

        private String baseLabel() {
            int cut = label.indexOf(" alpha");
            return cut < 0 ? label : label.substring(0, cut);
        }

        /** {@inheritDoc} */
        @Override
        public IUpdater dl4jUpdater() {
            if (alphaSchedule != null) {
                throw new UnsupportedOperationException("'" + label + "' schedules its step bound, which only the "
                        + "DJL optimizer supports; give Deeplearning4j a fixed withAlphaScale(...)");
            }
            Rnnprop r = pretrained != null ? Rnnprop.pretrained(pretrained) : Rnnprop.fromFile(file);
            return alphaScale == 1.0 ? r : r.withAlphaScale(alphaScale);
        }

        /** {@inheritDoc} */
        @Override
        public Optimizer djlOptimizer() {
            RnnpropOptimizer.Builder b = RnnpropOptimizer.builder();
            if (pretrained != null) {
                b.optPretrained(pretrained);
            } else {
                b.optWeightsFile(file);
            }
            return b.optAlphaScale(alphaSchedule != null ? alphaSchedule : Tracker.fixed((float) alphaScale)).build();
        }
    }

    /**
     * Adam at a fixed learning rate.
     *
     * @param learningRate the step size, positive
     */
    record Adam(double learningRate) implements Candidate {
        /** Checks the learning rate. */
        public Adam {
            if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
                throw new IllegalArgumentException("learning rate must be positive and finite, got " + learningRate);
            }
        }

        /** "Adam 1e-3", "Adam 3e-4", "Adam 0.0015". */
        @Override
        public String label() {
            return "Adam " + rate(learningRate);
        }

        /** {@inheritDoc} */
        @Override
        public IUpdater dl4jUpdater() {
            return new org.nd4j.linalg.learning.config.Adam(learningRate);
        }

        /** {@inheritDoc} */
        @Override
        public Optimizer djlOptimizer() {
            return Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) learningRate)).build();
        }

        /** A learning rate as people write it: 1e-3, 3e-4, 0.01 stays 1e-2. */
        static String rate(double lr) {
            int exponent = (int) Math.floor(Math.log10(lr) + 1e-9);
            double mantissa = lr / Math.pow(10, exponent);
            if (Math.abs(mantissa - Math.rint(mantissa)) < 1e-9) {
                return String.format(Locale.ROOT, "%de%d", (long) Math.rint(mantissa), exponent);
            }
            return plain(lr);
        }
    }

    /** A number without trailing zeros: 0.5, 0.25, 2. */
    private static String plain(double x) {
        return BigDecimal.valueOf(x).stripTrailingZeros().toPlainString();
    }
}
