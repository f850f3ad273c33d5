package org.rnnprop.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;

/**
 * An optimizee: a loss over a flat parameter vector, with its gradient, on minibatches drawn from a
 * {@link Rng}. Gradients are computed by hand-written NDArray code, never by the engine's autograd, so a task
 * can run inside a meta-training gradient collector without being recorded (its gradients are constants).
 *
 * <p>Results are attached to the manager of {@code theta}; callers close them with that manager.
 */
public interface Task {

    /** Standard deviation of the specification's initial parameters, N(0, 0.1^2), for every optimizee. */
    double INIT_STD = 0.1;

    /** Parameters drawn i.i.d. from N(0, INIT_STD^2): the specification's initialisation. */
    static NDArray gaussianParameters(int dimension, NDManager manager, Rng rng) {
        return manager.create(rng.gaussian(dimension, INIT_STD));
    }

    /** Number of coordinates of the parameter vector. */
    int dimension();

    /** Draws initial parameters, shape [dimension], on {@code manager}. */
    NDArray initialParameters(NDManager manager, Rng rng);

    /** Draws the data of one step (a minibatch; null for tasks without data). */
    Object sampleBatch(Rng rng);

    /**
     * Draws the data of a run's {@code steps} steps, in order. The default draws each with
     * {@link #sampleBatch}, independently; a task that passes over its data in epochs draws them here, since
     * one step's minibatch then depends on the steps before it.
     */
    default List<Object> sampleBatches(Rng rng, int steps) {
        List<Object> b = new ArrayList<>(steps);
        for (int i = 0; i < steps; i++) {
            b.add(sampleBatch(rng));
        }
        return b;
    }

    /** Loss and gradient at {@code theta} on {@code batch}. */
    LossAndGradient lossAndGradient(NDArray theta, Object batch);

    /** Loss only (cheaper); the default computes the gradient too. */
    default NDArray loss(NDArray theta, Object batch) {
        LossAndGradient lg = lossAndGradient(theta, batch);
        lg.gradient().close();
        return lg.loss();
    }

    /**
     * A scalar loss and the gradient of the same shape as theta.
     *
     * @param loss scalar NDArray
     * @param gradient shape [dimension]
     */
    record LossAndGradient(NDArray loss, NDArray gradient) {
    }
}
