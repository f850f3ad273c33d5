package org.rnnprop.meta;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MetaAdamTest {

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    /** Noisy gradients around a small drift, one update per call. */
    private static void feed(MetaAdam adam, Map<String, float[]> params, SplittableRandom rng, int updates,
            double scale) {
        for (int k = 0; k < updates; k++) {
            float[] g = new float[params.get("w").length];
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) (scale * (0.02 + rng.nextGaussian()));
            }
            adam.apply(params, Map.of("w", g));
        }
    }

    @Test
    void oneGradientSpikeFreezesTheRelativeStepsForThousandsOfUpdates() {
        SplittableRandom rng = new SplittableRandom(1);
        Map<String, float[]> params = Map.of("w", new float[200]);
        MetaAdam adam = new MetaAdam(1e-4);
        feed(adam, params, rng, 500, 1.0);
        double healthy = median(adam.relativeSteps().get("w"));
        assertTrue(healthy > 0.02 && healthy < 0.5, "relative step with noisy gradients: " + healthy);
        feed(adam, params, rng, 1, 1e5); // one meta-gradient 100,000 times the usual size
        feed(adam, params, rng, 500, 1.0);
        double frozen = median(adam.relativeSteps().get("w"));
        assertTrue(frozen < healthy / 100, "relative step 500 updates after the spike: " + frozen);
        assertTrue(median(adam.gradientRms().get("w")) > 100, "the spike still dominates v");
    }
}
