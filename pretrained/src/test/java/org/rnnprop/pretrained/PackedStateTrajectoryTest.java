package org.rnnprop.pretrained;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rnnprop.core.FastStep;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.PackedStep;
import org.rnnprop.core.StatePrecision;

/**
 * 16-bit state against float32 state over 100 steps of the shipped {@code rnnprop}: both are fed the same
 * gradients, those of a badly conditioned quadratic (curvatures from 1e-4 to 1e2) at the float32 run's
 * parameters, so the inputs are what training produces, and every step's updates are compared.
 */
class PackedStateTrajectoryTest {
    private static final int N = 2000;
    private static final int STEPS = 100;

    /**
     * Tolerances, in units of the step bound alpha: largest difference of one update at any step, and the mean
     * over all steps and coordinates. What the run gives is printed; the bounds leave about 2x room.
     */
    @ParameterizedTest
    @CsvSource({"FLOAT16, 0.005, 5e-5", "BFLOAT16, 0.03, 4e-4"})
    void updatesStayCloseToThoseOfFloat32State(StatePrecision precision, double maxTol, double meanTol)
            throws Exception {
        OptimizerWeights w = Pretrained.load("rnnprop");
        double alpha = w.hyperparameters().alpha();
        Random r = new Random(42);
        float[] curvature = new float[N];
        float[] target = new float[N];
        float[] theta = new float[N];
        for (int i = 0; i < N; i++) {
            curvature[i] = (float) Math.pow(10, -4 + 6 * r.nextDouble());
            target[i] = (float) r.nextGaussian();
        }
        float[] state = new float[N * w.stateWidth()];
        float[] grad = new float[N];
        float[] update = new float[N];
        float[] packedUpdate = new float[N];
        double maxDiff = 0;
        double sumDiff = 0;
        float maxCell = 0;
        try (FastStep plain = new FastStep(w, 1); PackedStep packed = new PackedStep(precision,
                () -> new FastStep(w, 1), 1)) {
            int[] packedState = new int[N * packed.slots()];
            float[] unpacked = new float[N * w.stateWidth()];
            for (int t = 1; t <= STEPS; t++) {
                for (int i = 0; i < N; i++) {
                    grad[i] = curvature[i] * (theta[i] - target[i]);
                }
                packed.step(t, grad.clone(), packedState, packedUpdate);
                plain.step(t, grad, state, update);
                for (int i = 0; i < N; i++) {
                    double d = Math.abs(update[i] - packedUpdate[i]) / alpha;
                    maxDiff = Math.max(maxDiff, d);
                    sumDiff += d;
                    theta[i] -= update[i];
                }
                packed.unpack(packedState, 0, unpacked, 0, N);
                maxCell = Math.max(maxCell, maxCell(unpacked, w.stateWidth()));
            }
        }
        double meanDiff = sumDiff / ((double) N * STEPS);
        System.out.printf("%s state, %d steps: update differences / alpha: max %.2e, mean %.2e; largest |c| %.3g%n",
                precision, STEPS, maxDiff, meanDiff, maxCell);
        assertTrue(maxDiff <= maxTol, precision + ": max update difference " + maxDiff + " alpha");
        assertTrue(meanDiff <= meanTol, precision + ": mean update difference " + meanDiff + " alpha");
        assertTrue(maxCell < 65504 / 100f, "the cell state stays far inside float16's range: " + maxCell);
    }

    /** Largest |c1| or |c2| over the rows ([m, v, h1, c1, h2, c2], 20 values each). */
    private static float maxCell(float[] rows, int width) {
        float max = 0;
        for (int r = 0; r < rows.length; r += width) {
            for (int u = 0; u < 20; u++) {
                max = Math.max(max, Math.max(Math.abs(rows[r + 22 + u]), Math.abs(rows[r + 62 + u])));
            }
        }
        return max;
    }
}
