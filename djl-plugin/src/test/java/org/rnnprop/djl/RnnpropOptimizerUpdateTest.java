package org.rnnprop.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.Trainer;
import ai.djl.training.tracker.Tracker;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnnprop.core.GoldenFixture;
import org.rnnprop.core.OptimizerKind;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.WeightFile;
import org.rnnprop.djl.internal.NdState;
import org.rnnprop.djl.internal.NdStep;
import org.rnnprop.djl.internal.NdWeights;
import org.rnnprop.pretrained.Pretrained;

/** One update at a time: DJL's gradient settings, the alpha schedule, non-finite gradients, the builder. */
class RnnpropOptimizerUpdateTest {

    /** Both kernels for both kinds of optimizer. */
    static Stream<Arguments> kernels() {
        return Stream.of(OptimizerKind.values()).flatMap(k -> Stream.of(RnnpropOptimizer.Kernel.ND,
                RnnpropOptimizer.Kernel.CORE).map(kernel -> Arguments.of(k, kernel)));
    }

    /**
     * g = clip(rescale * grad, -c, c) + wd * w, then NdStep at alpha * scale(t), as computed by hand; the core
     * kernel agrees to 1e-6.
     */
    @ParameterizedTest
    @MethodSource("kernels")
    void rescaleClipWeightDecayAndAlphaScheduleAreHonoured(OptimizerKind kind, RnnpropOptimizer.Kernel kernel) {
        OptimizerWeights weights = GoldenFixture.load(kind).weights();
        float rescale = 0.5f;
        float clip = 0.4f;
        float decay = 0.01f;
        Tracker schedule = t -> t == 1 ? 0.5f : 2f;
        Random r = new Random(3);
        int n = 30;
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = (float) r.nextGaussian();
        }
        try (NDManager m = NDManager.newBaseManager();
                RnnpropOptimizer opt = RnnpropOptimizer.builder().optWeights(weights).setRescaleGrad(rescale)
                        .optClipGrad(clip).optWeightDecays(decay).optAlphaScale(schedule).optKernel(kernel).build()) {
            NDArray weight = m.create(w);
            weight.setRequiresGradient(true);
            NdWeights nd = NdWeights.of(weights, m);
            NdState state = NdState.zeros(kind, weights.hyperparameters().hiddenSize(), n, m);
            for (int t = 1; t <= 2; t++) {
                float[] grad = new float[n];
                float[] effective = new float[n];
                for (int i = 0; i < n; i++) {
                    grad[i] = (float) r.nextGaussian() * 2;
                    effective[i] = Math.max(-clip, Math.min(clip, rescale * grad[i])) + decay * w[i];
                }
                opt.update("p", weight, m.create(grad));
                NdStep.Result expected = NdStep.step(nd, m.create(effective), state,
                        weights.hyperparameters().alpha() * schedule.getNewValue(t), t);
                state = expected.state();
                float[] u = expected.update().toFloatArray();
                for (int i = 0; i < n; i++) {
                    w[i] -= u[i];
                }
                assertArrayEquals(w, weight.toFloatArray(), 1e-6f, "weights after step " + t);
                assertArrayEquals(state.toRows().toFloatArray(), opt.stateRows("p"), 1e-6f, "state after step " + t);
            }
        }
    }

    /** A parameter stepped in chunks (here 64 coordinates, the last one partial) gives exactly one step's result. */
    @ParameterizedTest
    @MethodSource("kernels")
    void chunkedStepEqualsOneStep(OptimizerKind kind, RnnpropOptimizer.Kernel kernel) {
        OptimizerWeights weights = GoldenFixture.load(kind).weights();
        int n = 1000;
        Random r = new Random(5);
        float[] w = new float[n];
        float[][] grads = new float[3][n];
        for (int i = 0; i < n; i++) {
            w[i] = (float) r.nextGaussian();
            for (float[] g : grads) {
                g[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(6) - 3));
            }
        }
        grads[1][70] = Float.NaN; // skipped coordinates in two different chunks
        grads[2][999] = Float.POSITIVE_INFINITY;
        float[][] results = new float[2][];
        float[][] states = new float[2][];
        long[] skipped = new long[2];
        int[] chunks = {64, RnnpropOptimizer.DEFAULT_CHUNK_SIZE};
        for (int c = 0; c < 2; c++) {
            try (NDManager m = NDManager.newBaseManager();
                    RnnpropOptimizer opt = RnnpropOptimizer.builder().optWeights(weights).optChunkSize(chunks[c])
                            .optKernel(kernel).build()) {
                NDArray weight = m.create(w);
                weight.setRequiresGradient(true);
                for (float[] g : grads) {
                    opt.update("p", weight, m.create(g));
                }
                results[c] = weight.toFloatArray();
                states[c] = opt.stateRows("p");
                skipped[c] = opt.skippedCoordinates();
            }
        }
        assertArrayEquals(results[1], results[0]);
        assertArrayEquals(states[1], states[0]);
        assertEquals(2, skipped[0]);
        assertEquals(2, skipped[1]);
    }

    /** A NaN or infinite gradient coordinate leaves its parameter and state alone, and is counted. */
    @ParameterizedTest
    @EnumSource(value = RnnpropOptimizer.Kernel.class, names = {"ND", "CORE"})
    void nonFiniteGradientCoordinatesAreSkipped(RnnpropOptimizer.Kernel kernel) {
        GoldenFixture f = GoldenFixture.load(OptimizerKind.RNNPROP);
        int n = f.coordinates();
        int[] bad = {3, 10, 20};
        float[] g1 = f.gradient(0);
        g1[3] = Float.NaN;
        g1[10] = Float.POSITIVE_INFINITY;
        g1[20] = Float.NEGATIVE_INFINITY;
        int width = f.weights().stateWidth();
        try (RnnpropOptimizer opt = RnnpropOptimizer.builder().optWeights(f.weights()).optKernel(kernel).build();
                Model model = Model.newInstance("nan");
                Trainer trainer = TestModels.thetaTrainer(model, n, opt)) {
            TestModels.ThetaBlock block = TestModels.theta(trainer);
            String id = block.theta.getId();
            TestModels.setValues(block.theta, 1f);
            TestModels.stepWithGradient(trainer, g1);
            float[] theta = block.theta.getArray().toFloatArray();
            float[] rows = opt.stateRows(id);
            double[] expectedUpdate = f.update(0);
            for (int i = 0; i < n; i++) {
                boolean skipped = i == 3 || i == 10 || i == 20;
                if (skipped) {
                    assertEquals(1f, theta[i], "parameter " + i);
                    for (int k = 0; k < width; k++) {
                        assertEquals(0f, rows[i * width + k], "state " + i + "," + k);
                    }
                } else {
                    // Coordinates are independent: the others move exactly as in the fixture.
                    assertEquals(1 - expectedUpdate[i], theta[i], 1e-6, "parameter " + i);
                }
            }
            assertEquals(bad.length, opt.skippedCoordinates());
            // The NaN must not survive in the parameter's real gradient, or the next step would skip it too.
            assertEquals(0.0, TestModels.gradientMass(model));
            TestModels.stepWithGradient(trainer, f.gradient(1));
            assertEquals(bad.length, opt.skippedCoordinates());
            for (float v : block.theta.getArray().toFloatArray()) {
                assertTrue(Float.isFinite(v));
            }
            for (float v : opt.stateRows(id)) {
                assertTrue(Float.isFinite(v));
            }
            assertTrue(block.theta.getArray().toFloatArray()[3] != 1f, "skipped coordinate moves again");
        }
    }

    @Test
    void builderReadsWeightsFromFileAndStream(@TempDir Path dir) throws Exception {
        OptimizerWeights w = GoldenFixture.load(OptimizerKind.DM_OPTIMIZER).weights();
        Path file = dir.resolve("dm.json");
        WeightFile.write(w, file);
        try (RnnpropOptimizer fromFile = RnnpropOptimizer.builder().optWeightsFile(file).build()) {
            assertEquals(w.checksum(), fromFile.weights().checksum());
            assertEquals(OptimizerKind.DM_OPTIMIZER, fromFile.kind());
        }
        byte[] bytes = Files.readAllBytes(file);
        try (RnnpropOptimizer fromStream = RnnpropOptimizer.builder()
                .optWeightsStream(new ByteArrayInputStream(bytes)).build()) {
            assertEquals(w.checksum(), fromStream.weights().checksum());
        }
        ByteArrayOutputStream corrupt = new ByteArrayOutputStream();
        corrupt.write(bytes, 0, bytes.length / 2);
        Exception e = assertThrows(RuntimeException.class, () -> RnnpropOptimizer.builder()
                .optWeightsStream(new ByteArrayInputStream(corrupt.toByteArray())).build());
        assertTrue(e.getMessage().contains("weights stream"), e.getMessage());
    }

    @Test
    void defaultIsTrainedRnnpropOrAClearError() {
        if (Pretrained.names().contains(RnnpropOptimizer.DEFAULT_PRETRAINED)) {
            try (RnnpropOptimizer opt = RnnpropOptimizer.builder().build()) {
                assertEquals(OptimizerKind.RNNPROP, opt.kind());
            }
        } else {
            Exception e = assertThrows(IllegalStateException.class, () -> RnnpropOptimizer.builder().build());
            assertTrue(e.getMessage().contains("rnnprop-untrained"), e.getMessage());
        }
    }

    @Test
    void unknownPretrainedNameIsRefusedWhenItIsGiven() {
        // Names are case-sensitive: "RNNprop" is not shipped.
        for (String name : new String[] {"no-such-optimizer", "RNNprop"}) {
            RnnpropOptimizer.Builder builder = RnnpropOptimizer.builder();
            Exception e = assertThrows(IllegalArgumentException.class, () -> builder.optPretrained(name));
            assertTrue(e.getMessage().contains(name) && e.getMessage().contains("rnnprop-untrained"), e.getMessage());
        }
    }

    @Test
    void everyBuilderArgumentIsCheckedWhenGiven() {
        RnnpropOptimizer.Builder b = RnnpropOptimizer.builder();
        for (float bad : new float[] {-1f, 0f, Float.NaN, Float.POSITIVE_INFINITY}) {
            Exception e = assertThrows(IllegalArgumentException.class, () -> b.optAlphaScale(bad));
            assertTrue(e.getMessage().contains("alphaScale"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> b.optBeginNumUpdate(-1));
        assertThrows(IllegalArgumentException.class, () -> b.optChunkSize(0));
        assertThrows(IllegalArgumentException.class, () -> b.setRescaleGrad(Float.NaN));
        assertThrows(IllegalArgumentException.class, () -> b.setRescaleGrad(Float.NEGATIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> b.optWeightDecays(-0.1f));
        assertThrows(IllegalArgumentException.class, () -> b.optWeightDecays(Float.NaN));
        assertThrows(IllegalArgumentException.class, () -> b.optClipGrad(Float.NaN));
        assertThrows(NullPointerException.class, () -> b.optPretrained(null));
        assertThrows(NullPointerException.class, () -> b.optAlphaScale(null));
        // What was refused left the builder as it was; valid values are taken.
        try (RnnpropOptimizer opt = b.optPretrained("rnnprop-untrained").optAlphaScale(0.5f).optClipGrad(-1f)
                .optWeightDecays(0f).setRescaleGrad(2f).optBeginNumUpdate(3).build()) {
            assertEquals(3, opt.stepCount("any"));
        }
    }

    /** A float64 parameter: both kernels step in float32 and write the update back in float64, alike. */
    @Test
    void bothKernelsAgreeOnAFloat64Parameter() {
        float[][] results = new float[2][];
        RnnpropOptimizer.Kernel[] kernels = {RnnpropOptimizer.Kernel.ND, RnnpropOptimizer.Kernel.CORE};
        for (int k = 0; k < 2; k++) {
            try (NDManager m = NDManager.newBaseManager();
                    RnnpropOptimizer opt = RnnpropOptimizer.builder().optPretrained("rnnprop").optKernel(kernels[k])
                            .build()) {
                NDArray weight = m.arange(0f, 50f).mul(0.01f).toType(ai.djl.ndarray.types.DataType.FLOAT64, false);
                for (int t = 0; t < 3; t++) {
                    opt.update("w", weight, weight.sin().mul(0.1f));
                }
                assertEquals(ai.djl.ndarray.types.DataType.FLOAT64, weight.getDataType());
                results[k] = weight.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
            }
        }
        assertArrayEquals(results[0], results[1], 1e-6f);
    }

    @ParameterizedTest
    @EnumSource(value = RnnpropOptimizer.Kernel.class, names = {"ND", "CORE"})
    void aWeightStoredTransposedIsUpdatedInPlace(RnnpropOptimizer.Kernel kernel) {
        try (NDManager m = NDManager.newBaseManager();
                RnnpropOptimizer opt = RnnpropOptimizer.builder().optPretrained("rnnprop-untrained").optKernel(kernel)
                        .build();
                RnnpropOptimizer ref = RnnpropOptimizer.builder().optPretrained("rnnprop-untrained").optKernel(kernel)
                        .build()) {
            NDArray base = m.randomNormal(new ai.djl.ndarray.types.Shape(3, 5));
            NDArray transposed = base.transpose(); // a view: not contiguous, so reshape(-1) copies
            NDArray contiguous = transposed.duplicate();
            NDArray g = m.randomNormal(new ai.djl.ndarray.types.Shape(5, 3));
            float[] before = contiguous.toFloatArray();
            opt.update("w", transposed, g);
            ref.update("w", contiguous, g);
            assertTrue(!java.util.Arrays.equals(before, contiguous.toFloatArray()), "the update moved the weight");
            assertArrayEquals(contiguous.toFloatArray(), transposed.toFloatArray(), "the view got the update");
            assertArrayEquals(contiguous.toFloatArray(), base.transpose().toFloatArray(), "and so did its storage");
        }
    }
}
