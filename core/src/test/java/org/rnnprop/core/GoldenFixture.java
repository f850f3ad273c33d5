package org.rnnprop.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The golden vectors every implementation of the step must reproduce: spec-initialised weights, a gradient
 * sequence spanning zeros and magnitudes from 1e-10 to 1e6, and the updates and states that
 * {@link ReferenceStep} (double precision) gives, step by step. Produced by {@link GoldenFixtureGenerator}.
 *
 * <p>Tolerance, for updates and states alike: {@code |actual - expected| <= ATOL + RTOL * |expected|}.
 */
public final class GoldenFixture {
    /** Relative tolerance. */
    public static final double RTOL = 1e-5;
    /** Absolute floor, far below any update that matters (updates are bounded by alpha = 0.1). */
    public static final double ATOL = 1e-7;

    private final OptimizerWeights weights;
    private final int coordinates;
    private final float[][] gradients;
    private final double[][] updates;
    private final double[][] states;

    private GoldenFixture(OptimizerWeights weights, float[][] gradients, double[][] updates, double[][] states) {
        this.weights = weights;
        this.coordinates = gradients[0].length;
        this.gradients = gradients;
        this.updates = updates;
        this.states = states;
    }

    /** Classpath location of the fixture of a kind. */
    public static String resource(OptimizerKind kind) {
        return "/org/rnnprop/core/golden/" + kind.id() + "-golden.json";
    }

    /** Classpath location of the weights of a kind's fixture. */
    public static String weightsResource(OptimizerKind kind) {
        return "/org/rnnprop/core/golden/" + kind.id() + "-weights.json";
    }

    /** Loads the committed fixture of a kind. */
    public static GoldenFixture load(OptimizerKind kind) {
        try (InputStream in = GoldenFixture.class.getResourceAsStream(resource(kind))) {
            if (in == null) {
                throw new IllegalStateException("missing golden fixture " + resource(kind));
            }
            JsonNode root = new ObjectMapper().readTree(in);
            OptimizerWeights w = WeightFile.readResource(GoldenFixture.class, weightsResource(kind));
            JsonNode steps = root.get("steps");
            int n = steps.size();
            float[][] g = new float[n][];
            double[][] u = new double[n][];
            double[][] s = new double[n][];
            for (int i = 0; i < n; i++) {
                JsonNode st = steps.get(i);
                double[] gd = doubles(st.get("grad"));
                g[i] = new float[gd.length];
                for (int k = 0; k < gd.length; k++) {
                    g[i][k] = (float) gd[k];
                }
                u[i] = doubles(st.get("update"));
                s[i] = doubles(st.get("state"));
            }
            return new GoldenFixture(w, g, u, s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double[] doubles(JsonNode a) {
        double[] d = new double[a.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = a.get(i).doubleValue();
        }
        return d;
    }

    /** Builds a fixture by running the reference step; used by the generator. */
    static GoldenFixture compute(OptimizerWeights weights, float[][] gradients) {
        ReferenceStep ref = new ReferenceStep(weights);
        int n = gradients[0].length;
        double[] state = new double[n * weights.stateWidth()];
        double[][] u = new double[gradients.length][];
        double[][] s = new double[gradients.length][];
        for (int t = 0; t < gradients.length; t++) {
            double[] g = new double[n];
            for (int i = 0; i < n; i++) {
                g[i] = gradients[t][i];
            }
            u[t] = ref.step(t + 1, g, state);
            s[t] = state.clone();
        }
        return new GoldenFixture(weights, gradients, u, s);
    }

    public OptimizerWeights weights() {
        return weights;
    }

    /** Number of coordinates. */
    public int coordinates() {
        return coordinates;
    }

    /** Number of steps; step {@code i} (0-based) runs with {@code t = i + 1}. */
    public int steps() {
        return gradients.length;
    }

    /** Gradients of step {@code i}. */
    public float[] gradient(int i) {
        return gradients[i].clone();
    }

    /** Expected updates after step {@code i} ({@code theta_new = theta - update}). */
    public double[] update(int i) {
        return updates[i].clone();
    }

    /** Expected state after step {@code i}, row-major as in {@link NetworkLayout}. */
    public double[] state(int i) {
        return states[i].clone();
    }

    /**
     * Throws an {@link AssertionError} naming {@code what}, the index and both values if any element is off by
     * more than the tolerance; returns the largest error relative to {@code ATOL + RTOL * |expected|}.
     */
    public static double check(String what, double[] expected, float[] actual) {
        if (expected.length != actual.length) {
            throw new AssertionError(what + ": length " + actual.length + ", expected " + expected.length);
        }
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            double allowed = ATOL + RTOL * Math.abs(expected[i]);
            double ratio = Math.abs(actual[i] - expected[i]) / allowed;
            if (!(ratio <= 1)) {
                throw new AssertionError(what + "[" + i + "]: got " + actual[i] + ", expected " + expected[i]
                        + " (tolerance " + allowed + ")");
            }
            worst = Math.max(worst, ratio);
        }
        return worst;
    }

    /** Runs a kernel through every step from a zero state, checking updates and states. */
    public double checkKernel(StepKernel kernel) {
        float[] state = new float[coordinates * kernel.stateWidth()];
        float[] update = new float[coordinates];
        double worst = 0;
        for (int i = 0; i < steps(); i++) {
            kernel.step(i + 1, gradient(i), state, update);
            worst = Math.max(worst, check("step " + (i + 1) + " update", updates[i], update));
            worst = Math.max(worst, check("step " + (i + 1) + " state", states[i], state));
        }
        return worst;
    }

    JsonNode toJson() {
        ObjectMapper m = new ObjectMapper();
        var root = m.createObjectNode();
        root.put("kind", weights.kind().id());
        root.put("weights", weightsResource(weights.kind()));
        root.put("coordinates", coordinates);
        root.put("producedBy", "ReferenceStep (double precision), GoldenFixtureGenerator");
        var steps = root.putArray("steps");
        for (int i = 0; i < gradients.length; i++) {
            var st = steps.addObject();
            st.put("t", i + 1);
            var g = st.putArray("grad");
            for (float v : gradients[i]) {
                g.add(v);
            }
            var u = st.putArray("update");
            for (double v : updates[i]) {
                u.add(v);
            }
            var s = st.putArray("state");
            for (double v : states[i]) {
                s.add(v);
            }
        }
        return root;
    }
}
