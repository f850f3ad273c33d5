package org.rnnprop.examples.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.tracker.Tracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.rnnprop.datasets.LabeledImages;

/**
 * The comparison on a tiny classification problem (96 points in 4 dimensions around 3 centres) with a 4-8-3 MLP in
 * each framework: every candidate of a seed starts from the same parameters on the same minibatches, seeds differ,
 * runs repeat exactly, and the report and plot come out.
 */
class OptimizerComparisonTest {
    private static final int STEPS = 8;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    static LabeledImages clusters() {
        Random r = new Random(3);
        int n = 96;
        float[] x = new float[n * 4];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int j = 0; j < 4; j++) {
                x[i * 4 + j] = (float) (r.nextGaussian() + (j == y[i] ? 2 : 0));
            }
        }
        return new LabeledImages(x, y, 1, 1, 4, 3);
    }

    static ModelUnderTest dl4j() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT)
                .updater(new Sgd(0.1)).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(8)
                        .activation(org.nd4j.linalg.activations.Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(8).nOut(3)
                        .activation(org.nd4j.linalg.activations.Activation.SOFTMAX).build())
                .build();
        return ModelUnderTest.dl4j("dl4j 4-8-3", conf);
    }

    static ModelUnderTest djl() {
        return ModelUnderTest.djl("djl 4-8-3", () -> new SequentialBlock().add(Linear.builder().setUnits(8).build())
                .add(Activation::tanh).add(Linear.builder().setUnits(3).build()), new Shape(4));
    }

    static OptimizerComparison comparison() {
        return OptimizerComparison.builder().steps(STEPS).batchSize(16).seeds(2).adamRates(1e-2, 1e-1).log(null)
                .build();
    }

    @Test
    void sameStartPerSeedDifferentAcrossSeedsAndRepeatable() {
        LabeledImages data = clusters();
        for (ModelUnderTest model : List.of(dl4j(), djl())) {
            ComparisonResult r = comparison().run(model, data, data);
            assertEquals(3, r.candidates().size());
            for (int s = 0; s < 2; s++) {
                float first = r.run(Candidate.rnnprop(), s).losses()[0];
                for (Candidate c : r.candidates()) {
                    assertEquals(first, r.run(c, s).losses()[0], 1e-6,
                            model.name() + ": the step-1 loss of " + c.label() + " on seed " + s);
                }
            }
            assertNotEquals(r.run(Candidate.rnnprop(), 0).losses()[0], r.run(Candidate.rnnprop(), 1).losses()[0],
                    model.name() + ": seeds start from different parameters");
            TrainingRun adam = r.run(Candidate.adam(1e-1), 0);
            assertTrue(adam.finalLoss(2) < adam.losses()[0] - 0.1, model.name() + ": Adam 0.1 learns");
            assertNotEquals(adam.losses()[STEPS - 1], r.run(Candidate.rnnprop(), 0).losses()[STEPS - 1]);
            assertTrue(r.run(Candidate.rnnprop(), 0).testAccuracy() > 0);

            ComparisonResult again = comparison().run(model, data, data);
            for (Candidate c : r.candidates()) {
                assertEquals(List.of(box(r.finalLosses(c))), List.of(box(again.finalLosses(c))),
                        model.name() + ": " + c.label() + " repeats exactly");
            }
        }
    }

    @Test
    void reportsTheAnswerAndPlotsIt(@TempDir Path dir) throws Exception {
        LabeledImages data = clusters();
        ComparisonResult r = comparison().run(djl(), data, null);
        String table = r.table();
        assertTrue(table.contains("RNNprop") && table.contains("Adam 1e-2") && table.contains("Adam 1e-1"), table);
        String verdict = r.verdict();
        assertTrue(verdict.contains("RNNprop - Adam 1e-"), verdict);
        assertTrue(verdict.contains("2 seeds"), verdict);
        Path png = dir.resolve("c.png");
        r.writePlot(png);
        assertTrue(Files.size(png) > 1000);
    }

    @Test
    void aScheduledBoundRunsInDjlAndIsRefusedByDl4j() {
        LabeledImages data = clusters();
        Candidate.Learned scheduled = Candidate.rnnprop().withAlphaSchedule("half", Tracker.fixed(0.5f));
        OptimizerComparison c = OptimizerComparison.builder().steps(3).batchSize(16).seeds(2).learned(scheduled)
                .adamRates(1e-2).log(null).build();
        ComparisonResult r = c.run(djl(), data, null);
        assertEquals(2, r.candidates().size());
        assertThrows(UnsupportedOperationException.class, () -> c.run(dl4j(), data, null));
    }

    @Test
    void refusesSettingsThatCannotAnswer() {
        assertThrows(IllegalArgumentException.class, () -> OptimizerComparison.builder().seeds(1));
        assertThrows(IllegalArgumentException.class, () -> OptimizerComparison.builder().steps(0));
        assertThrows(IllegalArgumentException.class, () -> OptimizerComparison.builder().adamRates());
        assertThrows(IllegalArgumentException.class, () -> OptimizerComparison.builder().adamRates(-1));
        assertThrows(IllegalArgumentException.class, () -> OptimizerComparison.builder().learned());
        assertThrows(IllegalArgumentException.class,
                () -> OptimizerComparison.builder().steps(5).finalWindow(6).build());
        OptimizerComparison c = OptimizerComparison.builder().batchSize(200).log(null).build();
        assertThrows(IllegalArgumentException.class, () -> c.run(djl(), clusters(), null));
    }

    private static Double[] box(double[] x) {
        return java.util.Arrays.stream(x).boxed().toArray(Double[]::new);
    }
}
