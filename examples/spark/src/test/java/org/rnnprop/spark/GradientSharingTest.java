package org.rnnprop.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.rnnprop.dl4j.Rnnprop;

/** RNNprop under DL4J's gradient sharing (Aeron UDP on the loopback interface), in Spark local mode. */
class GradientSharingTest {
    private static final int BATCH = 32;
    private static final int PORT = 40123;

    @Test
    void rnnpropLowersTheLossWithTwoWorkersSharingUpdates() {
        TeacherData data = new TeacherData(4);
        DataSet held = DataSet.merge(data.minibatches(8, BATCH));
        MultiLayerNetwork net = Mlp.create(TeacherData.INPUTS, 16, TeacherData.CLASSES, Rnnprop.pretrained("rnnprop"), 7);
        SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(SharedSpark.context(), net,
                TrainingMasters.gradientSharing(2, BATCH, 1e-3, PORT, 7).build());
        double before = spark.getNetwork().score(held);
        List<Double> losses = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            spark.fit(SharedSpark.context().parallelize(data.minibatches(12, BATCH), 2));
            losses.add(spark.getNetwork().score(held));
        }
        double after = losses.get(losses.size() - 1);
        assertTrue(after < 0.5 * before, "loss " + before + " -> " + losses);
    }
}
