package org.rnnprop.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.rnnprop.dl4j.Rnnprop;

/**
 * RNNprop under DL4J's parameter averaging, in Spark local mode: what the driver's network holds after a round is
 * exactly what the workers' networks would hold, averaged, parameters and all 82 state values per parameter.
 */
class ParameterAveragingTest {
    private static final int HIDDEN = 16;
    private static final int BATCH = 32;
    private static final int FREQUENCY = 3;
    private static final long SEED = 7;
    /** Float32 sums over the same operations; allows for a different order of a few additions. */
    private static final double TOLERANCE = 1e-5;

    private static MultiLayerNetwork newNetwork() {
        return Mlp.create(TeacherData.INPUTS, HIDDEN, TeacherData.CLASSES, Rnnprop.pretrained("rnnprop"), SEED);
    }

    /** A training master whose workers get the RDD's partitions as they are, in order. */
    private static SparkDl4jMultiLayer sparkNetwork(MultiLayerNetwork net, int workers) {
        return new SparkDl4jMultiLayer(SharedSpark.context(), net,
                TrainingMasters.parameterAveraging(workers, BATCH, FREQUENCY, SEED)
                        .repartionData(Repartition.Never).build());
    }

    private static JavaRDD<DataSet> rdd(List<DataSet> data, int partitions) {
        return SharedSpark.context().parallelize(data, partitions);
    }

    private static void fitAll(MultiLayerNetwork net, List<DataSet> batches) {
        for (DataSet d : batches) {
            net.fit(d);
        }
    }

    @Test
    void oneWorkerTrainsExactlyAsOneMachine() {
        List<DataSet> batches = new TeacherData(1).minibatches(2 * FREQUENCY, BATCH);
        MultiLayerNetwork single = newNetwork();
        SparkDl4jMultiLayer spark = sparkNetwork(newNetwork(), 1);

        // Two rounds: the second starts from the state and iteration count the first handed back to the driver.
        spark.fit(rdd(batches.subList(0, FREQUENCY), 1));
        spark.fit(rdd(batches.subList(FREQUENCY, 2 * FREQUENCY), 1));
        fitAll(single, batches);

        MultiLayerNetwork driver = spark.getNetwork();
        assertEquals(2 * FREQUENCY, driver.getIterationCount());
        assertClose(single.params(), driver.params(), "parameters");
        assertClose(single.getUpdater().getStateViewArray(), driver.getUpdater().getStateViewArray(), "RNNprop state");
    }

    @Test
    void twoWorkersHandBackTheMeanOfTheirParametersAndStates() {
        List<DataSet> batches = new TeacherData(2).minibatches(2 * FREQUENCY, BATCH);
        MultiLayerNetwork start = newNetwork();
        // What each worker does: FREQUENCY steps from the same network on its own partition.
        MultiLayerNetwork first = start.clone();
        MultiLayerNetwork second = start.clone();
        fitAll(first, batches.subList(0, FREQUENCY));
        fitAll(second, batches.subList(FREQUENCY, 2 * FREQUENCY));
        INDArray firstState = first.getUpdater().getStateViewArray();
        INDArray secondState = second.getUpdater().getStateViewArray();
        // The workers' states differ, so their mean is a state neither of them reached.
        assertTrue(firstState.distance1(secondState) > 1e-2 * firstState.norm1Number().doubleValue(),
                "the two workers' RNNprop states should differ");

        SparkDl4jMultiLayer spark = sparkNetwork(start.clone(), 2);
        spark.fit(rdd(batches, 2));

        MultiLayerNetwork driver = spark.getNetwork();
        assertClose(first.params().add(second.params()).divi(2), driver.params(), "parameters");
        assertClose(firstState.add(secondState).divi(2), driver.getUpdater().getStateViewArray(), "RNNprop state");
        assertEquals(FREQUENCY, driver.getIterationCount(), "the step count goes on from each worker's count");
    }

    @Test
    void rnnpropLowersTheLossOnTwoWorkers() {
        TeacherData data = new TeacherData(3);
        DataSet held = DataSet.merge(data.minibatches(8, BATCH));
        SparkDl4jMultiLayer spark = sparkNetwork(newNetwork(), 2);
        double before = spark.getNetwork().score(held);
        List<Double> losses = new ArrayList<>();
        for (int round = 0; round < 8; round++) {
            spark.fit(rdd(data.minibatches(2 * FREQUENCY, BATCH), 2));
            losses.add(spark.getNetwork().score(held));
        }
        double after = losses.get(losses.size() - 1);
        // ln 4 = 1.386 at the start; 24 steps per worker bring it well under half with RNNprop.
        assertTrue(after < 0.5 * before, "loss " + before + " -> " + losses);
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        assertEquals(expected.length(), actual.length(), what + " length");
        double worst = expected.sub(actual).amaxNumber().doubleValue();
        double scale = Math.max(1, expected.amaxNumber().doubleValue());
        assertTrue(worst <= TOLERANCE * scale, what + " differ by up to " + worst);
    }
}
