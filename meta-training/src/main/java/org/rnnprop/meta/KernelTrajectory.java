package org.rnnprop.meta;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.tracker.ParameterTracker;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.StepKernel;
import org.rnnprop.tasks.Rng;
import org.rnnprop.tasks.Task;
import org.rnnprop.tasks.optim.AlphaSchedule;

/**
 * One optimizee's trajectory under a learned optimizer run by the core's fast kernel, with the parameters and
 * the optimizer state (the kernel's row-major layout) on the Java heap. The task computes each gradient; no
 * autograd is involved, so a step costs what it costs a user.
 */
final class KernelTrajectory {
    private final Task task;
    private final NDManager manager;
    private final float[] theta;
    private final float[] state;
    private final float[] update;
    private long t;
    private double firstLoss = Double.NaN;
    private float[] teacherUpdate;

    /** The last step's gradient (the array is reused by the next step). */
    private float[] gradient;
    /** The factor on the kernel's update at each 1-based step. */
    private ParameterTracker alphaScale = AlphaSchedule.CONSTANT.over(1);

    /** A trajectory from the task's initial parameters and a fresh state; arrays go on {@code manager}. */
    KernelTrajectory(Task task, OptimizerWeights shape, NDManager manager, Rng rng) {
        this.task = task;
        this.manager = manager;
        try (NDManager m = manager.newSubManager()) {
            this.theta = task.initialParameters(m, rng).toFloatArray();
        }
        this.state = new float[Math.multiplyExact(theta.length, shape.stateWidth())];
        this.update = new float[theta.length];
    }

    /**
     * Scales each later {@link #step}'s update by {@code scale} at its 1-based step number, as the plugins' alpha
     * scale does (the update is linear in alpha).
     */
    void scaleAlpha(ParameterTracker scale) {
        this.alphaScale = scale;
    }

    int dimension() {
        return theta.length;
    }

    /** Steps taken so far. */
    long steps() {
        return t;
    }

    float[] state() {
        return state;
    }

    float[] theta() {
        return theta;
    }

    /**
     * Evaluates the loss and gradient at the current parameters on a fresh minibatch, then lets {@code kernel}
     * take step {@code t + 1}. The gradient is available from {@link #gradient()} until the next call.
     *
     * @return the loss before the step
     */
    double step(StepKernel kernel, Rng rng) {
        return step(kernel, rng, null);
    }

    /** {@link #step(StepKernel, Rng)}, adding the time of the optimizee's gradient and of the kernel to {@code timings}. */
    double step(StepKernel kernel, Rng rng, MetaTrainer.Timings timings) {
        long a = System.nanoTime();
        double loss = evaluate(rng);
        long b = System.nanoTime();
        kernel.step(++t, gradient, state, update);
        float scale = alphaScale.getNewValue("alpha", Math.toIntExact(t));
        for (int i = 0; i < theta.length; i++) {
            theta[i] -= scale * update[i];
        }
        if (timings != null) {
            timings.optimizee += b - a;
            timings.optimizerForward += System.nanoTime() - b;
        }
        return loss;
    }

    /**
     * Imitation: like {@link #step}, but {@code teacher} moves the parameters; the kernel's state still advances
     * on the gradient, and its update, which is not applied, is left in {@link #learnedUpdate()}, the teacher's in
     * {@link #teacherUpdate()}.
     */
    double follow(StepKernel kernel, MetaAdam teacher, Rng rng) {
        double loss = evaluate(rng);
        kernel.step(++t, gradient, state, update);
        if (teacherUpdate == null) {
            teacherUpdate = new float[theta.length];
        }
        float[] before = teacherUpdate;
        System.arraycopy(theta, 0, before, 0, theta.length);
        teacher.apply(java.util.Map.of("theta", theta), java.util.Map.of("theta", gradient));
        for (int i = 0; i < theta.length; i++) {
            teacherUpdate[i] = before[i] - theta[i];
        }
        return loss;
    }

    /** The update the kernel computed at the last step. */
    float[] learnedUpdate() {
        return update;
    }

    /** The teacher's update at the last {@link #follow} ({@code theta_new = theta - update}). */
    float[] teacherUpdate() {
        return teacherUpdate;
    }

    /** Loss and gradient at the current parameters on a fresh minibatch. */
    private double evaluate(Rng rng) {
        double loss;
        try (NDManager m = manager.newSubManager()) {
            NDArray th = m.create(theta);
            Task.LossAndGradient lg = task.lossAndGradient(th, task.sampleBatch(rng));
            loss = lg.loss().getFloat();
            gradient = lg.gradient().toFloatArray();
        }
        if (t == 0) {
            firstLoss = loss;
        }
        return loss;
    }

    /** The loss before the first step (NaN before it). */
    double firstLoss() {
        return firstLoss;
    }

    /** The gradient the last {@link #step} fed to the optimizer. */
    float[] gradient() {
        return gradient;
    }
}
