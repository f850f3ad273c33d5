package org.rnnprop.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * A sum of tasks on disjoint, consecutive blocks of coordinates: {@code F(theta) = sum_k f_k(theta_k)}, e.g.
 * the specification's {@code f(theta_f) + g(theta_g)}. A batch is the array of the parts' batches.
 */
public final class SumTask implements Task {
    private final List<Task> parts;
    private final int dimension;

    public SumTask(List<Task> parts) {
        this.parts = List.copyOf(parts);
        this.dimension = parts.stream().mapToInt(Task::dimension).sum();
    }

    /** The parts, in coordinate order. */
    public List<Task> parts() {
        return parts;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public NDArray initialParameters(NDManager manager, Rng rng) {
        NDList l = new NDList();
        for (Task t : parts) {
            l.add(t.initialParameters(manager, rng));
        }
        return NDArrays.concat(l);
    }

    @Override
    public Object sampleBatch(Rng rng) {
        Object[] b = new Object[parts.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = parts.get(i).sampleBatch(rng);
        }
        return b;
    }

    @Override
    public NDArray loss(NDArray theta, Object batch) {
        NDArray total = null;
        long at = 0;
        for (int i = 0; i < parts.size(); i++) {
            Task t = parts.get(i);
            NDArray l = t.loss(theta.get(at + ":" + (at + t.dimension())), ((Object[]) batch)[i]);
            total = total == null ? l : total.add(l);
            at += t.dimension();
        }
        return total;
    }

    @Override
    public LossAndGradient lossAndGradient(NDArray theta, Object batch) {
        NDArray total = null;
        NDList grads = new NDList();
        long at = 0;
        for (int i = 0; i < parts.size(); i++) {
            Task t = parts.get(i);
            LossAndGradient lg = t.lossAndGradient(theta.get(at + ":" + (at + t.dimension())), ((Object[]) batch)[i]);
            total = total == null ? lg.loss() : total.add(lg.loss());
            grads.add(lg.gradient());
            at += t.dimension();
        }
        return new LossAndGradient(total, NDArrays.concat(grads));
    }
}
