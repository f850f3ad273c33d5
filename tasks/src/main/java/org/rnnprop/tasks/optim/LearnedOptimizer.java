package org.rnnprop.tasks.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.tracker.ParameterTracker;
import ai.djl.training.tracker.Tracker;
import java.nio.FloatBuffer;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.StepKernel;
import org.rnnprop.core.StepKernels;

/**
 * A learned optimizer (RNNprop or DMoptimizer) from a weight file, through the core's fastest kernel
 * ({@link StepKernels#best(OptimizerWeights, int)}, on the calling thread only: the suites run one optimizee per
 * worker thread); its step bound alpha may follow a schedule, as the DJL plugin's
 * {@code optAlphaScale(ParameterTracker)} does, by scaling the kernel's update, which is linear in alpha.
 */
public final class LearnedOptimizer implements FlatOptimizer {
    private final OptimizerWeights weights;
    private final String name;
    private final ParameterTracker alphaScale;
    private final StepKernel kernel;
    private float[] update;
    private FloatBuffer updateBuffer;
    private FloatBuffer state;

    /** The weights as they are: alpha scale 1 at every step. */
    public LearnedOptimizer(OptimizerWeights weights, String name) {
        this(weights, name, Tracker.fixed(1f));
    }

    /**
     * @param alphaScale the factor on alpha at 1-based step t, {@code alphaScale.getNewValue(name, t)}: the
     *     plugin's convention, so a DJL schedule gives the same steps here as in a user's {@code Trainer}
     */
    public LearnedOptimizer(OptimizerWeights weights, String name, ParameterTracker alphaScale) {
        this.weights = weights;
        this.name = name;
        this.alphaScale = alphaScale;
        // One thread, the caller's: such a kernel starts no threads, so there is nothing to close.
        this.kernel = StepKernels.best(weights, 1);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void reset(long dimension, NDManager manager) {
        int n = Math.toIntExact(dimension);
        update = new float[n];
        updateBuffer = FloatBuffer.wrap(update);
        state = FloatBuffer.wrap(new float[Math.multiplyExact(n, weights.stateWidth())]);
    }

    @Override
    public NDArray update(NDArray g, long t) {
        if (g.size() != update.length) {
            throw new IllegalArgumentException("gradient of " + g.size() + " coordinates for an optimizer reset to "
                    + update.length);
        }
        // The engine's copy of the gradient is the kernel's input: no second copy.
        kernel.step(t, FloatBuffer.wrap(g.toFloatArray()), state, updateBuffer, update.length);
        float scale = alphaScale.getNewValue(name, Math.toIntExact(t));
        if (scale != 1f) {
            for (int i = 0; i < update.length; i++) {
                update[i] *= scale;
            }
        }
        return g.getManager().create(update, g.getShape());
    }

    @Override
    public void attachState(NDManager manager) {
        // the state is on the Java heap
    }
}
