package org.rnnprop.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.rnnprop.core.GoldenFixture;
import org.rnnprop.core.Hyperparameters;
import org.rnnprop.core.OptimizerKind;
import org.rnnprop.core.SpecInitialization;
import org.rnnprop.core.WeightFile;

/** Rnnprop as a DL4J config value: JSON, equality, sizes, weight loading and its errors. */
class RnnpropConfigTest {

    @TempDir
    Path dir;

    @Test
    void jsonRoundTripKeepsAnEqualConfig() throws Exception {
        Path file = dir.resolve("dm.json");
        WeightFile.write(GoldenFixture.load(OptimizerKind.DM_OPTIMIZER).weights(), file);
        for (Rnnprop config : new Rnnprop[] {Rnnprop.pretrained("rnnprop-untrained"),
                Rnnprop.fromFile(file).withAlphaScale(0.25)}) {
            MultiLayerConfiguration conf = TestNets.classifier(config);
            String json = conf.toJson();
            assertTrue(json.contains("\"@class\" : \"org.rnnprop.dl4j.Rnnprop\""), json);
            MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(json);
            assertEquals(conf, back);
            for (int i = 0; i < 2; i++) {
                IUpdater u = ((BaseLayer) back.getConf(i).getLayer()).getIUpdater();
                assertEquals(config, u);
                assertNotSame(config, u);
            }
        }
    }

    @Test
    void javaSerializationKeepsAnEqualConfig() throws Exception {
        Rnnprop config = Rnnprop.pretrained("dm-optimizer-untrained").withAlphaScale(2);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(config);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(config, in.readObject());
        }
    }

    @Test
    void valueSemantics() {
        Rnnprop a = Rnnprop.pretrained("rnnprop-untrained");
        assertEquals(a, a.clone());
        assertNotSame(a, a.clone());
        assertEquals(a.hashCode(), a.clone().hashCode());
        assertEquals(a, Rnnprop.pretrained("rnnprop-untrained").withAlphaScale(1.0));
        assertNotEquals(a, a.withAlphaScale(0.5));
        assertNotEquals(a, Rnnprop.pretrained("dm-optimizer-untrained"));
        assertNotEquals(a, Rnnprop.fromFile(Path.of("rnnprop-untrained")));
        assertEquals(Rnnprop.DEFAULT_ALPHA_SCALE, a.getAlphaScale());
        assertEquals("rnnprop-untrained", a.getPretrained());
        assertNull(a.getFile());
        assertEquals(Path.of("x", "w.json"), Rnnprop.fromFile(Path.of("x", "w.json")).getFile());
        assertEquals("Rnnprop(pretrained=rnnprop-untrained, alphaScale=0.5)", a.withAlphaScale(0.5).toString());
        assertThrows(IllegalArgumentException.class, () -> a.withAlphaScale(0));
        assertThrows(IllegalArgumentException.class, () -> a.withAlphaScale(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> a.withAlphaScale(Double.POSITIVE_INFINITY));
    }

    @Test
    void stateSizeIsLinearWithTheFilesWidth() {
        Rnnprop rnnprop = Rnnprop.pretrained("rnnprop-untrained");
        Rnnprop dm = Rnnprop.pretrained("dm-optimizer-untrained");
        assertEquals(OptimizerKind.RNNPROP, rnnprop.kind());
        assertEquals(OptimizerKind.DM_OPTIMIZER, dm.kind());
        for (long n : new long[] {0, 1, 64, 15_910, 26_000_000}) {
            assertEquals(82 * n, rnnprop.stateSize(n));
            assertEquals(80 * n, dm.stateSize(n));
        }
        assertEquals(rnnprop.stateSize(10) + rnnprop.stateSize(7), rnnprop.stateSize(17));
    }

    @Test
    void stateSizeRefusesWhatDl4jCannotIndex() {
        // DL4J casts each block's state size to int: past 2^31 - 1 floats it would wrap around silently.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Rnnprop.pretrained("rnnprop-untrained").stateSize(26_200_000));
        assertTrue(e.getMessage().contains("26200000 parameters need 2148400000"), e.getMessage());
    }

    @Test
    void noLearningRate() {
        Rnnprop config = Rnnprop.pretrained("rnnprop-untrained");
        assertFalse(config.hasLearningRate());
        assertTrue(Double.isNaN(config.getLearningRate(0, 0)));
        assertThrows(UnsupportedOperationException.class, () -> config.setLrAndSchedule(0.1, null));
        // DL4J's own learning-rate setters skip updaters without one.
        MultiLayerNetwork net = TestNets.classifierNet(config);
        net.setLearningRate(0.1);
        assertNull(net.getLearningRate(0));
    }

    @Test
    void alphaScaleScalesTheStepBound() {
        Rnnprop config = Rnnprop.pretrained("rnnprop-untrained");
        double alpha = config.weights().hyperparameters().alpha();
        assertEquals(alpha * 0.5, config.withAlphaScale(0.5).weights().hyperparameters().alpha(), 1e-15);
        assertSame(config.weights(), config.clone().weights(), "weights are cached per source and scale");
    }

    @Test
    void badWeightFileNamesFileAndField() throws Exception {
        Path good = dir.resolve("good.json");
        WeightFile.write(GoldenFixture.load(OptimizerKind.RNNPROP).weights(), good);
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, Files.readString(good).replace("\"hiddenSize\"", "\"hiddenSise\""));
        Rnnprop config = Rnnprop.fromFile(bad); // cheap: nothing is read yet
        MultiLayerNetwork net = TestNets.classifierNet(config); // DL4J makes the updater on first use
        UncheckedIOException e = assertThrows(UncheckedIOException.class, net::getUpdater);
        assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("hiddenSise"), e.getMessage());

        Path missing = dir.resolve("missing.json");
        e = assertThrows(UncheckedIOException.class, () -> Rnnprop.fromFile(missing).weights());
        assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("not found"),
                e.getMessage());

        // A failed load is not cached: once the file is fixed, the same config works.
        Files.copy(good, missing);
        assertEquals(OptimizerKind.RNNPROP, Rnnprop.fromFile(missing).kind());
    }

    @Test
    void aSavedAliasKeepsTheFileItNamedWhenTheConfigWasMade() throws Exception {
        Rnnprop alias = Rnnprop.pretrained("rnnprop");
        assertEquals("rnnprop", alias.getPretrained());
        assertEquals(org.rnnprop.pretrained.Pretrained.resolve("rnnprop"), alias.getPretrainedFile());
        String json = TestNets.classifier(alias).toJson();
        assertTrue(json.contains("\"pretrainedFile\" : \"" + alias.getPretrainedFile() + "\""), json);

        // As if "rnnprop" had since moved to newer weights: the saved file name wins over the alias.
        String moved = json.replace("\"pretrainedFile\" : \"" + alias.getPretrainedFile() + "\"",
                "\"pretrainedFile\" : \"rnnprop-paper\"");
        Rnnprop back = (Rnnprop) ((BaseLayer) MultiLayerConfiguration.fromJson(moved).getConf(0).getLayer())
                .getIUpdater();
        assertEquals("rnnprop", back.getPretrained());
        assertEquals(org.rnnprop.pretrained.Pretrained.load("rnnprop-paper").checksum(), back.weights().checksum());
        assertNotEquals(alias.weights().checksum(), back.weights().checksum());
        assertTrue(back.toString().contains("rnnprop (rnnprop-paper)"), back.toString());

        // JSON from before the field existed reads the alias as it stood then: "rnnprop" was rnnprop-metalr1e-3.
        String old = json.replaceAll(",?\\s*\"pretrainedFile\" : \"[^\"]*\"", "");
        assertFalse(old.contains("pretrainedFile"), old);
        Rnnprop legacy = (Rnnprop) ((BaseLayer) MultiLayerConfiguration.fromJson(old).getConf(0).getLayer())
                .getIUpdater();
        assertEquals("rnnprop", legacy.getPretrained());
        assertEquals("rnnprop-metalr1e-3", legacy.getPretrainedFile());
        String oldDm = TestNets.classifier(Rnnprop.pretrained("dm-optimizer")).toJson()
                .replaceAll(",?\\s*\"pretrainedFile\" : \"[^\"]*\"", "");
        assertEquals(org.rnnprop.pretrained.Pretrained.resolve("dm-optimizer"),
                ((Rnnprop) ((BaseLayer) MultiLayerConfiguration.fromJson(oldDm).getConf(0).getLayer()).getIUpdater())
                        .getPretrainedFile(), "other aliases resolve as they do now");

        // The saved name must be a shipped file, not an alias or anything else.
        for (String bad : new String[] {"rnnprop", "no-such-file"}) {
            String wrong = json.replace("\"pretrainedFile\" : \"" + alias.getPretrainedFile() + "\"",
                    "\"pretrainedFile\" : \"" + bad + "\"");
            RuntimeException e = assertThrows(RuntimeException.class, () -> MultiLayerConfiguration.fromJson(wrong));
            assertTrue(TestNets.causes(e).contains(bad), TestNets.causes(e));
        }
    }

    @Test
    void unknownPretrainedNameIsRefusedWhenTheConfigIsBuilt() {
        // Names are case-sensitive: "RNNprop" is not shipped, and used to fail only at the first fit.
        for (String name : new String[] {"no-such-optimizer", "RNNprop"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Rnnprop.pretrained(name));
            assertTrue(e.getMessage().contains(name) && e.getMessage().contains("rnnprop-untrained"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Rnnprop.builder().pretrained(name));
        }
        String json = TestNets.classifier(Rnnprop.pretrained("rnnprop-untrained")).toJson()
                .replace("\"rnnprop-untrained\"", "\"RNNprop\"");
        RuntimeException e = assertThrows(RuntimeException.class, () -> MultiLayerConfiguration.fromJson(json));
        assertTrue(TestNets.causes(e).contains("no pretrained optimizer named 'RNNprop'"), TestNets.causes(e));
    }

    @Test
    void noArgumentConstructorAndBuilderGiveTheShippedDefaultLikeAdam() throws Exception {
        Rnnprop plain = new Rnnprop();
        assertEquals(Rnnprop.DEFAULT_PRETRAINED, plain.getPretrained());
        assertEquals(Rnnprop.DEFAULT_ALPHA_SCALE, plain.getAlphaScale());
        assertEquals(plain, Rnnprop.builder().build());
        assertEquals(plain, Rnnprop.pretrained("rnnprop"));
        assertEquals(Rnnprop.pretrained("rnnprop-untrained").withAlphaScale(0.5),
                Rnnprop.builder().alphaScale(0.5).pretrained("rnnprop-untrained").build());
        Path file = dir.resolve("w.json");
        assertEquals(Rnnprop.fromFile(file), Rnnprop.builder().pretrained("rnnprop-untrained").file(file).build(),
                "the last weight source given wins");
        assertEquals(plain, Rnnprop.builder().file(file).pretrained("rnnprop").build());
        for (Rnnprop config : new Rnnprop[] {plain, Rnnprop.builder().alphaScale(0.25).build()}) {
            MultiLayerConfiguration conf = TestNets.classifier(config);
            assertEquals(conf, MultiLayerConfiguration.fromJson(conf.toJson()));
        }
    }

    @Test
    void everyBuilderArgumentIsCheckedWhenGiven() {
        for (double bad : new double[] {-1, 0, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Rnnprop.builder().alphaScale(bad));
            assertTrue(e.getMessage().contains("alphaScale"), e.getMessage());
        }
        assertThrows(NullPointerException.class, () -> Rnnprop.builder().pretrained(null));
        assertThrows(NullPointerException.class, () -> Rnnprop.builder().file(null));
        String json = TestNets.classifier(Rnnprop.pretrained("rnnprop-untrained").withAlphaScale(0.5)).toJson()
                .replace("\"alphaScale\" : 0.5", "\"alphaScale\" : -1.0");
        RuntimeException e = assertThrows(RuntimeException.class, () -> MultiLayerConfiguration.fromJson(json));
        assertTrue(TestNets.causes(e).contains("alphaScale must be positive"), TestNets.causes(e));
    }

    /**
     * Two layers of 15 million parameters each: every variable passes {@link Rnnprop#stateSize}, but DL4J adds
     * their state up in a 32-bit int, which wraps, and then hands the updater no state array. Reproduced from the
     * configuration's parameter counts, as DL4J's BaseMultiLayerUpdater computes them; nothing large is allocated.
     */
    @Test
    void aNetworkWhoseTotalStateOverflowsDl4jsIntIsRefusedWithTheLimit() {
        Rnnprop config = Rnnprop.pretrained("rnnprop-untrained");
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().updater(config).list()
                .layer(new DenseLayer.Builder().nIn(3873).nOut(3873).build())
                .layer(new OutputLayer.Builder(LossFunction.MSE).nIn(3873).nOut(3873).build())
                .build();
        int dl4jSum = 0;
        for (int i = 0; i < 2; i++) {
            Layer layer = conf.getConf(i).getLayer();
            long params = layer.initializer().numParams(layer);
            assertTrue(params > 15_000_000, "a 15M-parameter layer: " + params);
            dl4jSum += (int) layer.getUpdaterByParam("W").stateSize(params); // passes the per-variable check
        }
        assertTrue(dl4jSum < 0, "DL4J's int sum wraps: " + dl4jSum);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> config.instantiate((INDArray) null, true));
        assertTrue(e.getMessage().contains("at most 2147483647 floats")
                && e.getMessage().contains("at most 26188824 parameters"), e.getMessage());
    }

    /**
     * The same through DL4J itself, made small with a wide state: weights with 100 hidden units keep 402 floats
     * per parameter, so two layers of 2.9 million parameters (23 MB) overflow DL4J's sum. The network is refused
     * when DL4J makes its updater, before any state is allocated or any step taken.
     */
    @Test
    void dl4jRefusesSuchANetworkWhenItMakesTheUpdater() throws Exception {
        Hyperparameters wide = Hyperparameters.defaults(OptimizerKind.RNNPROP);
        wide = new Hyperparameters(wide.beta1(), wide.beta2(), wide.epsilon(), wide.alpha(), wide.preprocessSize(),
                100, wide.forgetBias(), wide.logScale());
        Path file = dir.resolve("wide.json");
        WeightFile.write(SpecInitialization.create(OptimizerKind.RNNPROP, wide, 1), file);
        Rnnprop config = Rnnprop.fromFile(file);
        assertEquals(402, config.stateWidth());
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().updater(config)
                .dataType(DataType.FLOAT).list()
                .layer(new DenseLayer.Builder().nIn(1700).nOut(1700).build())
                .layer(new OutputLayer.Builder(LossFunction.MSE).nIn(1700).nOut(1700).build())
                .build());
        net.init();
        assertTrue(config.stateSize(net.getLayer(0).numParams()) < Integer.MAX_VALUE, "each layer passes");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, net::getUpdater);
        assertTrue(e.getMessage().contains("at most " + Integer.MAX_VALUE / 402 + " parameters"), e.getMessage());
    }
}
