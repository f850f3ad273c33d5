package org.rnnprop.meta;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.atomic.AtomicBoolean;
import org.rnnprop.core.StepKernels;

/**
 * Makes {@link HandReplay}'s {@link ReplayBlock}s: {@code VectorReplayBlock} where this JVM can run the core's
 * Vector API kernel ({@link StepKernels#vectorEnabled()}: it reads module {@code jdk.incubator.vector} and runs
 * its optimizing compiler) and the preferred vector width suits the block, else {@link PlainReplayBlock}. The
 * vector class is loaded by name only after that check, so a JVM without the module never links it.
 */
final class ReplayBlocks {
    private static final System.Logger LOG = System.getLogger("org.rnnprop.meta");
    private static final AtomicBoolean LOGGED = new AtomicBoolean();

    private ReplayBlocks() {
    }

    /** Why this JVM replays in plain Java, or null where it can use the Vector API. */
    static String vectorUnavailableReason() {
        return Vector.REASON;
    }

    /** Whether this JVM can replay on the Vector API; if not, logs why, once. */
    static boolean vectorAvailable() {
        if (Vector.REASON == null) {
            return true;
        }
        if (LOGGED.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.INFO, "rnnprop: meta-backward in plain Java, not on the Vector API: "
                    + Vector.REASON);
        }
        return false;
    }

    /** A block in plain Java. */
    static ReplayBlock plain(ReplayNetwork net, int steps) {
        return new PlainReplayBlock(net, steps);
    }

    /**
     * A block on the Vector API.
     *
     * @throws UnsupportedOperationException where this JVM cannot run it, with the reason
     */
    static ReplayBlock vector(ReplayNetwork net, int steps) {
        if (Vector.REASON != null) {
            throw new UnsupportedOperationException("VectorReplayBlock: " + Vector.REASON);
        }
        try {
            return (ReplayBlock) Vector.MAKE.invokeExact(net, steps);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("could not make the vector meta-backward", e);
        }
    }

    /** The probe, run once: why the vector block cannot run here (null if it can), and a handle to make one. */
    private static final class Vector {
        static final String REASON;
        static final MethodHandle MAKE;

        static {
            String reason = null;
            MethodHandle make = null;
            if (!StepKernels.vectorEnabled()) {
                reason = "this JVM cannot run the Vector API kernels (they need " + StepKernels.VECTOR_FLAG
                        + " and the optimizing compiler)";
            } else {
                try {
                    Class<?> c = Class.forName("org.rnnprop.meta.VectorReplayBlock");
                    MethodHandles.Lookup lookup = MethodHandles.lookup();
                    reason = (String) lookup.findStatic(c, "unsupportedPlatform", MethodType.methodType(String.class))
                            .invokeExact();
                    make = lookup.findConstructor(c, MethodType.methodType(void.class, ReplayNetwork.class, int.class))
                            .asType(MethodType.methodType(ReplayBlock.class, ReplayNetwork.class, int.class));
                } catch (Throwable e) { // whatever the cause, the plain block still works
                    reason = "the vector meta-backward could not be loaded (" + e + ")";
                }
            }
            REASON = reason;
            MAKE = reason == null ? make : null;
        }
    }
}
