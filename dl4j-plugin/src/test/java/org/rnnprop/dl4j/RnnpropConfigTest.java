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
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.learning.config.IUpdater;
import org.rnnprop.core.GoldenFixture;
import org.rnnprop.core.OptimizerKind;
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
    void unknownPretrainedNameListsShippedOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Rnnprop.pretrained("no-such-optimizer").weights());
        assertTrue(e.getMessage().contains("rnnprop-untrained"), e.getMessage());
    }
}
