package org.rnnprop.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** Rnnprop inside DL4J's own training loop: fit, save and restore. */
class TrainingTest {
    private static final Rnnprop UNTRAINED = Rnnprop.pretrained("rnnprop-untrained");

    @TempDir
    Path dir;

    /** Training k steps, saving, restoring and training m more is bit-identical to k + m steps in one go. */
    @Test
    void saveRestoreContinueIsExact() throws Exception {
        DataSet data = TestNets.classifierData();
        int k = 4;
        int m = 3;

        MultiLayerNetwork straight = TestNets.classifierNet(UNTRAINED);
        MultiLayerNetwork first = TestNets.classifierNet(UNTRAINED);
        assertArrayEquals(straight.params().toFloatVector(), first.params().toFloatVector(), "same seed, same start");
        TestNets.fit(straight, data, k + m);
        TestNets.fit(first, data, k);
        MultiLayerNetwork restored = TestNets.savedAndRestored(first, dir.resolve("net.zip").toFile(), true);
        assertEquals(k, restored.getIterationCount(), "the step count travels with the model");
        assertArrayEquals(first.getUpdater().getStateViewArray().toFloatVector(),
                restored.getUpdater().getStateViewArray().toFloatVector(), "updater state saved and restored");
        for (int i = 0; i < m; i++) {
            restored.fit(data);
        }

        assertArrayEquals(straight.params().toFloatVector(), restored.params().toFloatVector());
        assertArrayEquals(straight.getUpdater().getStateViewArray().toFloatVector(),
                restored.getUpdater().getStateViewArray().toFloatVector());
        assertEquals(UNTRAINED, RnnpropUpdater.of(restored.getUpdater()).get(0).getConfig());
    }

    /** A restored network without its updater state starts the optimizer afresh, which is visible. */
    @Test
    void restoringWithoutUpdaterStateDiverges() throws Exception {
        DataSet data = TestNets.classifierData();
        MultiLayerNetwork straight = TestNets.classifierNet(UNTRAINED);
        MultiLayerNetwork first = TestNets.classifierNet(UNTRAINED);
        for (int i = 0; i < 3; i++) {
            straight.fit(data);
            first.fit(data);
        }
        straight.fit(data);
        MultiLayerNetwork restored = TestNets.savedAndRestored(first, dir.resolve("no-updater.zip").toFile(), false);
        restored.fit(data);
        assertNotEquals(java.util.Arrays.toString(straight.params().toFloatVector()),
                java.util.Arrays.toString(restored.params().toFloatVector()));
    }

    /** net.fit end to end: the loss changes, every step is bounded by alpha and runs in place. */
    @Test
    void fitChangesLossWithBoundedSteps() {
        DataSet data = TestNets.classifierData();
        for (double scale : new double[] {1.0, 0.5}) {
            Rnnprop config = UNTRAINED.withAlphaScale(scale);
            double bound = config.weights().hyperparameters().alpha();
            MultiLayerNetwork net = TestNets.classifierNet(config);
            double initial = net.score(data);
            for (int i = 0; i < 10; i++) {
                float[] before = net.params().toFloatVector();
                net.fit(data);
                float[] after = net.params().toFloatVector();
                for (int j = 0; j < before.length; j++) {
                    assertTrue(Math.abs(after[j] - before[j]) <= bound * (1 + 1e-5),
                            "step " + i + " parameter " + j + " moved " + (after[j] - before[j]));
                }
            }
            double last = net.score(data);
            assertTrue(Double.isFinite(last));
            assertNotEquals(initial, last, "the loss changes");
            assertEquals(10, net.getIterationCount());
            RnnpropUpdater u = RnnpropUpdater.of(net.getUpdater()).get(0);
            assertTrue(u.lastStepInPlace(), "fit (with workspaces) uses the in-place path");
            assertEquals(0, u.getSkippedTotal());
        }
    }

    @Test
    void dmOptimizerTrainsToo() {
        DataSet data = TestNets.classifierData();
        MultiLayerNetwork net = TestNets.classifierNet(Rnnprop.pretrained("dm-optimizer-untrained"));
        float[] start = net.params().toFloatVector();
        for (int i = 0; i < 3; i++) {
            net.fit(data);
        }
        assertEquals(net.numParams() * 80, net.getUpdater().getStateViewArray().length());
        assertNotEquals(java.util.Arrays.toString(start), java.util.Arrays.toString(net.params().toFloatVector()));
    }

    /** Layers with different configs get separate updater blocks, each with its own state slice. */
    @Test
    void computationGraphWithTwoConfigs() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(3)
                .dataType(DataType.FLOAT)
                .updater(UNTRAINED)
                .graphBuilder()
                .addInputs("in")
                .addLayer("hidden", new DenseLayer.Builder().nIn(4).nOut(8).activation(Activation.TANH).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunction.MCXENT).nIn(8).nOut(3)
                        .activation(Activation.SOFTMAX).updater(UNTRAINED.withAlphaScale(0.5)).build(), "hidden")
                .setOutputs("out")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        DataSet data = TestNets.classifierData();
        double initial = graph.score(data);
        for (int i = 0; i < 3; i++) {
            float[] hidden = graph.getLayer("hidden").params().toFloatVector();
            float[] out = graph.getLayer("out").params().toFloatVector();
            graph.fit(data);
            assertTrue(maxChange(hidden, graph.getLayer("hidden").params().toFloatVector()) <= 0.1 * (1 + 1e-5));
            double outChange = maxChange(out, graph.getLayer("out").params().toFloatVector());
            assertTrue(outChange <= 0.05 * (1 + 1e-5), "out layer runs at half the bound, moved " + outChange);
        }
        assertEquals(2, RnnpropUpdater.of(graph.getUpdater()).size());
        assertEquals(graph.numParams() * 82, graph.getUpdater().getStateViewArray().length());
        assertNotEquals(initial, graph.score(data));
    }

    private static double maxChange(float[] before, float[] after) {
        double max = 0;
        for (int i = 0; i < before.length; i++) {
            max = Math.max(max, Math.abs(after[i] - before[i]));
        }
        return max;
    }
}
