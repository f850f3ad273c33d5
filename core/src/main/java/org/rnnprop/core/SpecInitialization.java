package org.rnnprop.core;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The specification's initialisation of the optimizer network (docs/SPEC.md §3), used to start meta-training and,
 * labelled untrained, for tests: dense kernels truncated normal (std 0.1, redrawn beyond 2 std), LSTM kernels
 * uniform in ±sqrt(3 / fan_in) with fan_in the kernel's row count (40 for both RNNprop layers), biases 0.
 */
public final class SpecInitialization {
    /** Standard deviation of the dense layers' truncated normal. */
    public static final double DENSE_STD = 0.1;

    private SpecInitialization() {
    }

    /**
     * Writes an untrained weight file: {@code SpecInitialization KIND SEED OUT.json [CODE_VERSION]}.
     * The shipped {@code *-untrained} files come from this command.
     */
    public static void main(String[] args) throws java.io.IOException {
        if (args.length < 3) {
            System.err.println("usage: SpecInitialization rnnprop|dm-optimizer SEED OUT.json [CODE_VERSION]");
            System.exit(2);
        }
        OptimizerKind kind = OptimizerKind.fromId(args[0]);
        long seed = Long.parseLong(args[1]);
        OptimizerWeights w = create(kind, seed);
        Provenance p = w.provenance();
        String command = "SpecInitialization " + String.join(" ", args);
        w = w.withProvenance(new Provenance(false, p.recipe(), command, seed, 0, p.data(),
                args.length > 3 ? args[3] : p.codeVersion(), java.time.Instant.now().toString(), p.details()));
        WeightFile.write(w, java.nio.file.Path.of(args[2]));
        System.out.println(w + " -> " + args[2] + " sha256 " + w.checksum());
    }

    /** Fresh weights with the default hyperparameters of {@code kind}, reproducible from {@code seed}. */
    public static OptimizerWeights create(OptimizerKind kind, long seed) {
        return create(kind, Hyperparameters.defaults(kind), seed);
    }

    /** Fresh weights for the given hyperparameters, reproducible from {@code seed}. */
    public static OptimizerWeights create(OptimizerKind kind, Hyperparameters hp, long seed) {
        Random rnd = new Random(seed);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : NetworkLayout.shapes(kind, hp).entrySet()) {
            int[] shape = e.getValue();
            int n = 1;
            for (int d : shape) {
                n *= d;
            }
            float[] data = new float[n];
            String name = e.getKey();
            if (name.startsWith("lstm") && name.endsWith("/kernel")) {
                double limit = Math.sqrt(3.0 / shape[0]);
                for (int i = 0; i < n; i++) {
                    data[i] = (float) ((2 * rnd.nextDouble() - 1) * limit);
                }
            } else if (name.endsWith("/kernel")) {
                for (int i = 0; i < n; i++) {
                    double z;
                    do {
                        z = rnd.nextGaussian();
                    } while (Math.abs(z) > 2);
                    data[i] = (float) (z * DENSE_STD);
                }
            }
            tensors.put(name, new Tensor(shape, data));
        }
        Provenance p = new Provenance(false, "spec-initialisation",
                "SpecInitialization.create(" + kind.id() + ", " + seed + ")", seed, 0, "none", "rnnprop-core",
                Instant.EPOCH.toString(), Map.of("note", "untrained: the specification's initialisation"));
        return new OptimizerWeights(kind, hp, tensors, p);
    }
}
