package org.rnnprop.core;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The step kernel the library's own code uses, and applications should use: the Vector API kernel where this JVM
 * can run it, else {@link FastStep}.
 *
 * <p>With the JDK's Vector API enabled, that is a kernel written with it, which computes in explicit vectors of
 * the processor's preferred width instead of relying on the JIT to vectorize {@link FastStep}'s loops. The
 * Vector API is an incubator module, which a JVM reads only when started with
 * {@code --add-modules jdk.incubator.vector}. Without the flag (or on a JVM that runs without its optimizing
 * compiler, where vector code is slow) the kernel is {@link FastStep}, and the first call logs once, at level
 * INFO through {@link System.Logger} (named {@code org.rnnprop.core}), the flag that would enable the vector
 * kernel. Both agree with {@link ReferenceStep} to the same tolerance; their results differ in the last bits.
 *
 * <p>The vector kernel is loaded by name only after the module is found, so a JVM without the module never links
 * it and nothing breaks for users who do nothing.
 */
public final class StepKernels {
    /** The JVM flag that enables the vector kernel. */
    public static final String VECTOR_FLAG = "--add-modules jdk.incubator.vector";

    private static final System.Logger LOG = System.getLogger("org.rnnprop.core");
    private static final AtomicBoolean LOGGED = new AtomicBoolean();

    private StepKernels() {
    }

    /**
     * The kernel for {@code weights} on the worker threads every kernel made without a thread count shares
     * (one per available processor, or the system property {@code rnnprop.threads}); closing it does nothing.
     */
    public static StepKernel best(OptimizerWeights weights) {
        return make(weights, 0);
    }

    /**
     * The kernel for {@code weights} with {@code threads} threads of its own (the caller's included), which
     * {@link StepKernel#close()} stops.
     */
    public static StepKernel best(OptimizerWeights weights, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        return make(weights, threads);
    }

    /**
     * Whether this JVM runs the vector kernel: {@link #best} then returns it for every network whose hidden size
     * is at least the vector width in floats (16 with AVX-512; the specification's networks have 20).
     */
    public static boolean vectorEnabled() {
        return Vector.REASON == null;
    }

    private static StepKernel make(OptimizerWeights weights, int threads) {
        String reason = Vector.REASON;
        if (reason == null) {
            try {
                reason = (String) Vector.UNSUPPORTED.invokeExact(weights);
                if (reason == null) {
                    return threads == 0 ? (StepKernel) Vector.SHARED.invokeExact(weights)
                            : (StepKernel) Vector.WITH_THREADS.invokeExact(weights, threads);
                }
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException("could not make the vector kernel", e);
            }
        }
        if (LOGGED.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.INFO, "rnnprop: using FastStep, not the Vector API kernel: " + reason);
        }
        return threads == 0 ? new FastStep(weights) : new FastStep(weights, threads);
    }

    /** The probe, run once: why the vector kernel cannot run here (null if it can), and handles to make it. */
    private static final class Vector {
        static final String REASON;
        static final MethodHandle UNSUPPORTED;
        static final MethodHandle SHARED;
        static final MethodHandle WITH_THREADS;

        static {
            String reason = probe();
            MethodHandle unsupported = null;
            MethodHandle shared = null;
            MethodHandle withThreads = null;
            if (reason == null) {
                try {
                    Class<?> c = Class.forName("org.rnnprop.core.VectorStep");
                    MethodHandles.Lookup lookup = MethodHandles.lookup();
                    unsupported = lookup.findStatic(c, "unsupportedReason",
                            MethodType.methodType(String.class, OptimizerWeights.class));
                    shared = lookup.findStatic(c, "shared", MethodType.methodType(c, OptimizerWeights.class))
                            .asType(MethodType.methodType(StepKernel.class, OptimizerWeights.class));
                    withThreads = lookup.findStatic(c, "withThreads",
                            MethodType.methodType(c, OptimizerWeights.class, int.class))
                            .asType(MethodType.methodType(StepKernel.class, OptimizerWeights.class, int.class));
                    reason = (String) lookup.findStatic(c, "unsupportedPlatform", MethodType.methodType(String.class))
                            .invokeExact();
                } catch (Throwable e) { // whatever the cause, FastStep still works
                    reason = "the vector kernel could not be loaded (" + e + ")";
                }
            }
            REASON = reason;
            UNSUPPORTED = unsupported;
            SHARED = shared;
            WITH_THREADS = withThreads;
        }

        private static String probe() {
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
                return "the JVM does not read module jdk.incubator.vector; start it with " + VECTOR_FLAG;
            }
            String compiler = optimizingCompilerMissing();
            if (compiler != null) {
                return compiler;
            }
            return null;
        }

        /** Why HotSpot would run vector code without C2 (then far slower than plain loops), or null. */
        private static String optimizingCompilerMissing() {
            for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (arg.equals("-Xint") || arg.matches("-XX:TieredStopAtLevel=[0-3]")
                        || arg.equals("-XX:-UseCompiler")) {
                    return "the JVM runs without its optimizing compiler (" + arg + ")";
                }
            }
            return null;
        }
    }
}
