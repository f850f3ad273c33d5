package org.rnnprop.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.rnnprop.core.GoldenFixture;
import org.rnnprop.core.OptimizerKind;
import org.rnnprop.core.WeightFile;

/**
 * The golden fixture through a real MultiLayerNetwork: its gradients go through DL4J's updater and step
 * function, and the parameters must move by the fixture's updates while the updater state matches the
 * fixture's states.
 *
 * <p>The updater sees the network's flat gradient view, so fixture coordinate {@code i} is flat index
 * {@code i} whatever parameter DL4J keeps there.
 */
class GoldenParityTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(OptimizerKind.class)
    void parameterChangesAndStateMatchFixture(OptimizerKind kind) throws Exception {
        check(kind, DataType.FLOAT);
    }

    /** A float64 network takes the copying path; the kernel still runs in float32, so the same tolerance holds. */
    @ParameterizedTest
    @EnumSource(OptimizerKind.class)
    void doubleNetworkMatchesFixture(OptimizerKind kind) throws Exception {
        check(kind, DataType.DOUBLE);
    }

    private void check(OptimizerKind kind, DataType dataType) throws Exception {
        GoldenFixture f = GoldenFixture.load(kind);
        Path file = dir.resolve(kind.id() + "-golden-weights.json");
        WeightFile.write(f.weights(), file); // the fixture's weights are test resources, not a shipped name
        Rnnprop config = Rnnprop.fromFile(file);
        assertEquals(kind, config.kind());

        MultiLayerNetwork net = TestNets.sixtyFourParameters(config, dataType);
        assertEquals(f.coordinates(), net.numParams());
        for (int s = 0; s < f.steps(); s++) {
            // Parameters start each step at 0, so the change is exactly -params: no rounding in the difference.
            net.params().assign(0);
            TestNets.stepWithGradient(net, f.gradient(s), s);
            float[] after = net.params().toFloatVector();
            float[] change = new float[after.length];
            for (int i = 0; i < after.length; i++) {
                change[i] = -after[i];
            }
            GoldenFixture.check(kind.id() + " step " + (s + 1) + " parameter change", f.update(s), change);
            float[] state = net.getUpdater().getStateViewArray().toFloatVector();
            GoldenFixture.check(kind.id() + " step " + (s + 1) + " updater state", f.state(s), state);
        }
        RnnpropUpdater u = RnnpropUpdater.of(net.getUpdater()).get(0);
        assertEquals(0, u.getSkippedTotal());
        assertTrue(u.toString().contains("64 parameters"), u.toString());
    }
}
