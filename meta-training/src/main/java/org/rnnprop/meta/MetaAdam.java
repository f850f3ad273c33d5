package org.rnnprop.meta;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam over the optimizer network's tensors, in double precision on the JVM heap, so its whole state is
 * plain arrays that a checkpoint stores exactly. beta 0.9 / 0.999, epsilon 1e-8, no clipping, no schedule.
 */
public final class MetaAdam {
    static final double BETA1 = 0.9;
    static final double BETA2 = 0.999;
    static final double EPSILON = 1e-8;

    private final double learningRate;
    private final Map<String, double[]> m = new LinkedHashMap<>();
    private final Map<String, double[]> v = new LinkedHashMap<>();
    private long step;

    public MetaAdam(double learningRate) {
        this.learningRate = learningRate;
    }

    /** Restores a saved state. */
    MetaAdam(double learningRate, long step, Map<String, double[]> m, Map<String, double[]> v) {
        this(learningRate);
        this.step = step;
        m.forEach((k, a) -> this.m.put(k, a.clone()));
        v.forEach((k, a) -> this.v.put(k, a.clone()));
    }

    /** Applies one Adam step to {@code params} (float32 tensors, updated in place) given their gradients. */
    public void apply(Map<String, float[]> params, Map<String, float[]> grads) {
        step++;
        double bc1 = 1 - Math.pow(BETA1, step);
        double bc2 = 1 - Math.pow(BETA2, step);
        for (Map.Entry<String, float[]> e : params.entrySet()) {
            float[] p = e.getValue();
            float[] g = grads.get(e.getKey());
            double[] mm = m.computeIfAbsent(e.getKey(), k -> new double[p.length]);
            double[] vv = v.computeIfAbsent(e.getKey(), k -> new double[p.length]);
            for (int i = 0; i < p.length; i++) {
                mm[i] = BETA1 * mm[i] + (1 - BETA1) * g[i];
                vv[i] = BETA2 * vv[i] + (1 - BETA2) * g[i] * (double) g[i];
                p[i] -= (float) (learningRate * (mm[i] / bc1) / (Math.sqrt(vv[i] / bc2) + EPSILON));
            }
        }
    }

    /** The same state with another learning rate (a schedule's next stage). */
    MetaAdam withLearningRate(double lr) {
        return new MetaAdam(lr, step, m, v);
    }

    public long step() {
        return step;
    }

    /**
     * Per tensor and weight, {@code |m̂| / (sqrt(v̂) + eps)}: the fraction of the learning rate by which the next
     * update moves the weight. Noisy but healthy meta-gradients give about 0.01 to 0.1; values near 0 mean one
     * past gradient spike dominates {@code v̂} (it decays by beta2 per update) and the network is frozen.
     */
    public Map<String, double[]> relativeSteps() {
        double bc1 = 1 - Math.pow(BETA1, step);
        double bc2 = 1 - Math.pow(BETA2, step);
        Map<String, double[]> out = new LinkedHashMap<>();
        m.forEach((k, mm) -> {
            double[] vv = v.get(k);
            double[] r = new double[mm.length];
            for (int i = 0; i < r.length; i++) {
                r[i] = Math.abs(mm[i] / bc1) / (Math.sqrt(vv[i] / bc2) + EPSILON);
            }
            out.put(k, r);
        });
        return out;
    }

    /** Per tensor and weight, {@code sqrt(v̂)}: the root mean square of recent meta-gradients. */
    public Map<String, double[]> gradientRms() {
        double bc2 = 1 - Math.pow(BETA2, step);
        Map<String, double[]> out = new LinkedHashMap<>();
        v.forEach((k, vv) -> {
            double[] r = new double[vv.length];
            for (int i = 0; i < r.length; i++) {
                r[i] = Math.sqrt(vv[i] / bc2);
            }
            out.put(k, r);
        });
        return out;
    }

    Map<String, double[]> firstMoments() {
        return m;
    }

    Map<String, double[]> secondMoments() {
        return v;
    }
}
