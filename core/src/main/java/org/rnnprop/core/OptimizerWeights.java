package org.rnnprop.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A complete, validated optimizer: its kind, hyperparameters, named tensors and provenance. Immutable.
 *
 * <p>Construction checks that exactly the tensors of {@link NetworkLayout#shapes} are present, with the right
 * shapes and only finite values, so every instance is safe to run.
 */
public final class OptimizerWeights {
    private final OptimizerKind kind;
    private final Hyperparameters hyperparameters;
    private final Map<String, Tensor> tensors;
    private final Provenance provenance;

    /**
     * @throws IllegalArgumentException naming the tensor that is missing, extra, misshaped or not finite
     */
    public OptimizerWeights(OptimizerKind kind, Hyperparameters hyperparameters, Map<String, Tensor> tensors,
            Provenance provenance) {
        this.kind = kind;
        this.hyperparameters = hyperparameters;
        this.provenance = provenance;
        Map<String, int[]> expected = NetworkLayout.shapes(kind, hyperparameters);
        for (String name : tensors.keySet()) {
            if (!expected.containsKey(name)) {
                throw new IllegalArgumentException("tensors." + name + ": unexpected tensor for " + kind.id()
                        + " (expected " + expected.keySet() + ")");
            }
        }
        Map<String, Tensor> ordered = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : expected.entrySet()) {
            Tensor t = tensors.get(e.getKey());
            if (t == null) {
                throw new IllegalArgumentException("tensors." + e.getKey() + ": missing");
            }
            if (!Arrays.equals(t.shape(), e.getValue())) {
                throw new IllegalArgumentException("tensors." + e.getKey() + ": shape " + Arrays.toString(t.shape())
                        + ", expected " + Arrays.toString(e.getValue()));
            }
            float[] d = t.data();
            for (int i = 0; i < d.length; i++) {
                if (!Float.isFinite(d[i])) {
                    throw new IllegalArgumentException(
                            "tensors." + e.getKey() + ": value " + d[i] + " at index " + i + " is not finite");
                }
            }
            ordered.put(e.getKey(), t);
        }
        this.tensors = Collections.unmodifiableMap(ordered);
    }

    public OptimizerKind kind() {
        return kind;
    }

    public Hyperparameters hyperparameters() {
        return hyperparameters;
    }

    public Provenance provenance() {
        return provenance;
    }

    /** Tensors in canonical order. */
    public Map<String, Tensor> tensors() {
        return tensors;
    }

    /** One tensor by its {@link NetworkLayout} name. */
    public Tensor tensor(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no tensor '" + name + "' in " + kind.id() + " weights");
        }
        return t;
    }

    /** Floats of optimizer state per optimizee coordinate. */
    public int stateWidth() {
        return NetworkLayout.stateWidth(kind, hyperparameters);
    }

    /** Same network and provenance, another step bound (see {@link Hyperparameters#withAlpha}). */
    public OptimizerWeights withAlpha(double alpha) {
        return new OptimizerWeights(kind, hyperparameters.withAlpha(alpha), tensors, provenance);
    }

    /** Same network, another provenance. */
    public OptimizerWeights withProvenance(Provenance newProvenance) {
        return new OptimizerWeights(kind, hyperparameters, tensors, newProvenance);
    }

    /**
     * SHA-256 (lowercase hex) over the tensors in canonical order: for each, its UTF-8 name, a zero byte, its
     * dimensions as big-endian int32 and its values as big-endian IEEE-754 float32 bits.
     */
    public String checksum() {
        MessageDigest md = sha256();
        digestTensors(md);
        return HexFormat.of().formatHex(md.digest());
    }

    /** Feeds the tensors to {@code md} as {@link #checksum()} hashes them. */
    void digestTensors(MessageDigest md) {
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            md.update(e.getKey().getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            Tensor t = e.getValue();
            ByteBuffer b = ByteBuffer.allocate(4 * (t.shape().length + t.size()));
            for (int d : t.shape()) {
                b.putInt(d);
            }
            for (float v : t.data()) {
                b.putInt(Float.floatToRawIntBits(v));
            }
            md.update(b.array());
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OptimizerWeights w && kind == w.kind && hyperparameters.equals(w.hyperparameters)
                && tensors.equals(w.tensors) && provenance.equals(w.provenance);
    }

    @Override
    public int hashCode() {
        return tensors.hashCode();
    }

    @Override
    public String toString() {
        return kind.id() + " weights (" + NetworkLayout.parameterCount(kind, hyperparameters) + " values, "
                + (provenance.trained() ? "trained: " : "untrained: ") + provenance.recipe() + ")";
    }
}
