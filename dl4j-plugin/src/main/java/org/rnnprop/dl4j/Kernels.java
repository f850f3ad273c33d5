package org.rnnprop.dl4j;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.PackedStep;
import org.rnnprop.core.StepKernel;
import org.rnnprop.core.StepKernels;
import org.rnnprop.core.WeightFile;
import org.rnnprop.pretrained.Pretrained;

/**
 * Weights and step kernels shared by every {@link Rnnprop} config and {@link RnnpropUpdater} in the JVM.
 *
 * <p>DL4J clones configs per layer and builds an updater per block of parameters, and again whenever a network
 * is restored; loading a file or setting up a step kernel (arranged weights, scratch per thread) each time would
 * be wasteful, so both are made once per source and {@code alphaScale} and kept for the life of the JVM. A load
 * that fails is not cached, so a corrected file is picked up on the next attempt. A schedule on the alpha scale
 * needs no kernels of its own: {@link RnnpropUpdater} scales the update of the kernel at the constant scale.
 */
final class Kernels {
    /** Unscaled weights by source. */
    private static final ConcurrentMap<String, OptimizerWeights> SOURCES = new ConcurrentHashMap<>();
    /** Scaled weights by source and alphaScale. */
    private static final ConcurrentMap<String, OptimizerWeights> SCALED = new ConcurrentHashMap<>();
    /**
     * One kernel per entry of {@link #SCALED}, the best the JVM runs ({@link StepKernels#best}); kernels are
     * thread-safe, so updaters share them, and all of them run on the core's shared worker threads, so a sweep
     * over many alpha scales adds no threads.
     */
    private static final ConcurrentMap<String, StepKernel> STEPS = new ConcurrentHashMap<>();
    /** Kernels on 16-bit state, by the key of {@link #SCALED} and the precision; likewise shared. */
    private static final ConcurrentMap<String, PackedStep> PACKED = new ConcurrentHashMap<>();

    private Kernels() {
    }

    static OptimizerWeights weights(Rnnprop config) {
        return SCALED.computeIfAbsent(key(config), k -> {
            OptimizerWeights w = SOURCES.computeIfAbsent(config.sourceKey(), s -> load(config));
            double scale = config.getAlphaScale();
            return scale == 1.0 ? w : w.withAlpha(w.hyperparameters().alpha() * scale);
        });
    }

    static StepKernel step(Rnnprop config) {
        return STEPS.computeIfAbsent(key(config), k -> StepKernels.best(weights(config)));
    }

    /** The kernel of a config whose state precision is 16-bit. */
    static PackedStep packed(Rnnprop config) {
        return PACKED.computeIfAbsent(key(config) + "@" + config.getStatePrecision(),
                k -> PackedStep.of(weights(config), config.getStatePrecision()));
    }

    private static String key(Rnnprop config) {
        return config.sourceKey() + "@" + Double.toHexString(config.getAlphaScale());
    }

    private static OptimizerWeights load(Rnnprop config) {
        try {
            if (config.getPretrained() != null) {
                return Pretrained.load(config.getPretrainedFile());
            }
            Path file = config.getFile();
            return WeightFile.read(file);
        } catch (IOException e) {
            // WeightFileException's message already names the file and the field; keep it as the message.
            throw new UncheckedIOException(e.getMessage() == null ? config.sourceDescription() : e.getMessage(), e);
        }
    }
}
