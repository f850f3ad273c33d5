package org.rnnprop.benchmarks;

import java.io.IOException;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.StatePrecision;
import org.rnnprop.djl.RnnpropOptimizer;
import org.rnnprop.pretrained.Pretrained;

/** The benchmarked implementations, in report order. Framework classes load only when their case runs. */
enum CaseId {
    REFERENCE_RNNPROP("reference-rnnprop", "core ReferenceStep (float64, per coordinate)", "RNNprop", Vector.UNUSED),
    FAST_RNNPROP("fast-rnnprop", "core FastStep", "RNNprop", Vector.UNUSED),
    FAST_RNNPROP_1T("fast-rnnprop-1t", "core FastStep", "RNNprop", Vector.UNUSED),
    PACKED_RNNPROP_FP16("packed-rnnprop-fp16", "core PackedStep, float16 state", "RNNprop", Vector.DEPENDS),
    PACKED_RNNPROP_FP16_1T("packed-rnnprop-fp16-1t", "core PackedStep, float16 state", "RNNprop", Vector.DEPENDS),
    PACKED_RNNPROP_BF16("packed-rnnprop-bf16", "core PackedStep, bfloat16 state", "RNNprop", Vector.DEPENDS),
    PACKED_RNNPROP_BF16_1T("packed-rnnprop-bf16-1t", "core PackedStep, bfloat16 state", "RNNprop", Vector.DEPENDS),
    FAST_DM("fast-dm", "core FastStep", "DMoptimizer", Vector.UNUSED),
    FAST_DM_1T("fast-dm-1t", "core FastStep", "DMoptimizer", Vector.UNUSED),
    VECTOR_RNNPROP("vector-rnnprop", "core VectorStep (Vector API)", "RNNprop", Vector.REQUIRED),
    VECTOR_RNNPROP_1T("vector-rnnprop-1t", "core VectorStep (Vector API)", "RNNprop", Vector.REQUIRED),
    VECTOR_DM("vector-dm", "core VectorStep (Vector API)", "DMoptimizer", Vector.REQUIRED),
    VECTOR_DM_1T("vector-dm-1t", "core VectorStep (Vector API)", "DMoptimizer", Vector.REQUIRED),
    DJL_RNNPROP("djl-rnnprop", "DJL RnnpropOptimizer.update, core kernel", "RNNprop", Vector.DEPENDS),
    DJL_RNNPROP_ND("djl-rnnprop-nd", "DJL RnnpropOptimizer.update, NdStep", "RNNprop", Vector.UNUSED),
    DJL_RNNPROP_FP16("djl-rnnprop-fp16", "DJL RnnpropOptimizer.update, NdStep, float16 state", "RNNprop",
            Vector.UNUSED),
    DJL_DM("djl-dm", "DJL RnnpropOptimizer.update, core kernel", "DMoptimizer", Vector.DEPENDS),
    DJL_ADAM("djl-adam", "DJL Adam (built-in)", "Adam", Vector.UNUSED),
    DL4J_RNNPROP("dl4j-rnnprop", "DL4J RnnpropUpdater.applyUpdater", "RNNprop", Vector.DEPENDS),
    DL4J_RNNPROP_FP16("dl4j-rnnprop-fp16", "DL4J RnnpropUpdater.applyUpdater, float16 state", "RNNprop",
            Vector.DEPENDS),
    DL4J_RNNPROP_BF16("dl4j-rnnprop-bf16", "DL4J RnnpropUpdater.applyUpdater, bfloat16 state", "RNNprop",
            Vector.DEPENDS),
    DL4J_DM("dl4j-dm", "DL4J RnnpropUpdater.applyUpdater", "DMoptimizer", Vector.DEPENDS),
    DL4J_ADAM("dl4j-adam", "DL4J AdamUpdater (built-in)", "Adam", Vector.UNUSED);

    /** How a case depends on the JVM flag that enables the Vector API ({@code --add-modules jdk.incubator.vector}). */
    enum Vector {
        /** Runs the same code either way. */
        UNUSED,
        /** Cannot run without it. */
        REQUIRED,
        /** Runs the vector kernel with it and FastStep without (the library's own choice, StepKernels.best). */
        DEPENDS
    }

    /** The case every ratio is taken against. */
    static final CaseId BASELINE = FAST_RNNPROP;

    final String id;
    final String label;
    final String optimizer;
    final Vector vector;

    CaseId(String id, String label, String optimizer, Vector vector) {
        this.id = id;
        this.label = label;
        this.optimizer = optimizer;
        this.vector = vector;
    }

    static CaseId fromId(String id) {
        for (CaseId c : values()) {
            if (c.id.equals(id)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown case '" + id + "'; cases: " + ids());
    }

    static String ids() {
        StringBuilder sb = new StringBuilder();
        for (CaseId c : values()) {
            sb.append(sb.length() == 0 ? "" : ",").append(c.id);
        }
        return sb.toString();
    }

    boolean isReference() {
        return this == REFERENCE_RNNPROP;
    }

    /** Sets the case up at {@code n} coordinates. */
    BenchCase create(int n, StepBenchmark.Options o) throws IOException {
        int all = o.threads;
        return switch (this) {
            case REFERENCE_RNNPROP -> CoreCase.reference(n, load(o.rnnpropWeights), o.seed);
            case FAST_RNNPROP -> CoreCase.fast(n, load(o.rnnpropWeights), all, o.seed);
            case FAST_RNNPROP_1T -> CoreCase.fast(n, load(o.rnnpropWeights), 1, o.seed);
            case PACKED_RNNPROP_FP16 -> PackedCase.of(n, load(o.rnnpropWeights), StatePrecision.FLOAT16, all, o.seed);
            case PACKED_RNNPROP_FP16_1T -> PackedCase.of(n, load(o.rnnpropWeights), StatePrecision.FLOAT16, 1, o.seed);
            case PACKED_RNNPROP_BF16 -> PackedCase.of(n, load(o.rnnpropWeights), StatePrecision.BFLOAT16, all, o.seed);
            case PACKED_RNNPROP_BF16_1T -> PackedCase.of(n, load(o.rnnpropWeights), StatePrecision.BFLOAT16, 1,
                    o.seed);
            case FAST_DM -> CoreCase.fast(n, load(o.dmWeights), all, o.seed);
            case FAST_DM_1T -> CoreCase.fast(n, load(o.dmWeights), 1, o.seed);
            case VECTOR_RNNPROP -> CoreCase.vector(n, load(o.rnnpropWeights), all, o.seed);
            case VECTOR_RNNPROP_1T -> CoreCase.vector(n, load(o.rnnpropWeights), 1, o.seed);
            case VECTOR_DM -> CoreCase.vector(n, load(o.dmWeights), all, o.seed);
            case VECTOR_DM_1T -> CoreCase.vector(n, load(o.dmWeights), 1, o.seed);
            case DJL_RNNPROP -> DjlCase.rnnprop(n, load(o.rnnpropWeights), StatePrecision.FLOAT32,
                    RnnpropOptimizer.Kernel.CORE, o.seed);
            case DJL_RNNPROP_ND -> DjlCase.rnnprop(n, load(o.rnnpropWeights), StatePrecision.FLOAT32,
                    RnnpropOptimizer.Kernel.ND, o.seed);
            case DJL_RNNPROP_FP16 -> DjlCase.rnnprop(n, load(o.rnnpropWeights), StatePrecision.FLOAT16,
                    RnnpropOptimizer.Kernel.ND, o.seed);
            case DJL_DM -> DjlCase.rnnprop(n, load(o.dmWeights), StatePrecision.FLOAT32, RnnpropOptimizer.Kernel.CORE,
                    o.seed);
            case DJL_ADAM -> DjlCase.adam(n, o.seed);
            case DL4J_RNNPROP -> Dl4jCase.rnnprop(n, o.rnnpropWeights, StatePrecision.FLOAT32, o.seed);
            case DL4J_RNNPROP_FP16 -> Dl4jCase.rnnprop(n, o.rnnpropWeights, StatePrecision.FLOAT16, o.seed);
            case DL4J_RNNPROP_BF16 -> Dl4jCase.rnnprop(n, o.rnnpropWeights, StatePrecision.BFLOAT16, o.seed);
            case DL4J_DM -> Dl4jCase.rnnprop(n, o.dmWeights, StatePrecision.FLOAT32, o.seed);
            case DL4J_ADAM -> Dl4jCase.adam(n, o.seed);
        };
    }

    private static OptimizerWeights load(String name) throws IOException {
        return Pretrained.load(name);
    }
}
