package org.rnnprop.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import ai.djl.training.tracker.Tracker;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.rnnprop.core.OptimizerKind;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.StatePrecision;
import org.rnnprop.core.WeightFile;
import org.rnnprop.djl.internal.NdState;
import org.rnnprop.djl.internal.NdStep;
import org.rnnprop.pretrained.Pretrained;

/**
 * RNNprop (or DMoptimizer) as a DJL {@link Optimizer}: a learned optimizer whose network, shared by all
 * coordinates, turns each gradient coordinate into an update. Swap it in for Adam:
 *
 * <pre>{@code
 * try (RnnpropOptimizer opt = RnnpropOptimizer.builder().optPretrained("rnnprop").build()) {
 *     TrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(opt);
 *     ... // train; neither Trainer nor Model closes the optimizer, whose state is native memory
 * }
 * }</pre>
 *
 * <p>Per parameter (and device) it keeps the coordinates' state (RNNprop: 82 floats each; DMoptimizer: 80)
 * and a step count {@code t} that starts at 1 (plus {@code optBeginNumUpdate}). Each update computes, as DJL's
 * own optimizers do, {@code g = clip(rescaleGrad * grad, -clipGrad, clipGrad) + weightDecay * weight}
 * (clipping off when {@code clipGrad < 0}), then {@code weight -= update} with the update of
 * {@link NdStep#step} at step bound {@code alpha * alphaScale(t)}, and finally zeroes the weight's gradient
 * (on the PyTorch engine gradients would otherwise accumulate across steps).
 *
 * <p>A gradient coordinate that is NaN or infinite (after rescaling, clipping and weight decay) is skipped:
 * its parameter and state stay as they were; {@link #skippedCoordinates()} counts them.
 *
 * <p>A coordinate whose gradient is zero still moves, by up to {@code alpha} per step: the network's output
 * for a zero input is not zero (as in the paper's optimizer). Parameters that should stay put, such as
 * embedding rows a batch did not use or a frozen block, are best kept out of training
 * ({@code setRequiresGradient(false)}).
 *
 * <p>Two implementations of the step can run a parameter's update ({@link Builder#optKernel}): the core kernel
 * ({@code StepKernels.best} of rnnprop-core, multithreaded and vectorized on the CPU, reading and writing the
 * parameter's memory through direct buffers) and {@link NdStep} (the step as engine operations on the
 * parameter's device). By default, {@link Kernel#AUTO}, parameters on the CPU get the core kernel and those on
 * other devices NdStep. Both agree to the golden fixture's tolerance and save and restore the same state.
 *
 * <p>State lives in NDManagers the optimizer owns, one per device, and is updated in place, so the number of
 * live arrays does not grow with the number of steps; {@link #close()} frees it. DJL has no way to save an
 * optimizer: {@link #saveState(Path, Block)} and {@link #loadState(Path, Block)} do it, keyed by parameter
 * name, so a stopped run resumes bit for bit. Updates may come from any thread, one at a time.
 *
 * <p>{@link Builder#optStatePrecision} with {@link StatePrecision#FLOAT16} keeps the LSTM states (80 values per
 * coordinate) in float16 arrays of the engine, the moments in float32: 168 bytes per coordinate instead of 328.
 * Each step converts them to float32, computes as usual, and stores the new values rounded to nearest even.
 */
public class RnnpropOptimizer extends Optimizer implements AutoCloseable {
    /** The shipped weights {@link Builder} uses when none are chosen. */
    public static final String DEFAULT_PRETRAINED = Pretrained.DEFAULT_RNNPROP;
    /** Default coordinates per chunk of work: about 400 MB of temporaries at most. */
    public static final int DEFAULT_CHUNK_SIZE = 1 << 16;

    private final OptimizerWeights weights;
    private final ParameterTracker alphaScale;
    private final int chunkSize;
    private final StatePrecision statePrecision;
    private final ParameterStates states;
    /** The core kernel and its scratch, made at the first update that needs it. */
    private CoreStep core;
    private boolean closed;

    /** Which implementation of the step updates a parameter. */
    public enum Kernel {
        /** The core kernel for parameters on the CPU, {@link NdStep} for parameters on other devices (default). */
        AUTO,
        /** {@link NdStep}, the step as engine operations on the parameter's own device, for every parameter. */
        ND,
        /**
         * The core kernel for every parameter; a parameter on another device has its gradient copied to the CPU
         * and its update copied back at every step, with its state kept in CPU memory.
         */
        CORE
    }

    /**
     * Creates the optimizer a builder describes.
     *
     * @param builder the settings
     */
    protected RnnpropOptimizer(Builder builder) {
        super(builder);
        this.weights = builder.loadWeights();
        this.alphaScale = builder.alphaScale;
        this.chunkSize = builder.chunkSize;
        this.statePrecision = builder.statePrecision;
        this.states = new ParameterStates(weights, chunkSize, builder.beginNumUpdate, statePrecision,
                builder.kernel);
    }

    /** A builder with the defaults: weights {@value #DEFAULT_PRETRAINED}, alpha scale 1. */
    public static Builder builder() {
        return new Builder();
    }

    /** The optimizer network this optimizer runs. */
    public OptimizerWeights weights() {
        return weights;
    }

    /** RNNprop or DMoptimizer. */
    public OptimizerKind kind() {
        return weights.kind();
    }

    /** How the LSTM states are stored: float32 (the default) or float16. */
    public StatePrecision statePrecision() {
        return statePrecision;
    }

    /** {@inheritDoc} */
    @Override
    public synchronized void update(String parameterId, NDArray weight, NDArray grad) {
        if (closed) {
            throw new IllegalStateException("this RnnpropOptimizer has been closed");
        }
        ParameterStates.Slot slot = states.slot(parameterId, weight);
        long t = slot.steps + 1;
        float scale = alphaScale.getNewValue(parameterId, Math.toIntExact(t));
        double alpha = weights.hyperparameters().alpha() * scale;
        float weightDecay = getWeightDecay();
        if (!Double.isFinite(alpha) || alpha < 0 || !Float.isFinite(weightDecay)) {
            throw new IllegalArgumentException("alpha scale " + scale + " or weight decay " + weightDecay
                    + " is negative, NaN or infinite (parameter " + parameterId + ", step " + t + ")");
        }
        try (NDManager tmp = NDManager.subManagerOf(weight)) {
            // While attached to tmp, every array that an operation on these derives lands in tmp and is freed
            // with it; the attached arrays themselves go back to their owners.
            tmp.tempAttachAll(weight, grad);
            if (slot.state != null) {
                tmp.tempAttachAll(slot.skipped);
                tmp.tempAttachAll(slot.state.toList());
            }
            // The detached view shares the weight's storage; the weight itself is a leaf that requires a
            // gradient, and PyTorch refuses in-place changes to it on threads other than the engine's own.
            NDArray theta = weight.stopGradient();
            NDArray g = grad.toType(DataType.FLOAT32, false).reshape(-1);
            if (rescaleGrad != 1f) {
                g = g.mul(rescaleGrad);
            }
            if (clipGrad >= 0) {
                g = g.clip(-clipGrad, clipGrad);
            }
            if (weightDecay != 0f) {
                g = g.add(theta.toType(DataType.FLOAT32, false).reshape(-1).mul(weightDecay));
            }
            NDArray thetaFlat = theta.reshape(-1);
            long n = g.size();
            long chunk = slot.chunk(chunkSize);
            for (long from = 0; from < n; from += chunk) {
                long to = Math.min(n, from + chunk);
                try (NDManager part = tmp.newSubManager()) {
                    if (slot.coreRows != null) {
                        coreRows(slot, g, thetaFlat, from, to, alpha, t, weight.getDataType(), part);
                    } else {
                        stepRows(slot, g, thetaFlat, from, to, alpha, t, weight.getDataType(), part);
                    }
                }
            }
            // reshape copies a weight whose layout is not contiguous (a transposed view, say), so the chunks
            // may have updated a copy; DJL cannot tell, so the result always goes back (one pass over n floats,
            // next to the network's thousands of operations per coordinate).
            theta.set(ParameterStates.all(), thetaFlat.reshape(theta.getShape()));
            states.stepped(parameterId, slot, t);
            if (weight.hasGradient()) {
                // set, not subi: a NaN in the gradient would survive g - g and poison every later step.
                try (NDArray realGrad = weight.getGradient()) {
                    realGrad.set(ParameterStates.all(), 0f);
                }
            }
        }
    }

    /**
     * Steps coordinates {@code [from, to)}: views of the gradient, parameter and state rows are attached to
     * {@code part}, so every temporary of the chunk is freed with it, and the results are written through the
     * views into the persistent arrays.
     */
    private static void stepRows(ParameterStates.Slot slot, NDArray g, NDArray thetaFlat, long from, long to,
            double alpha, long t, DataType type, NDManager part) {
        String rows = from + ":" + to;
        NDArray gPart = g.get(rows);
        NDArray thetaPart = thetaFlat.get(rows);
        part.attachAll(gPart, thetaPart);
        NdState stored = slot.rows(from, to, part);
        NdState state = stored.toFloat32(); // the step computes in float32 whatever the state's precision
        NDList masked = NdStep.maskNonFinite(gPart);
        NDArray finite = masked.get(0);
        NdStep.Result step = NdStep.step(slot.network, masked.get(1), state, alpha, t);
        // The usual case, every gradient finite, needs no per-coordinate selection.
        if (finite.all().getBoolean()) {
            ParameterStates.copyInto(stored, step.state());
            thetaPart.subi(step.update().toType(type, false));
            return;
        }
        NDArray update = NDArrays.where(finite, step.update(), step.update().zerosLike());
        ParameterStates.copyInto(stored, NdStep.select(finite, step.state(), state));
        slot.skipped.addi(finite.logicalNot().sum().toType(DataType.INT64, false));
        thetaPart.subi(update.toType(type, false));
    }

    /** As {@link #stepRows}, with the core kernel on the slot's state rows. */
    private void coreRows(ParameterStates.Slot slot, NDArray g, NDArray thetaFlat, long from, long to, double alpha,
            long t, DataType type, NDManager part) {
        if (core == null) {
            core = new CoreStep(weights);
        }
        String rows = from + ":" + to;
        NDArray gPart = g.get(rows);
        NDArray thetaPart = thetaFlat.get(rows);
        part.attachAll(gPart, thetaPart);
        slot.coreSkipped += core.step(gPart, thetaPart, slot.coreRows.slab(from), alpha, t, type, part);
    }

    /**
     * Gradient coordinates skipped so far because they were NaN or infinite (over all parameters, counting
     * each parameter once even when it lives on several devices). Reads the counters from the device, so
     * call it when you want the number, not every step.
     */
    public synchronized long skippedCoordinates() {
        return states.skippedCoordinates();
    }

    /**
     * The number of updates applied to a parameter so far (0 before the first), as used for the next step's
     * {@code t - 1}.
     *
     * @param parameterId the parameter's id ({@link Parameter#getId()})
     */
    public synchronized long stepCount(String parameterId) {
        return states.stepCount(parameterId);
    }

    /**
     * A copy of a parameter's state in the core's row layout ({@code [coordinates * width]}, row-major), or
     * null if the parameter has not been updated yet.
     *
     * @param parameterId the parameter's id ({@link Parameter#getId()})
     */
    public synchronized float[] stateRows(String parameterId) {
        return states.stateRows(parameterId);
    }

    // ---------------------------------------------------------------------------------------- save / restore

    /**
     * Saves the state of every parameter updated so far, atomically (temporary file, then rename), in the
     * format of {@link StateFile}, which records the state precision and stores float16 state in 2 bytes a value. Parameter ids change from run to run, so the state is keyed by the names
     * the parameters have in {@code block} (the model's block).
     *
     * @throws IllegalArgumentException if the optimizer holds state for a parameter that is not in the block
     * @throws IllegalStateException if one parameter's state is more than a state file entry holds: 2^31 - 1
     *     floats, about 26 million coordinates (RNNprop keeps 82 floats per coordinate); nothing is written
     */
    public void saveState(Path path, Block block) throws IOException {
        StateFile.write(snapshot(StateSnapshots.parameterNames(block)), path);
    }

    /** As {@link #saveState(Path, Block)}, to a stream (not closed). */
    public void saveState(OutputStream out, Block block) throws IOException {
        StateFile.write(snapshot(StateSnapshots.parameterNames(block)), out);
    }

    /**
     * As {@link #saveState(Path, Block)}, naming parameters through a map.
     *
     * @param idToName parameter id ({@link Parameter#getId()}) to a name that is stable across runs
     */
    public void saveState(OutputStream out, Map<String, String> idToName) throws IOException {
        StateFile.write(snapshot(idToName), out);
    }

    /**
     * Replaces this optimizer's whole state by a saved one: each parameter of {@code block} named in the file
     * continues from its saved state and step count at its next update; the others start afresh. A file that
     * fails the checks changes nothing. A file saved at another {@linkplain #statePrecision() state precision}
     * is converted: float16 values load into float32 state exactly, float32 values into float16 state rounded
     * to nearest even (as a step would round them), so only a matching precision resumes bit for bit.
     *
     * @throws StateFileException naming the file and field if the file is corrupt, was saved by the other
     *     optimizer kind or with other weights, or names a parameter that {@code block} lacks or that has
     *     another size
     */
    public void loadState(Path path, Block block) throws IOException {
        install(StateFile.read(path), path.toString(), StateSnapshots.parameterNames(block),
                StateSnapshots.sizes(block));
    }

    /** As {@link #loadState(Path, Block)}, from a stream read to its end; {@code source} names it in errors. */
    public void loadState(InputStream in, String source, Block block) throws IOException {
        install(StateFile.read(in, source), source, StateSnapshots.parameterNames(block),
                StateSnapshots.sizes(block));
    }

    /**
     * As {@link #loadState(Path, Block)}, naming parameters through a map; sizes are checked at each
     * parameter's next update.
     *
     * @param idToName parameter id ({@link Parameter#getId()}) to the name it was saved under
     */
    public void loadState(InputStream in, String source, Map<String, String> idToName) throws IOException {
        install(StateFile.read(in, source), source, idToName, Map.of());
    }

    /** Parameter id to name, for every parameter of a block ({@code block.getParameters()}). */
    public static Map<String, String> parameterNames(Block block) {
        return StateSnapshots.parameterNames(block);
    }

    private synchronized StateFile.Snapshot snapshot(Map<String, String> idToName) {
        return StateSnapshots.take(states, weights, statePrecision, idToName);
    }

    private synchronized void install(StateFile.Snapshot s, String source, Map<String, String> idToName,
            Map<String, Long> sizes) throws StateFileException {
        StateFile.Snapshot converted = StateSnapshots.inPrecision(s, statePrecision);
        states.replaceAll(StateSnapshots.check(converted, source, weights, idToName, sizes));
    }

    /** Frees the optimizer's state and weights on every device; later updates fail. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            states.close();
            if (core != null) {
                core.close();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- builder

    /**
     * Settings of a {@link RnnpropOptimizer}; the last weights option given wins. Every argument is checked when
     * it is given, so a bad one throws {@link IllegalArgumentException} at the call that passed it.
     */
    public static final class Builder extends OptimizerBuilder<Builder> {
        private WeightsSource source = Builder::shippedDefault;
        private ParameterTracker alphaScale = Tracker.fixed(1f);
        private int beginNumUpdate;
        private int chunkSize = DEFAULT_CHUNK_SIZE;
        private StatePrecision statePrecision = StatePrecision.FLOAT32;
        private Kernel kernel = Kernel.AUTO;

        /** A source of weights, read by {@link #build()}. */
        @FunctionalInterface
        private interface WeightsSource {
            OptimizerWeights load() throws IOException;
        }

        Builder() {
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Uses weights shipped with the library, by name (see {@link Pretrained#names()}), e.g.
         * {@code "rnnprop"}, {@code "dm-optimizer"} or the untrained {@code "rnnprop-untrained"}.
         *
         * @throws IllegalArgumentException if no optimizer of that name is shipped (the message lists those that are)
         */
        public Builder optPretrained(String name) {
            Objects.requireNonNull(name, "name");
            Pretrained.resolve(name);
            source = () -> Pretrained.load(name);
            return this;
        }

        /** Uses the given weights. */
        public Builder optWeights(OptimizerWeights weights) {
            Objects.requireNonNull(weights, "weights");
            source = () -> weights;
            return this;
        }

        /** Reads the weights from a weight file ({@link WeightFile} format) when {@link #build()} runs. */
        public Builder optWeightsFile(Path file) {
            Objects.requireNonNull(file, "file");
            source = () -> WeightFile.read(file);
            return this;
        }

        /** Reads the weights from a stream ({@link WeightFile} format, not closed) when {@link #build()} runs. */
        public Builder optWeightsStream(InputStream in) {
            Objects.requireNonNull(in, "in");
            source = () -> WeightFile.read(in, "weights stream");
            return this;
        }

        /**
         * Multiplies the step bound alpha (RNNprop) or the output scale (DMoptimizer) by a schedule, which DJL
         * asks for the value at each parameter's step count {@code t} (1-based). Default: fixed 1.
         */
        public Builder optAlphaScale(ParameterTracker alphaScale) {
            this.alphaScale = Objects.requireNonNull(alphaScale, "alphaScale");
            return this;
        }

        /**
         * Coordinates stepped together (default {@value RnnpropOptimizer#DEFAULT_CHUNK_SIZE}). A step with
         * {@link NdStep} needs about 6 KB of temporary memory per coordinate of a chunk, so this bounds the
         * optimizer's peak memory for large parameters; the core kernel needs 4 bytes per coordinate, and keeps
         * a parameter's state in slabs of this many coordinates. Results do not depend on it.
         */
        public Builder optChunkSize(int chunkSize) {
            if (chunkSize < 1) {
                throw new IllegalArgumentException("chunkSize must be >= 1, got " + chunkSize);
            }
            this.chunkSize = chunkSize;
            return this;
        }

        /**
         * How the LSTM states (80 of RNNprop's 82 values per coordinate) are stored between steps: float32 (the
         * default) or {@link StatePrecision#FLOAT16}, half the memory; every step computes in float32 either way.
         *
         * @throws IllegalArgumentException for {@link StatePrecision#BFLOAT16}: DJL 0.36's PyTorch engine ends the
         *     whole process on any bfloat16 array (making, converting or filling one), so it is refused here
         */
        public Builder optStatePrecision(StatePrecision precision) {
            Objects.requireNonNull(precision, "precision");
            if (precision == StatePrecision.BFLOAT16) {
                throw new IllegalArgumentException("statePrecision BFLOAT16 is not supported by the DJL plugin: DJL "
                        + "0.36's PyTorch engine aborts the JVM on any bfloat16 array; use StatePrecision.FLOAT16 "
                        + "(the same memory, 3 more significant bits, range up to 65504, which the LSTM state "
                        + "never reaches)");
            }
            this.statePrecision = precision;
            return this;
        }

        /**
         * Which implementation steps the parameters (default {@link Kernel#AUTO}: the core kernel on the CPU,
         * {@link NdStep} elsewhere). The core kernel runs on the worker threads that rnnprop-core shares in the
         * process (their number: system property {@code rnnprop.threads}, default one per processor), and is
         * vectorized where the JVM runs with {@code --add-modules jdk.incubator.vector}; NdStep runs on the
         * engine's own threads. Results agree to the golden fixture's tolerance, not bit for bit, and a saved
         * state restores under either. The core kernel keeps float32 state: with 16-bit state
         * ({@link #optStatePrecision}) AUTO steps every parameter with NdStep, and {@link #build()} refuses CORE.
         */
        public Builder optKernel(Kernel kernel) {
            this.kernel = Objects.requireNonNull(kernel, "kernel");
            return this;
        }

        /**
         * A fixed multiplier on the step bound alpha. 0.5 is a good start for convolutional networks, where the
         * full bound can leave a deep ReLU network stuck at chance level (the README's measurements).
         *
         * @throws IllegalArgumentException if {@code alphaScale} is not positive and finite
         */
        public Builder optAlphaScale(float alphaScale) {
            if (!(alphaScale > 0) || !Float.isFinite(alphaScale)) {
                throw new IllegalArgumentException("alphaScale must be positive and finite, got " + alphaScale);
            }
            return optAlphaScale(Tracker.fixed(alphaScale));
        }

        /**
         * The first step then runs with {@code t = beginNumUpdate + 1}; the step count enters RNNprop's moment
         * bias correction, so leave it at 0 unless you know you want otherwise.
         *
         * @throws IllegalArgumentException if {@code beginNumUpdate} is negative
         */
        @Override
        public Builder optBeginNumUpdate(int beginNumUpdate) {
            if (beginNumUpdate < 0) {
                throw new IllegalArgumentException("beginNumUpdate must be >= 0, got " + beginNumUpdate);
            }
            this.beginNumUpdate = beginNumUpdate;
            return super.optBeginNumUpdate(beginNumUpdate);
        }

        /**
         * Multiplies every gradient by {@code rescaleGrad} before the step (DJL's meaning).
         *
         * @throws IllegalArgumentException if {@code rescaleGrad} is NaN or infinite
         */
        @Override
        public Builder setRescaleGrad(float rescaleGrad) {
            requireFinite("rescaleGrad", rescaleGrad);
            return super.setRescaleGrad(rescaleGrad);
        }

        /**
         * Adds {@code weightDecay * weight} to every gradient before the step (DJL's meaning).
         *
         * @throws IllegalArgumentException if {@code weightDecay} is negative, NaN or infinite
         */
        @Override
        public Builder optWeightDecays(float weightDecay) {
            requireFinite("weightDecay", weightDecay);
            if (weightDecay < 0) {
                throw new IllegalArgumentException("weightDecay must be >= 0, got " + weightDecay);
            }
            return super.optWeightDecays(weightDecay);
        }

        /**
         * Clips every gradient to {@code [-clipGrad, clipGrad]} before the step; negative turns clipping off
         * (DJL's meaning).
         *
         * @throws IllegalArgumentException if {@code clipGrad} is NaN
         */
        @Override
        public Builder optClipGrad(float clipGrad) {
            if (Float.isNaN(clipGrad)) {
                throw new IllegalArgumentException("clipGrad must be a number (negative: no clipping), got NaN");
            }
            return super.optClipGrad(clipGrad);
        }

        private static void requireFinite(String name, float value) {
            if (!Float.isFinite(value)) {
                throw new IllegalArgumentException(name + " must be finite, got " + value);
            }
        }

        /**
         * Reads the weights and builds the optimizer.
         *
         * @throws IllegalStateException if no weights were chosen and trained
         *     {@value RnnpropOptimizer#DEFAULT_PRETRAINED} weights are not shipped (the message names those that are)
         * @throws UncheckedIOException if the weights cannot be read (the cause names the file and field)
         */
        public RnnpropOptimizer build() {
            return new RnnpropOptimizer(this);
        }

        private OptimizerWeights loadWeights() {
            try {
                return source.load();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the optimizer weights: " + e.getMessage(), e);
            }
        }

        private static OptimizerWeights shippedDefault() throws IOException {
            List<String> shipped = Pretrained.names();
            if (!shipped.contains(DEFAULT_PRETRAINED)) {
                throw new IllegalStateException("no pretrained optimizer named '" + DEFAULT_PRETRAINED
                        + "' is shipped (shipped: " + shipped + "); choose one with optPretrained(name), or use "
                        + "optWeights/optWeightsFile");
            }
            return Pretrained.load(DEFAULT_PRETRAINED);
        }
    }
}
