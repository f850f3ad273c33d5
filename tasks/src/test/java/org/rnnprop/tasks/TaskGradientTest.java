package org.rnnprop.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rnnprop.datasets.LabeledImages;

/** Every hand-written gradient against the engine's autograd on the same loss. */
class TaskGradientTest {

    static LabeledImages tinyData(long seed) {
        Rng r = new Rng(seed);
        int n = 40;
        float[] x = r.uniform(n * 12, 0, 1);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(3);
        }
        return new LabeledImages(x, y, 1, 3, 4, 3);
    }

    static void assertGradientMatchesAutograd(Task task, long seed) {
        try (NDManager m = NDManager.newBaseManager()) {
            Rng rng = new Rng(seed);
            NDArray theta = task.initialParameters(m, rng).add(m.create(rng.gaussian(task.dimension(), 0.3)));
            Object batch = task.sampleBatch(rng);
            Task.LossAndGradient lg = task.lossAndGradient(theta, batch);
            NDArray x = theta.duplicate();
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = task.loss(x, batch);
                assertEquals(loss.getFloat(), lg.loss().getFloat(), 1e-5 * Math.abs(loss.getFloat()) + 1e-7);
                gc.backward(loss);
            }
            float[] auto = x.getGradient().toFloatArray();
            float[] hand = lg.gradient().toFloatArray();
            assertEquals(task.dimension(), hand.length);
            double scale = 0;
            for (float v : auto) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int i = 0; i < hand.length; i++) {
                assertEquals(auto[i], hand[i], 1e-4 * scale + 1e-7, "coordinate " + i);
            }
        }
    }

    /**
     * The hand-written gradient against central differences (h = 1e-3, float32) at parameters drawn with
     * {@code seed} and scaled by 5, so that activations leave their linear range.
     */
    static void assertGradientMatchesFiniteDifferences(Task task, long seed) {
        try (NDManager m = NDManager.newBaseManager()) {
            Rng rng = new Rng(seed);
            NDArray theta = task.initialParameters(m, rng).mul(5);
            Object batch = task.sampleBatch(rng);
            float[] grad = task.lossAndGradient(theta, batch).gradient().toFloatArray();
            float[] base = theta.toFloatArray();
            double h = 1e-3;
            for (int i = 0; i < base.length; i++) {
                float[] plus = base.clone();
                float[] minus = base.clone();
                plus[i] += (float) h;
                minus[i] -= (float) h;
                double fd = (task.loss(m.create(plus), batch).getFloat() - task.loss(m.create(minus), batch).getFloat())
                        / (2 * h);
                assertEquals(fd, grad[i], 2e-3 + 2e-2 * Math.abs(fd), "coordinate " + i);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(MlpTask.Act.class)
    void mlpGradient(MlpTask.Act act) {
        try (NDManager data = NDManager.newBaseManager()) {
            assertGradientMatchesAutograd(new MlpTask(tinyData(1), data, 5, 2, act, 16), 7);
        }
    }

    @Test
    void baseMlpHasTheSpecifiedSize() {
        LabeledImages fake = new LabeledImages(new float[784], new int[] {0}, 1, 28, 28, 10);
        try (NDManager data = NDManager.newBaseManager()) {
            assertEquals(15_910, MlpTask.base(fake, data).dimension());
            assertEquals(15_910 + 420 * 2, new MlpTask(fake, data, 20, 3, MlpTask.Act.SIGMOID, 128).dimension());
        }
    }

    @Test
    void convexGradientIncludingClippedTerms() {
        assertGradientMatchesAutograd(new ConvexTask(new Rng(3).uniform(20, -4, 4)), 5);
    }

    @Test
    void scaledSumGradient() {
        try (NDManager data = NDManager.newBaseManager()) {
            Rng r = new Rng(11);
            Task f = ScaledTask.random(new MlpTask(tinyData(2), data, 4, 1, MlpTask.Act.SIGMOID, 8), 3, r);
            Task g = ScaledTask.random(ConvexTask.random(20, r), 1, r);
            assertGradientMatchesAutograd(new SumTask(List.of(f, g)), 13);
        }
    }

    @Test
    void scaledTaskStartsAtTheInnerInitialisation() {
        try (NDManager m = NDManager.newBaseManager()) {
            MlpTask inner = new MlpTask(tinyData(3), m, 4, 1, MlpTask.Act.SIGMOID, 8);
            float[] c = new Rng(4).uniform(inner.dimension(), 0.1, 10);
            NDArray scaled = new ScaledTask(inner, c).initialParameters(m, new Rng(9));
            NDArray plain = inner.initialParameters(m, new Rng(9));
            float[] s = scaled.mul(m.create(c)).toFloatArray();
            float[] p = plain.toFloatArray();
            for (int i = 0; i < p.length; i++) {
                assertEquals(p[i], s[i], 1e-6 * Math.abs(p[i]) + 1e-9);
            }
        }
    }

    @Test
    void glorotInitialisationHasZeroBiasesAndBoundedKernels() {
        try (NDManager m = NDManager.newBaseManager()) {
            MlpTask t = new MlpTask(tinyData(1), m, 5, 2, MlpTask.Act.RELU, 16)
                    .variant(7, 2, MlpTask.Act.RELU, ParameterInit.GLOROT_UNIFORM);
            float[] theta = t.initialParameters(m, new Rng(4)).toFloatArray();
            int in = tinyData(1).imageSize();
            int[] sizes = {in, 7, 7, tinyData(1).numClasses()};
            assertEquals(t.dimension(), theta.length);
            int at = 0;
            for (int l = 0; l + 1 < sizes.length; l++) {
                double r = Math.sqrt(6.0 / (sizes[l] + sizes[l + 1]));
                double maxAbs = 0;
                for (int i = 0; i < sizes[l] * sizes[l + 1]; i++) {
                    maxAbs = Math.max(maxAbs, Math.abs(theta[at + i]));
                }
                assertTrue(maxAbs <= r && maxAbs > 0.5 * r, "layer " + l + ": max |w| " + maxAbs + ", bound " + r);
                at += sizes[l] * sizes[l + 1];
                for (int i = 0; i < sizes[l + 1]; i++) {
                    assertEquals(0f, theta[at + i], "bias of layer " + l);
                }
                at += sizes[l + 1];
            }
            assertGradientMatchesAutograd(t, 9);
        }
    }
}
