package org.rnnprop.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.Trainer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rnnprop.core.GoldenFixture;
import org.rnnprop.core.OptimizerKind;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.StatePrecision;
import org.rnnprop.djl.internal.NdState;
import org.rnnprop.djl.internal.NdStep;
import org.rnnprop.djl.internal.NdWeights;

/** The optimizer with float16 LSTM state: the builder, the step, training, save and restore. */
class StatePrecisionTest {
    private static final int K = 6;
    private static final int M = 4;

    private static RnnpropOptimizer float16(String pretrained) {
        return RnnpropOptimizer.builder().optPretrained(pretrained).optStatePrecision(StatePrecision.FLOAT16)
                .build();
    }

    @Test
    void builderTakesFloat16AndRefusesBfloat16Clearly() {
        try (RnnpropOptimizer plain = RnnpropOptimizer.builder().optPretrained("rnnprop-untrained").build();
                RnnpropOptimizer half = float16("rnnprop-untrained")) {
            assertEquals(StatePrecision.FLOAT32, plain.statePrecision());
            assertEquals(StatePrecision.FLOAT16, half.statePrecision());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RnnpropOptimizer.builder().optStatePrecision(StatePrecision.BFLOAT16));
        assertTrue(e.getMessage().contains("BFLOAT16") && e.getMessage().contains("FLOAT16"), e.getMessage());
        assertThrows(NullPointerException.class, () -> RnnpropOptimizer.builder().optStatePrecision(null));
    }

    /**
     * Each step is the float32 step on the stored state, its LSTM values then rounded to float16 (nearest
     * even): checked against NdStep on explicitly rounded state, for both kinds, with skipped coordinates.
     */
    @ParameterizedTest
    @EnumSource(OptimizerKind.class)
    void eachStepIsTheFloat32StepRoundedToFloat16(OptimizerKind kind) {
        OptimizerWeights weights = GoldenFixture.load(kind).weights();
        int n = 200;
        int width = weights.stateWidth();
        int moments = kind == OptimizerKind.RNNPROP ? 2 : 0;
        Random r = new Random(11);
        float[] w = new float[n];
        try (NDManager m = NDManager.newBaseManager();
                RnnpropOptimizer opt = RnnpropOptimizer.builder().optWeights(weights)
                        .optStatePrecision(StatePrecision.FLOAT16).optChunkSize(64).build()) {
            NDArray weight = m.create(w);
            weight.setRequiresGradient(true);
            NdWeights nd = NdWeights.of(weights, m);
            float[] expectedRows = new float[n * width];
            for (int t = 1; t <= 5; t++) {
                float[] grad = new float[n];
                for (int i = 0; i < n; i++) {
                    grad[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(7) - 4));
                }
                grad[t * 13] = Float.NaN;
                opt.update("p", weight, m.create(grad));
                NdState state = NdState.fromRows(kind, weights.hyperparameters().hiddenSize(),
                        m.create(expectedRows, new ai.djl.ndarray.types.Shape(n, width)));
                float[] finite = grad.clone();
                finite[t * 13] = 0f; // its row is not compared
                NdStep.Result step = NdStep.step(nd, m.create(finite), state,
                        weights.hyperparameters().alpha(), t);
                float[] rows = step.state().toRows().toFloatArray();
                float[] update = step.update().toFloatArray();
                for (int i = 0; i < n; i++) {
                    if (Float.isNaN(grad[i])) {
                        continue; // row kept
                    }
                    w[i] -= update[i];
                    for (int k = 0; k < width; k++) {
                        float v = rows[i * width + k];
                        expectedRows[i * width + k] = k < moments ? v : StatePrecision.FLOAT16.round(v);
                    }
                }
                float[] got = opt.stateRows("p");
                for (int i = 0; i < n * width; i++) {
                    if (i % width >= moments) {
                        assertEquals(got[i], StatePrecision.FLOAT16.round(got[i]), "stored in float16");
                    }
                }
                assertArrayEquals(expectedRows, got, 1e-3f, "state after step " + t);
                assertArrayEquals(w, weight.toFloatArray(), 1e-5f, "weights after step " + t);
            }
            assertEquals(5, opt.skippedCoordinates());
        }
    }

    /** A classifier trains with float16 state, close to float32 state's run. */
    @Test
    void aSmallModelTrainsCloseToFloat32() throws Exception {
        List<float[]> reference = null;
        for (StatePrecision p : new StatePrecision[] {StatePrecision.FLOAT32, StatePrecision.FLOAT16}) {
            try (RnnpropOptimizer opt = RnnpropOptimizer.builder().optPretrained("rnnprop")
                    .optStatePrecision(p).build();
                    Model model = Model.newInstance("fit");
                    Trainer trainer = TestModels.classifierTrainer(model, opt, 3)) {
                float first = 0;
                float last = 0;
                for (int s = 0; s < 30; s++) {
                    float[][] b = TestModels.data(32, 200 + s);
                    last = TestModels.trainStep(trainer, b[0], b[1]);
                    first = s == 0 ? last : first;
                }
                assertTrue(last < first * 0.5, p + ": loss " + first + " -> " + last);
                List<float[]> params = TestModels.parameters(model);
                if (reference == null) {
                    reference = params;
                } else {
                    for (int i = 0; i < params.size(); i++) {
                        assertArrayEquals(reference.get(i), params.get(i), 0.05f, "parameter " + i);
                    }
                }
            }
        }
    }

    /**
     * k steps, saveState, a fresh model and optimizer, loadState, m more steps: bit-identical to k + m steps;
     * the file records float16 and stores 2 bytes per LSTM value.
     */
    @Test
    void stoppedRunResumesBitIdentically(@TempDir Path dir) throws Exception {
        List<float[]> uninterrupted;
        try (RnnpropOptimizer opt = float16("rnnprop");
                Model model = Model.newInstance("run");
                Trainer trainer = TestModels.classifierTrainer(model, opt, 21)) {
            for (int s = 0; s < K + M; s++) {
                float[][] b = TestModels.data(16, 100 + s);
                TestModels.trainStep(trainer, b[0], b[1]);
            }
            uninterrupted = TestModels.parameters(model);
        }
        Path state = dir.resolve("optimizer.state");
        Path float32State = dir.resolve("optimizer-float32.state");
        long coordinates;
        try (RnnpropOptimizer opt = float16("rnnprop");
                Model model = Model.newInstance("run");
                Trainer trainer = TestModels.classifierTrainer(model, opt, 21)) {
            for (int s = 0; s < K; s++) {
                float[][] b = TestModels.data(16, 100 + s);
                TestModels.trainStep(trainer, b[0], b[1]);
            }
            model.save(dir, "run");
            opt.saveState(state, model.getBlock());
            coordinates = model.getBlock().getParameters().values().stream().mapToLong(p -> p.getArray().size())
                    .sum();
            // The same rows written as float32, for the size comparison below.
            StateFile.Snapshot s = StateFile.read(state);
            StateFile.write(new StateFile.Snapshot(s.kind(), s.weightsChecksum(), s.width(), s.entries()),
                    float32State);
        }
        StateFile.Snapshot saved = StateFile.read(state);
        assertEquals(StatePrecision.FLOAT16, saved.precision());
        assertEquals((328 - 168) * coordinates, Files.size(float32State) - Files.size(state));
        try (RnnpropOptimizer opt = float16("rnnprop");
                Model model = Model.newInstance("run");
                Trainer trainer = TestModels.loadedClassifierTrainer(model, opt, dir, "run")) {
            opt.loadState(state, model.getBlock());
            for (int s = K; s < K + M; s++) {
                float[][] b = TestModels.data(16, 100 + s);
                TestModels.trainStep(trainer, b[0], b[1]);
            }
            List<float[]> resumed = TestModels.parameters(model);
            for (int i = 0; i < resumed.size(); i++) {
                assertArrayEquals(uninterrupted.get(i), resumed.get(i), "parameter " + i);
            }
        }
    }

    /** A version 1 file (no precision field; written before it existed) reads as float32 state. */
    @Test
    void version1FilesReadAsFloat32() throws Exception {
        float[] rows = new float[3 * 82];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = (float) Math.cos(i);
        }
        StateFile.Snapshot s = new StateFile.Snapshot(OptimizerKind.RNNPROP, "ab".repeat(32), 82,
                List.of(new StateFile.Entry("bias", 4, 1, 3, rows)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StateFile.write(s, out);
        byte[] v2 = out.toByteArray();
        int precisionAt = 8 + 4 + 2 + "rnnprop".length() + 2 + 64 + 4;
        int precisionLength = 2 + "float32".length();
        byte[] v1 = new byte[v2.length - precisionLength];
        System.arraycopy(v2, 0, v1, 0, precisionAt);
        System.arraycopy(v2, precisionAt + precisionLength, v1, precisionAt, v1.length - precisionAt);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(v1);
        b.putInt(8, 1);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(v1, 0, v1.length - 8);
        b.putLong(v1.length - 8, crc.getValue());
        StateFile.Snapshot back = StateFile.read(new ByteArrayInputStream(v1), "v1");
        assertEquals(StatePrecision.FLOAT32, back.precision());
        assertArrayEquals(rows, back.entries().get(0).rows());
        assertEquals(4, back.entries().get(0).steps());
    }

    /**
     * State saved at one precision loads into an optimizer of the other: float16 values into float32 exactly,
     * float32 values into float16 rounded to nearest even; saving again records the loading optimizer's.
     */
    @Test
    void stateOfTheOtherPrecisionIsConverted() throws Exception {
        try (RnnpropOptimizer opt = RnnpropOptimizer.builder().optPretrained("rnnprop").build();
                Model model = Model.newInstance("convert");
                Trainer trainer = TestModels.classifierTrainer(model, opt, 4);
                RnnpropOptimizer half = float16("rnnprop");
                // the same arithmetic as the float16 optimizer (NdStep), so only the rounding of state differs
                RnnpropOptimizer full = RnnpropOptimizer.builder().optPretrained("rnnprop")
                        .optKernel(RnnpropOptimizer.Kernel.ND).build()) {
            for (int s = 0; s < 3; s++) {
                float[][] b = TestModels.data(16, 300 + s);
                TestModels.trainStep(trainer, b[0], b[1]);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            opt.saveState(out, model.getBlock());
            half.loadState(new ByteArrayInputStream(out.toByteArray()), "float32 state", model.getBlock());
            ByteArrayOutputStream halfOut = new ByteArrayOutputStream();
            half.saveState(halfOut, model.getBlock());
            assertEquals(StatePrecision.FLOAT16,
                    StateFile.read(new ByteArrayInputStream(halfOut.toByteArray()), "half").precision());
            full.loadState(new ByteArrayInputStream(halfOut.toByteArray()), "float16 state", model.getBlock());
            for (Parameter p : model.getBlock().getParameters().values()) {
                float[] original = opt.stateRows(p.getId());
                float[] rounded = new float[original.length];
                for (int i = 0; i < original.length; i++) {
                    rounded[i] = i % 82 < 2 ? original[i] : StatePrecision.FLOAT16.round(original[i]);
                }
                // Restored state waiting for its parameter's next update is already rounded; then step once.
                assertArrayEquals(rounded, half.stateRows(p.getId()), p.getName());
                try (NDManager m = NDManager.newBaseManager()) {
                    NDArray a = p.getArray().duplicate();
                    NDArray b = p.getArray().duplicate();
                    NDArray g = p.getArray().mul(0f);
                    m.attachAll(a, b, g);
                    half.update(p.getId(), a, g);
                    full.update(p.getId(), b, g);
                }
                float[] fromHalf = half.stateRows(p.getId());
                float[] fromFull = full.stateRows(p.getId());
                for (int i = 0; i < fromHalf.length; i++) {
                    float expected = i % 82 < 2 ? fromFull[i] : StatePrecision.FLOAT16.round(fromFull[i]);
                    assertEquals(expected, fromHalf[i], 1e-7f, p.getName() + " value " + i);
                }
            }
        }
    }
}
