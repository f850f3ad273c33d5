package org.rnnprop.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.rnnprop.core.Hyperparameters;
import org.rnnprop.core.OptimizerKind;
import org.rnnprop.core.PackedStep;
import org.rnnprop.core.SpecInitialization;
import org.rnnprop.core.StatePrecision;
import org.rnnprop.core.StepKernels;
import org.rnnprop.core.WeightFile;

/** Rnnprop with its LSTM state in 16 bits: config, sizes and limit, the packed state in DL4J's arrays, training. */
class StatePrecisionTest {
    private static final Rnnprop UNTRAINED = Rnnprop.pretrained("rnnprop-untrained");

    @TempDir
    Path dir;

    @Test
    void theConfigCarriesThePrecisionThroughJsonAndJavaSerialization() throws Exception {
        for (StatePrecision p : StatePrecision.values()) {
            Rnnprop config = Rnnprop.builder().pretrained("rnnprop-untrained").alphaScale(0.5).statePrecision(p)
                    .build();
            assertEquals(p, config.getStatePrecision());
            assertEquals(config, UNTRAINED.withAlphaScale(0.5).withStatePrecision(p));
            MultiLayerConfiguration conf = TestNets.classifier(config);
            MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
            assertEquals(conf, back);
            assertEquals(config, ((BaseLayer) back.getConf(1).getLayer()).getIUpdater());
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(config);
            }
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                assertEquals(config, in.readObject());
            }
        }
        assertEquals(StatePrecision.FLOAT32, new Rnnprop().getStatePrecision());
        assertNotEquals(UNTRAINED, UNTRAINED.withStatePrecision(StatePrecision.FLOAT16));
        assertNotEquals(UNTRAINED.withStatePrecision(StatePrecision.BFLOAT16),
                UNTRAINED.withStatePrecision(StatePrecision.FLOAT16));
        assertEquals("Rnnprop(pretrained=rnnprop-untrained, alphaScale=1.0, statePrecision=bfloat16)",
                UNTRAINED.withStatePrecision(StatePrecision.BFLOAT16).toString());
        assertThrows(NullPointerException.class, () -> UNTRAINED.withStatePrecision(null));
        assertThrows(NullPointerException.class, () -> Rnnprop.builder().statePrecision(null));
    }

    /** JSON written before the option existed has no statePrecision: it reads as float32. */
    @Test
    void jsonWithoutThePropertyMeansFloat32() {
        String json = TestNets.classifier(UNTRAINED.withStatePrecision(StatePrecision.FLOAT16)).toJson();
        assertTrue(json.contains("\"statePrecision\" : \"FLOAT16\""), json);
        String old = json.replaceAll(",\\s*\"statePrecision\" : \"FLOAT16\"", "");
        assertFalse(old.contains("statePrecision"), old);
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(old);
        assertEquals(UNTRAINED, ((BaseLayer) back.getConf(0).getLayer()).getIUpdater());
    }

    @Test
    void stateSizeAndTheLimitFollowThePrecision() {
        Rnnprop bf16 = UNTRAINED.withStatePrecision(StatePrecision.BFLOAT16);
        Rnnprop dm16 = Rnnprop.pretrained("dm-optimizer-untrained").withStatePrecision(StatePrecision.FLOAT16);
        assertEquals(42, bf16.stateWidth());
        assertEquals(40, dm16.stateWidth());
        for (long n : new long[] {0, 1, 15_910, 26_200_000, 51_000_000}) {
            assertEquals(42 * n, bf16.stateSize(n));
            assertEquals(40 * n, dm16.stateSize(n));
        }
        assertThrows(IllegalArgumentException.class, () -> UNTRAINED.stateSize(26_200_000), "float32: too many");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bf16.stateSize(51_200_000));
        assertTrue(e.getMessage().contains("51200000 parameters need 2150400000 floats")
                && e.getMessage().contains("at most 51130563 parameters")
                && e.getMessage().contains("bfloat16"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> UNTRAINED.stateSize(26_200_000));
        assertTrue(e.getMessage().contains("withStatePrecision(StatePrecision.BFLOAT16)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> bf16.instantiate((INDArray) null, true));
        assertTrue(e.getMessage().contains("at most 51130563 parameters"), e.getMessage());
    }

    /**
     * DL4J itself refuses a network past the 16-bit limit when it makes the updater: weights with 100 hidden
     * units keep 202 slots per parameter in 16 bits, so two layers of 5.4 million parameters pass each alone
     * and overflow DL4J's 32-bit sum together (the same network in float32 would already fail per layer).
     */
    @Test
    void dl4jRefusesANetworkPastThe16BitLimitWithThatLimit() throws Exception {
        Hyperparameters wide = Hyperparameters.defaults(OptimizerKind.RNNPROP);
        wide = new Hyperparameters(wide.beta1(), wide.beta2(), wide.epsilon(), wide.alpha(), wide.preprocessSize(),
                100, wide.forgetBias(), wide.logScale());
        Path file = dir.resolve("wide.json");
        WeightFile.write(SpecInitialization.create(OptimizerKind.RNNPROP, wide, 1), file);
        Rnnprop config = Rnnprop.fromFile(file).withStatePrecision(StatePrecision.BFLOAT16);
        assertEquals(202, config.stateWidth());
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().updater(config)
                .dataType(DataType.FLOAT).list()
                .layer(new DenseLayer.Builder().nIn(2320).nOut(2320).build())
                .layer(new OutputLayer.Builder(LossFunction.MSE).nIn(2320).nOut(2320).build())
                .build());
        net.init();
        assertTrue(config.stateSize(net.getLayer(0).numParams()) < Integer.MAX_VALUE, "each layer passes");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, net::getUpdater);
        assertTrue(e.getMessage().contains("at most " + Integer.MAX_VALUE / 202 + " parameters"), e.getMessage());
    }

    /**
     * The in-place path (float32 offset view), the copying paths (float64, a strided float view) and the core's
     * PackedStep (over the same kernel) on plain int arrays give bit-identical packed state and updates; a NaN gradient leaves its
     * packed row bit for bit.
     */
    @ParameterizedTest
    @EnumSource(value = StatePrecision.class, names = {"FLOAT16", "BFLOAT16"})
    void everyMemoryLayoutGivesPackedStepsExactResult(StatePrecision p) {
        Rnnprop config = UNTRAINED.withStatePrecision(p);
        int n = 5000; // past PackedStep's threshold: blocks on several threads
        int slots = config.stateWidth();
        INDArray[] states = {
            Nd4j.zeros(DataType.FLOAT, 1, n * slots + 7).get(NDArrayIndex.point(0), NDArrayIndex.interval(7,
                    7 + n * slots)),
            Nd4j.zeros(DataType.DOUBLE, 1, n * slots),
            Nd4j.zeros(DataType.FLOAT, n * slots, 2).getColumn(1),
        };
        RnnpropUpdater[] updaters = new RnnpropUpdater[states.length];
        for (int k = 0; k < states.length; k++) {
            updaters[k] = config.instantiate(states[k], true);
        }
        assertTrue(FlatFloats.of(states[0]).isDirect());
        assertFalse(FlatFloats.of(states[1]).isDirect());
        assertFalse(FlatFloats.of(states[2]).isDirect());
        int[] expected = new int[n * slots];
        try (PackedStep reference = new PackedStep(p, () -> StepKernels.best(config.weights(), 1), 1)) {
            for (int step = 0; step < 3; step++) {
                float[] g = TestNets.gradient(n, 20 + step);
                g[123] = Float.NaN;
                int[] row123 = Arrays.copyOfRange(expected, 123 * slots, 124 * slots);
                float[] update = g.clone();
                reference.step(step + 1, g, expected, update);
                assertArrayEquals(row123, Arrays.copyOfRange(expected, 123 * slots, 124 * slots));
                for (int k = 0; k < states.length; k++) {
                    INDArray grad = Nd4j.createFromArray(g);
                    updaters[k].applyUpdater(grad, step, 0);
                    assertArrayEquals(update, grad.toFloatVector(), "layout " + k + " update, step " + (step + 1));
                    assertArrayEquals(expected, bits(states[k]), "layout " + k + " state, step " + (step + 1));
                    assertEquals(1, updaters[k].getSkippedLastStep());
                }
            }
        }
    }

    @Test
    void halfPrecisionNetworksCannotHoldPackedState() {
        Rnnprop config = UNTRAINED.withStatePrecision(StatePrecision.BFLOAT16);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> config.instantiate(Nd4j.zeros(DataType.HALF, 1, 42 * 4), true));
        assertTrue(e.getMessage().contains("HALF") && e.getMessage().contains("FLOAT32"), e.getMessage());
    }

    /**
     * A small network trains under each precision with steps bounded by alpha, on the in-place path, with
     * 42 slots of state per parameter in 16 bits; and 16-bit state follows float32 state closely on it.
     */
    @Test
    void aSmallNetworkTrainsUnderEachPrecision() {
        DataSet data = TestNets.classifierData();
        Rnnprop shipped = Rnnprop.pretrained("rnnprop");
        float[] float32Params = null;
        for (StatePrecision p : StatePrecision.values()) {
            Rnnprop config = shipped.withStatePrecision(p);
            MultiLayerNetwork net = TestNets.classifierNet(config);
            double initial = net.score(data);
            for (int i = 0; i < 30; i++) {
                float[] before = net.params().toFloatVector();
                net.fit(data);
                float[] after = net.params().toFloatVector();
                for (int j = 0; j < before.length; j++) {
                    assertTrue(Math.abs(after[j] - before[j]) <= 0.1 * (1 + 1e-5), p + " step " + i);
                }
            }
            double last = net.score(data);
            assertTrue(last < initial * 0.5, p + ": loss " + initial + " -> " + last);
            assertEquals(net.numParams() * (p.isCompact() ? 42 : 82), net.getUpdater().getStateViewArray().length());
            RnnpropUpdater u = RnnpropUpdater.of(net.getUpdater()).get(0);
            assertTrue(u.lastStepInPlace(), p + " runs in place");
            float[] params = net.params().toFloatVector();
            if (p == StatePrecision.FLOAT32) {
                float32Params = params;
            } else {
                for (int j = 0; j < params.length; j++) {
                    assertEquals(float32Params[j], params[j], 0.05, p + " parameter " + j + " after 30 steps");
                }
            }
        }
    }

    /** k steps, save, restore, m more steps: bit-identical to k + m steps in one go, state bits included. */
    @ParameterizedTest
    @EnumSource(value = StatePrecision.class, names = {"FLOAT16", "BFLOAT16"})
    void saveRestoreContinueIsExact(StatePrecision p) throws Exception {
        Rnnprop config = Rnnprop.pretrained("rnnprop").withStatePrecision(p);
        DataSet data = TestNets.classifierData();
        MultiLayerNetwork straight = TestNets.classifierNet(config);
        MultiLayerNetwork first = TestNets.classifierNet(config);
        TestNets.fit(straight, data, 7);
        TestNets.fit(first, data, 4);
        MultiLayerNetwork restored = TestNets.savedAndRestored(first, dir.resolve("net-" + p + ".zip").toFile(), true);
        assertEquals(config, RnnpropUpdater.of(restored.getUpdater()).get(0).getConfig());
        assertArrayEquals(bits(first.getUpdater().getStateViewArray()),
                bits(restored.getUpdater().getStateViewArray()), "packed state saved and restored bit for bit");
        for (int i = 0; i < 3; i++) {
            restored.fit(data);
        }
        assertArrayEquals(straight.params().toFloatVector(), restored.params().toFloatVector());
        assertArrayEquals(bits(straight.getUpdater().getStateViewArray()),
                bits(restored.getUpdater().getStateViewArray()));
    }

    /** The raw 32-bit patterns of a state array, read without going through float values where possible. */
    private static int[] bits(INDArray a) {
        int n = (int) a.length();
        int[] out = new int[n];
        FlatFloats f = FlatFloats.of(a);
        java.nio.IntBuffer b = f.openBits(0, n, out);
        if (!b.hasArray()) {
            b.get(0, out);
        }
        return out;
    }
}
