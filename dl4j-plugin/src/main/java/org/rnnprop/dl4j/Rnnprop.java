package org.rnnprop.dl4j;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.rnnprop.core.OptimizerKind;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.StatePrecision;
import org.rnnprop.pretrained.Pretrained;

/**
 * RNNprop (or DMoptimizer) as a Deeplearning4j updater: a drop-in replacement for {@code Adam} in any layer or
 * network configuration, made the way DL4J's own configs are.
 *
 * <pre>{@code
 * new NeuralNetConfiguration.Builder()
 *         .updater(new Rnnprop())                                    // the shipped "rnnprop", like new Adam()
 *         ...
 * Rnnprop.builder().pretrained("rnnprop").alphaScale(0.5).build()   // like Adam.builder()...build()
 * Rnnprop.pretrained("rnnprop").withAlphaScale(0.5)                 // the same
 * Rnnprop.builder().statePrecision(StatePrecision.BFLOAT16).build()  // half the state memory
 * new Rnnprop(new CosineSchedule(ScheduleType.ITERATION, 1, 0.01, steps)) // like new Adam(schedule)
 * }</pre>
 *
 * <p>A plain value, like DL4J's own configs: it names where the optimizer's weights come from (a weight file
 * shipped in {@code rnnprop-pretrained}, or a file on disk), a multiplier on the step bound (a constant or a
 * schedule) and how the state is stored, and nothing else, so it is cheap to clone and survives
 * {@code MultiLayerConfiguration.toJson()/fromJson()} and {@code ModelSerializer}. Which optimizer runs,
 * RNNprop or DMoptimizer, is read from the weight file. Every argument is checked when it is given: a scale
 * that is not positive and finite, or a pretrained name that is not shipped, throws
 * {@link IllegalArgumentException} at once; a constant scale and a schedule given together are refused (see
 * below).
 *
 * <p>Weights are loaded on first use (DL4J asks for {@link #stateSize} when it makes the network's updater, at
 * the first {@code fit} or {@code getUpdater()}) and
 * cached for the life of the JVM, keyed by source and {@code alphaScale}: a file is read once even if it later
 * changes on disk. A relative file path resolves against the working directory at that first use. A missing
 * or invalid file fails with an {@link java.io.UncheckedIOException} whose message names the file and the
 * field at fault.
 *
 * <p><b>No learning rate.</b> The step size is learned; {@link #hasLearningRate()} is {@code false}, so
 * {@code net.setLearningRate(...)} and learning-rate schedules leave this updater alone, and DL4J regularizers
 * that scale with the learning rate (such as {@code WeightDecay} with {@code applyLR}) use 1.0. The one knob is
 * the alpha scale: RNNprop's step is bounded by {@code alphaScale * alpha} per coordinate ({@code alpha} = 0.1
 * in the shipped files); for DMoptimizer it scales the output the same way.
 *
 * <p><b>A schedule on the alpha scale.</b> {@link #withAlphaScaleSchedule} (or {@link Builder#alphaScaleSchedule},
 * or {@link #Rnnprop(ISchedule)}) takes any DL4J {@link ISchedule}, such as {@link CosineSchedule} or DL4J's own
 * {@code ExponentialSchedule}, {@code StepSchedule}, {@code MapSchedule}, {@code CycleSchedule}. Its value at
 * DL4J's (iteration, epoch) of each step <em>is</em> the alpha scale of that step: it replaces the constant, as
 * {@code Adam}'s learning-rate schedule replaces its learning rate and as the DJL plugin's
 * {@code optAlphaScale(ParameterTracker)} does, so the same schedule means the same bounds in both plugins. A
 * constant scale other than 1 and a schedule do not combine: the builder refuses both, and so do the
 * {@code with} methods, naming the parameter (fold a constant into the schedule's values instead). The update
 * is linear in the bound, so each step's update is the update at a constant scale of 1 multiplied by the
 * schedule's value; the optimizer's state does not depend on the scale. A value of 0 makes a step's update 0
 * (the state still advances); a value that is negative, NaN or infinite stops the step with an
 * {@link IllegalArgumentException} naming the schedule, the iteration and the epoch, before anything changes.
 * DL4J passes its 0-based iteration count and its epoch count, which {@code fit(DataSetIterator)} advances after
 * each pass over the data (a loop of {@code fit(DataSet)} stays in epoch 0), and both travel with a saved model,
 * so a restored network goes on along its schedule.
 *
 * <p>The state is {@code stateWidth} floats per parameter (82 for RNNprop, 80 for DMoptimizer), far more than
 * Adam's 2: budget memory accordingly. DL4J adds up a whole network's updater state in 32-bit ints, so under
 * this updater a network can have about 26 million parameters at most (2^31 - 1 floats of state); a larger one
 * is refused when DL4J makes its updater ({@link #stateSize}, {@link #instantiate(INDArray, boolean)}), before
 * any state is allocated or any step is taken.
 *
 * <p><b>16-bit state.</b> {@link #withStatePrecision} with {@link StatePrecision#BFLOAT16} or
 * {@link StatePrecision#FLOAT16} stores the 80 LSTM values of each parameter in 16 bits, two to a float slot of
 * DL4J's updater state, and the moments m, v as floats: 42 slots per parameter (DMoptimizer: 40), so half the
 * memory and a limit of about 51 million parameters. Every step still computes in float32
 * ({@code org.rnnprop.core.PackedStep}); the LSTM values are rounded to nearest even after it. The slots hold
 * bit patterns, not numbers: DL4J features that do arithmetic on updater state, such as parameter averaging of
 * updaters (Spark's {@code ParameterAveragingTrainingMaster} with {@code averageUpdaters}, the default, or
 * {@code ParallelWrapper}'s averaging), would mix the packed halves and must not be used with it.
 * {@code ModelSerializer} saves and restores it exactly.
 *
 * The optimizer's step count is DL4J's iteration count plus one, so it continues correctly after a model is
 * saved and restored with its updater state; restored without it, the state starts at zero while the count
 * goes on, as with DL4J's own Adam.
 *
 * <p>A parameter whose gradient is zero still moves, by up to {@code alpha} per step: the network's output for
 * a zero input is not zero (as in the paper's optimizer). Freeze layers that should stay put.
 */
public final class Rnnprop implements IUpdater {
    private static final long serialVersionUID = 1L;

    /** The shipped weights {@link #Rnnprop()} and {@link #builder()} use unless told otherwise. */
    public static final String DEFAULT_PRETRAINED = Pretrained.DEFAULT_RNNPROP;
    /** The default multiplier on the step bound: the weights' own {@code alpha}. */
    public static final double DEFAULT_ALPHA_SCALE = 1.0;

    // Exactly one of pretrained and file is set. Field names are the JSON property names.
    /** Shipped weights' name, or null. */
    private final String pretrained;
    /**
     * The shipped file {@link #pretrained} named when this config was made (an alias such as "rnnprop" resolved),
     * or null: saved with the network, so a network restored after an alias has moved to newer weights keeps
     * the weights it was trained with. Absent from older JSON, where the alias is read as it stood then
     * ({@link #ALIASES_BEFORE_FILES}).
     */
    private final String pretrainedFile;
    /** Weight file path as given (a String: Path is neither Serializable nor a plain JSON value), or null. */
    private final String file;
    /** Multiplier on the weights' alpha. */
    private final double alphaScale;
    /** How the state is stored; absent from older JSON, which means float32. */
    private final StatePrecision statePrecision;
    /** The alpha scale per step, replacing {@link #alphaScale} (then 1); absent from older JSON: none. */
    private final ISchedule alphaScaleSchedule;

    /** The shipped {@value #DEFAULT_PRETRAINED} at alpha scale 1, as {@code new Adam()} is Adam's defaults. */
    public Rnnprop() {
        this(DEFAULT_PRETRAINED, Pretrained.resolve(DEFAULT_PRETRAINED), null, DEFAULT_ALPHA_SCALE,
                StatePrecision.FLOAT32, null);
    }

    /**
     * The shipped {@value #DEFAULT_PRETRAINED} with its alpha scale following {@code alphaScaleSchedule}, as
     * {@code new Adam(ISchedule)} is Adam with a learning-rate schedule (see the class comment).
     */
    public Rnnprop(ISchedule alphaScaleSchedule) {
        this(DEFAULT_PRETRAINED, Pretrained.resolve(DEFAULT_PRETRAINED), null, DEFAULT_ALPHA_SCALE,
                StatePrecision.FLOAT32, Objects.requireNonNull(alphaScaleSchedule, "alphaScaleSchedule"));
    }

    @JsonCreator
    private Rnnprop(@JsonProperty("pretrained") String pretrained,
            @JsonProperty("pretrainedFile") String pretrainedFile, @JsonProperty("file") String file,
            @JsonProperty("alphaScale") Double alphaScale,
            @JsonProperty("statePrecision") StatePrecision statePrecision,
            @JsonProperty("alphaScaleSchedule") ISchedule alphaScaleSchedule) {
        if ((pretrained == null) == (file == null)) {
            throw new IllegalArgumentException(
                    "Rnnprop needs exactly one weight source, a pretrained name or a file; got pretrained="
                            + pretrained + ", file=" + file);
        }
        this.pretrained = pretrained == null ? null : requireShipped(pretrained);
        this.pretrainedFile = pretrained == null ? null : pinned(pretrained, pretrainedFile);
        this.file = file;
        this.alphaScale = requireAlphaScale(alphaScale == null ? DEFAULT_ALPHA_SCALE : alphaScale);
        this.statePrecision = statePrecision == null ? StatePrecision.FLOAT32 : statePrecision;
        if (alphaScaleSchedule != null && this.alphaScale != DEFAULT_ALPHA_SCALE) {
            throw new IllegalArgumentException(bothScales(this.alphaScale, alphaScaleSchedule));
        }
        this.alphaScaleSchedule = alphaScaleSchedule;
    }

    /** A copy of a checked config, checked no more: DL4J clones configs often. */
    private Rnnprop(Rnnprop other) {
        this.pretrained = other.pretrained;
        this.pretrainedFile = other.pretrainedFile;
        this.file = other.file;
        this.alphaScale = other.alphaScale;
        this.statePrecision = other.statePrecision;
        this.alphaScaleSchedule = other.alphaScaleSchedule == null ? null : other.alphaScaleSchedule.clone();
    }

    /** A builder with the defaults of {@link #Rnnprop()}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The optimizer shipped under {@code name} in {@code rnnprop-pretrained} (see
     * {@code org.rnnprop.pretrained.Pretrained.names()}), e.g. {@code "rnnprop"} or {@code "rnnprop-untrained"}.
     *
     * @throws IllegalArgumentException if no optimizer of that name is shipped (the message lists those that are)
     */
    public static Rnnprop pretrained(String name) {
        return builder().pretrained(name).build();
    }

    /** The optimizer in a weight file written by {@code org.rnnprop.core.WeightFile}; read on first use. */
    public static Rnnprop fromFile(Path file) {
        return builder().file(file).build();
    }

    /**
     * The same optimizer with its step bound (RNNprop) or output scale (DMoptimizer) multiplied by {@code scale}.
     * 0.5 is a good start for convolutional networks, where the full bound can leave a deep ReLU network stuck at
     * chance level (the README's measurements).
     *
     * @throws IllegalArgumentException if {@code scale} is not positive and finite
     * @throws IllegalStateException if this config's alpha scale follows a schedule (the two do not combine)
     */
    public Rnnprop withAlphaScale(double scale) {
        if (alphaScaleSchedule != null) {
            throw new IllegalStateException(bothScales(scale, alphaScaleSchedule));
        }
        return new Rnnprop(pretrained, pretrainedFile, file, scale, statePrecision, null);
    }

    /**
     * The same optimizer with its alpha scale at each step given by {@code schedule} at DL4J's (iteration,
     * epoch), replacing the constant scale (see the class comment), e.g. a cosine decay of the step bound over
     * a planned number of iterations: {@code withAlphaScaleSchedule(new CosineSchedule(ScheduleType.ITERATION,
     * 1, 0.01, plannedIterations))}. A config that already has a schedule gets the new one in its place.
     *
     * @throws IllegalStateException if this config has a constant alpha scale other than 1 (the two do not
     *     combine: put the constant into the schedule's values)
     */
    public Rnnprop withAlphaScaleSchedule(ISchedule schedule) {
        Objects.requireNonNull(schedule, "schedule");
        if (alphaScale != DEFAULT_ALPHA_SCALE) {
            throw new IllegalStateException(bothScales(alphaScale, schedule));
        }
        return new Rnnprop(pretrained, pretrainedFile, file, alphaScale, statePrecision, schedule);
    }

    /**
     * The same optimizer with its state stored in {@code precision} (see the class comment); a network's
     * updater state made under one precision cannot be used under another.
     */
    public Rnnprop withStatePrecision(StatePrecision precision) {
        return new Rnnprop(pretrained, pretrainedFile, file, alphaScale,
                Objects.requireNonNull(precision, "precision"), alphaScaleSchedule);
    }

    /** The shipped name the weights come from, as given, or {@code null} when they come from a file. */
    public String getPretrained() {
        return pretrained;
    }

    /**
     * The shipped file the weights come from: {@link #getPretrained()} with an alias resolved when this config
     * was made (and kept through JSON and {@code ModelSerializer}), or {@code null} when they come from a file.
     */
    public String getPretrainedFile() {
        return pretrainedFile;
    }

    /** The weight file the weights come from, or {@code null} when they are a shipped one. */
    public Path getFile() {
        return file == null ? null : Path.of(file);
    }

    /**
     * The constant multiplier on the weights' {@code alpha}: 1 when a schedule gives the scale
     * ({@link #getAlphaScaleSchedule()}).
     */
    public double getAlphaScale() {
        return alphaScale;
    }

    /** The schedule that gives the alpha scale of each step, or {@code null} when the scale is constant. */
    public ISchedule getAlphaScaleSchedule() {
        return alphaScaleSchedule;
    }

    /** How the state is stored: {@link StatePrecision#FLOAT32} unless set. */
    public StatePrecision getStatePrecision() {
        return statePrecision;
    }

    /**
     * The weights this config runs, {@code alpha} already scaled by the constant scale (a schedule scales each
     * step's update on top); loads them on first call.
     *
     * @throws java.io.UncheckedIOException if the file is missing or invalid (the message names file and field)
     */
    public OptimizerWeights weights() {
        return Kernels.weights(this);
    }

    /** RNNprop or DMoptimizer, as the weight file says; loads the weights. */
    public OptimizerKind kind() {
        return weights().kind();
    }

    /**
     * Values (floats of DL4J's updater state array) per parameter: the weights' state width (82 for RNNprop)
     * in float32, 42 in a 16-bit precision; loads the weights.
     */
    public int stateWidth() {
        return statePrecision.slots(weights());
    }

    /** Identifies the weight source in the JVM-wide cache; a relative path is resolved now. */
    String sourceKey() {
        return pretrained != null ? "pretrained:" + pretrainedFile
                : "file:" + Path.of(file).toAbsolutePath().normalize();
    }

    /** Human-readable source, for messages. */
    String sourceDescription() {
        return pretrained == null ? "file " + file : "pretrained '" + pretrained + "'" + fileOfAlias();
    }

    /** {@code " (FILE)"} where {@link #pretrained} is an alias of another file, else empty. */
    private String fileOfAlias() {
        return pretrained.equals(pretrainedFile) ? "" : " (" + pretrainedFile + ")";
    }

    /**
     * Floats of state for {@code numParams} parameters: {@code numParams * stateWidth()}; loads the weights.
     *
     * @throws IllegalArgumentException if that is more than DL4J's updater state holds (the message says the limit)
     */
    @Override
    public long stateSize(long numParams) {
        long size = numParams * stateWidth();
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(limit(numParams + " parameters need " + size + " floats"));
        }
        return size;
    }

    /**
     * The updater of one block of parameters, on its view of the network's updater state.
     *
     * @throws IllegalArgumentException if the view is missing or not whole rows of state: what DL4J hands over
     *     when the network's updater state passed 2^31 - 1 floats (the message says the limit)
     */
    @Override
    public RnnpropUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
        RnnpropUpdater u = new RnnpropUpdater(this);
        // DL4J sizes the network's state array with a 32-bit sum of stateSize over every variable. Each variable
        // passes stateSize, but past 2^31 - 1 floats in all the sum wraps: DL4J then makes no array and hands
        // each block no view (or one of the wrong size), and would fail only at the first step.
        if (viewArray == null || viewArray.length() == 0 || viewArray.length() % u.stateWidth() != 0) {
            throw new IllegalArgumentException(limit("DL4J handed this block " + (viewArray == null
                    ? "no state array" : "a state array of " + viewArray.length() + " floats, not whole rows")
                    + ", as it does when the whole network's updater state overflows a 32-bit int"));
        }
        u.setStateViewArray(viewArray, new long[] {viewArray.length() / u.stateWidth()}, 'c', initializeViewArray);
        return u;
    }

    /** An error message for a network past DL4J's limit, stating the limit. */
    private String limit(String what) {
        int width = stateWidth();
        String kept = statePrecision.isCompact() ? width + " floats of state per parameter (" + statePrecision.id()
                + " LSTM values, two to a float)" : width + " floats of state per parameter";
        return "Rnnprop keeps " + kept + ", and DL4J adds up the updater state of "
                + "a whole network in a 32-bit int: at most " + Integer.MAX_VALUE + " floats, so a network can have at "
                + "most " + Integer.MAX_VALUE / width + " parameters under Rnnprop (fewer if other layers' updaters "
                + "keep state too); " + what + ". Train fewer parameters with Rnnprop (give some layers another "
                + "updater)" + (statePrecision.isCompact() ? "" : ", store the state in 16 bits (withStatePrecision(StatePrecision."
                + "BFLOAT16): twice the parameters)") + ", or use the DJL plugin, whose state has no network-wide limit";
    }

    @Override
    public RnnpropUpdater instantiate(Map<String, INDArray> updaterState, boolean initializeStateArrays) {
        RnnpropUpdater u = new RnnpropUpdater(this);
        u.setState(updaterState, initializeStateArrays);
        return u;
    }

    @Override
    public Rnnprop clone() {
        return new Rnnprop(this);
    }

    /** Always {@code NaN}: the step size is learned (see the class comment). */
    @Override
    public double getLearningRate(int iteration, int epoch) {
        return Double.NaN;
    }

    /**
     * Always {@code false}: the step size is learned; scale it with {@link #withAlphaScale} or
     * {@link #withAlphaScaleSchedule}.
     */
    @Override
    public boolean hasLearningRate() {
        return false;
    }

    /**
     * Unsupported, like DL4J's other updaters without a learning rate; DL4J only calls it when
     * {@link #hasLearningRate()} is true.
     */
    @Override
    public void setLrAndSchedule(double lr, ISchedule lrSchedule) {
        throw new UnsupportedOperationException(
                "Rnnprop has no learning rate: its step size is learned. Scale it with withAlphaScale(...) or "
                        + "withAlphaScaleSchedule(...)");
    }

    private static String requireShipped(String name) {
        Pretrained.resolve(name); // throws IllegalArgumentException listing the shipped names
        return name;
    }

    /**
     * What the aliases named before configurations recorded their file ({@code pretrainedFile}, absent from JSON
     * written before 2026-12-08): {@code "rnnprop"} was {@code rnnprop-metalr1e-3} until then. Other names are
     * resolved as they are now.
     */
    static final Map<String, String> ALIASES_BEFORE_FILES = Map.of("rnnprop", "rnnprop-metalr1e-3");

    /**
     * The shipped file behind {@code name}: {@code saved} when the config names one (it must be a shipped file,
     * not an alias); else, for JSON from before the field existed, the file the alias named then.
     */
    private static String pinned(String name, String saved) {
        if (saved == null) {
            return ALIASES_BEFORE_FILES.getOrDefault(name, Pretrained.resolve(name));
        }
        if (!Pretrained.resolve(saved).equals(saved)) {
            throw new IllegalArgumentException("Rnnprop's pretrainedFile must name a shipped weight file, not an "
                    + "alias; got pretrainedFile=" + saved + " (pretrained=" + name + ")");
        }
        return saved;
    }

    private static double requireAlphaScale(double scale) {
        if (!(scale > 0) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException("alphaScale must be positive and finite, got " + scale);
        }
        return scale;
    }

    /** Why a constant alpha scale and a schedule are refused together. */
    private static String bothScales(double scale, ISchedule schedule) {
        return "Rnnprop takes alphaScale or alphaScaleSchedule, not both: the schedule's values are the alpha scale "
                + "itself, replacing the constant (as Adam's learningRateSchedule replaces its learningRate); got "
                + "alphaScale=" + scale + " and alphaScaleSchedule=" + schedule
                + ". Put the constant into the schedule's values";
    }

    /**
     * Settings of an {@link Rnnprop}, named as DL4J's config builders name theirs ({@code Adam.builder()
     * .learningRate(...)}); each is checked when given. The last weight source given wins.
     */
    public static final class Builder {
        private String pretrained = DEFAULT_PRETRAINED;
        private String file;
        private double alphaScale = DEFAULT_ALPHA_SCALE;
        private StatePrecision statePrecision = StatePrecision.FLOAT32;
        private boolean alphaScaleGiven;
        private ISchedule alphaScaleSchedule;

        private Builder() {
        }

        /**
         * Weights shipped in {@code rnnprop-pretrained}, by name (default {@value Rnnprop#DEFAULT_PRETRAINED}).
         *
         * @throws IllegalArgumentException if no optimizer of that name is shipped (the message lists those that are)
         */
        public Builder pretrained(String name) {
            this.pretrained = requireShipped(Objects.requireNonNull(name, "name"));
            this.file = null;
            return this;
        }

        /** Weights from a weight file, read when DL4J first needs them (see the class comment). */
        public Builder file(Path file) {
            this.file = Objects.requireNonNull(file, "file").toString();
            this.pretrained = null;
            return this;
        }

        /**
         * Multiplier on the step bound alpha (RNNprop) or the output scale (DMoptimizer); default 1.
         *
         * @throws IllegalArgumentException if {@code scale} is not positive and finite
         * @throws IllegalStateException if an {@link #alphaScaleSchedule} was given (the two do not combine)
         */
        public Builder alphaScale(double scale) {
            requireAlphaScale(scale);
            if (alphaScaleSchedule != null) {
                throw new IllegalStateException(bothScales(scale, alphaScaleSchedule));
            }
            this.alphaScale = scale;
            this.alphaScaleGiven = true;
            return this;
        }

        /**
         * The alpha scale of each step: the schedule's value at DL4J's (iteration, epoch), in place of a constant
         * {@link #alphaScale} (see {@link Rnnprop}'s class comment), like {@code Adam.builder()
         * .learningRateSchedule(...)}. Given again, the last schedule wins.
         *
         * @throws IllegalStateException if an {@link #alphaScale} was given (the two do not combine: put the
         *     constant into the schedule's values)
         */
        public Builder alphaScaleSchedule(ISchedule schedule) {
            Objects.requireNonNull(schedule, "schedule");
            if (alphaScaleGiven) {
                throw new IllegalStateException(bothScales(alphaScale, schedule));
            }
            this.alphaScaleSchedule = schedule;
            return this;
        }

        /**
         * How the state is stored (default {@link StatePrecision#FLOAT32}); see {@link Rnnprop}'s class comment.
         */
        public Builder statePrecision(StatePrecision precision) {
            this.statePrecision = Objects.requireNonNull(precision, "precision");
            return this;
        }

        /** The config. */
        public Rnnprop build() {
            return new Rnnprop(pretrained, pretrained == null ? null : Pretrained.resolve(pretrained), file,
                    alphaScale, statePrecision, alphaScaleSchedule);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Rnnprop r && Objects.equals(pretrained, r.pretrained)
                && Objects.equals(pretrainedFile, r.pretrainedFile) && Objects.equals(file, r.file)
                && Double.compare(alphaScale, r.alphaScale) == 0 && statePrecision == r.statePrecision
                && Objects.equals(alphaScaleSchedule, r.alphaScaleSchedule);
    }

    @Override
    public int hashCode() {
        return Objects.hash(pretrained, pretrainedFile, file, alphaScale, statePrecision, alphaScaleSchedule);
    }

    @Override
    public String toString() {
        return "Rnnprop(" + (pretrained == null ? "file=" + file : "pretrained=" + pretrained + fileOfAlias())
                + (alphaScaleSchedule != null ? ", alphaScaleSchedule=" + alphaScaleSchedule
                        : ", alphaScale=" + alphaScale)
                + (statePrecision.isCompact() ? ", statePrecision=" + statePrecision.id() : "") + ")";
    }
}
