package org.rnnprop.core;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The multithreaded kernels, for tests that hold each of them to the same behaviour. The vector kernel's tests
 * are skipped, with a message saying why, on a JVM that does not read module {@code jdk.incubator.vector}.
 */
enum Impl {
    FAST {
        @Override
        StepKernel make(OptimizerWeights weights, int threads) {
            return new FastStep(weights, threads);
        }
    },
    VECTOR {
        @Override
        StepKernel make(OptimizerWeights weights, int threads) {
            assumeVector();
            return VectorStep.withThreads(weights, threads);
        }
    };

    /** A kernel with {@code threads} threads of its own; close it. */
    abstract StepKernel make(OptimizerWeights weights, int threads);

    /** Skips the calling test where the vector kernel cannot run. */
    static void assumeVector() {
        assumeTrue(StepKernels.vectorEnabled(), "VectorStep not tested: this JVM does not read module "
                + "jdk.incubator.vector (run it with " + StepKernels.VECTOR_FLAG + ")");
    }
}
