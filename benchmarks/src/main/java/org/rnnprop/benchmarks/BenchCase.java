package org.rnnprop.benchmarks;

import java.util.Map;
import java.util.Random;

/**
 * One optimizer at one size, set up and ready to step. The benchmark calls {@link #prepare()} (untimed) and then
 * {@link #step()} (timed) once per optimizer step.
 */
abstract class BenchCase implements AutoCloseable {
    /** Number of coordinates (scalar parameters) updated per step. */
    final int n;

    BenchCase(int n) {
        this.n = n;
    }

    /** Untimed work before each step, e.g. restoring a gradient that the step overwrote in place. */
    void prepare() {
    }

    /** One optimizer step over all {@link #n} coordinates: the timed work. */
    abstract void step();

    /** Bytes of persistent optimizer state per parameter, read from the actual state arrays where possible. */
    abstract double stateBytesPerParameter();

    /** How {@link #stateBytesPerParameter()} was obtained, for the report. */
    abstract String stateSource();

    /** What does the work: a thread count, or the framework's thread setting. */
    abstract String threads();

    /** The step's implementation: the core kernel's class, or the framework's own code. */
    abstract String kernel();

    /** Live NDArrays the engine tracks, or -1 where that has no meaning. */
    long liveArrays() {
        return -1;
    }

    /** Facts about the engine this case ran on (versions, thread counts), for the report's header. */
    void facts(Map<String, String> out) {
    }

    @Override
    public void close() {
    }

    /** Deterministic gradients of typical magnitude for a small network (N(0, 0.01^2)). */
    static float[] gradient(int n, long seed) {
        Random r = new Random(seed);
        float[] g = new float[n];
        for (int i = 0; i < n; i++) {
            g[i] = (float) (0.01 * r.nextGaussian());
        }
        return g;
    }

    /** Deterministic parameters as the paper initialises them (N(0, 0.1^2)). */
    static float[] parameters(int n, long seed) {
        Random r = new Random(seed ^ 0x5DEECE66DL);
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = (float) (0.1 * r.nextGaussian());
        }
        return w;
    }
}
