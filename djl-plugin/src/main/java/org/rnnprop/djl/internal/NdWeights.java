package org.rnnprop.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rnnprop.core.Hyperparameters;
import org.rnnprop.core.NetworkLayout;
import org.rnnprop.core.OptimizerKind;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.Provenance;
import org.rnnprop.core.Tensor;

/**
 * An optimizer network's tensors as NDArrays on one device, keyed by their {@link NetworkLayout} names.
 * The arrays belong to the manager given at creation; meta-training marks them as requiring gradients.
 */
public final class NdWeights {
    private final OptimizerKind kind;
    private final Hyperparameters hyperparameters;
    private final Map<String, NDArray> arrays;

    private NdWeights(OptimizerKind kind, Hyperparameters hp, Map<String, NDArray> arrays) {
        this.kind = kind;
        this.hyperparameters = hp;
        this.arrays = arrays;
    }

    /** Copies {@code weights} into arrays owned by {@code manager} (on its device). */
    public static NdWeights of(OptimizerWeights weights, NDManager manager) {
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : weights.tensors().entrySet()) {
            long[] shape = new long[e.getValue().shape().length];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = e.getValue().shape()[i];
            }
            NDArray a = NdConstants.array(manager, e.getValue().data(), new Shape(shape));
            a.setName(e.getKey());
            arrays.put(e.getKey(), a);
        }
        return new NdWeights(weights.kind(), weights.hyperparameters(), arrays);
    }

    public OptimizerKind kind() {
        return kind;
    }

    public Hyperparameters hyperparameters() {
        return hyperparameters;
    }

    /** One tensor by its {@link NetworkLayout} name. */
    public NDArray get(String name) {
        NDArray a = arrays.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no tensor '" + name + "' in " + kind.id() + " weights");
        }
        return a;
    }

    /** All tensors in canonical order. */
    public Map<String, NDArray> arrays() {
        return java.util.Collections.unmodifiableMap(arrays);
    }

    /** Reads the current values back into an immutable weight set with the given provenance. */
    public OptimizerWeights toWeights(Provenance provenance) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
            long[] s = e.getValue().getShape().getShape();
            int[] shape = new int[s.length];
            for (int i = 0; i < s.length; i++) {
                shape[i] = (int) s[i];
            }
            tensors.put(e.getKey(), new Tensor(shape, e.getValue().toFloatArray()));
        }
        return new OptimizerWeights(kind, hyperparameters, tensors, provenance);
    }
}
