package org.rnnprop.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.rnnprop.dl4j.Rnnprop;

/**
 * RNNprop under DL4J's gradient sharing in Spark local mode: the driver's parameter server starts its Aeron UDP
 * transport on 127.0.0.1, and every update RNNprop makes goes through DL4J's threshold encoding (only steps of
 * the threshold's size are applied; the rest waits in a residual) before it reaches the parameters.
 *
 * <p>One worker: with two, DL4J's {@code ParallelWrapper} in one JVM deadlocks now and then (docs/SPARK.md),
 * which would make this test hang at random.
 */
class GradientSharingTest {
    private static final int BATCH = 32;
    private static final int PORT = 40123;

    @Test
    void rnnpropLowersTheLossThroughThresholdEncodedUpdates() {
        TeacherData data = new TeacherData(4);
        DataSet held = DataSet.merge(data.minibatches(8, BATCH));
        MultiLayerNetwork net = Mlp.create(TeacherData.INPUTS, 16, TeacherData.CLASSES, Rnnprop.pretrained("rnnprop"), 7);
        SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(SharedSpark.context(), net,
                TrainingMasters.gradientSharing(1, BATCH, 1e-3, PORT, 7).build());
        double before = spark.getNetwork().score(held);
        List<Double> losses = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            spark.fit(SharedSpark.context().parallelize(data.minibatches(12, BATCH), 1));
            losses.add(spark.getNetwork().score(held));
        }
        System.out.println("gradient sharing, loss " + before + " -> " + losses);
        for (int i = 1; i < losses.size(); i++) {
            assertTrue(losses.get(i) < losses.get(i - 1), "loss should fall every round: " + before + " -> " + losses);
        }
        assertTrue(losses.get(losses.size() - 1) < before - 0.02, "loss " + before + " -> " + losses);
    }
}
