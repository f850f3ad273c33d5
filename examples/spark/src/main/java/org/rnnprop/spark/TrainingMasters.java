package org.rnnprop.spark;

import org.deeplearning4j.optimize.solvers.accumulation.encoding.threshold.AdaptiveThresholdAlgorithm;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.repartitioner.EqualRepartitioner;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.parameterserver.training.SharedTrainingMaster;
import org.nd4j.parameterserver.distributed.conf.VoidConfiguration;

/**
 * DL4J's two Spark training masters, set up the way {@code org.rnnprop.dl4j.Rnnprop} needs. Both return the
 * builder, so callers can change anything else before {@code build()}.
 *
 * <ul>
 *   <li>{@link #parameterAveraging}: every worker fits {@code averagingFrequency} minibatches from the same
 *       parameters and optimizer state, then the driver replaces both with the workers' mean. For RNNprop that
 *       mean covers all 82 state values per parameter: the moments m and v and the LSTM's h and c.</li>
 *   <li>{@link #gradientSharing}: every worker runs its own copy of the optimizer on its own gradients and sends
 *       the resulting updates, threshold-encoded, to the others; optimizer states are averaged only when a
 *       {@code fit} call ends.</li>
 * </ul>
 *
 * <p>Both feed each worker its data straight from the RDD ({@link RDDTrainingApproach#Direct}), which suits data
 * that fits in the executors' memory; DL4J's default, {@code Export}, first writes the minibatches to a
 * directory (set one with {@code exportDirectory(...)} on a cluster).
 */
public final class TrainingMasters {
    private TrainingMasters() {
    }

    /**
     * Parameter averaging with the optimizer state averaged too ({@code saveUpdater(true)}, DL4J's default, stated
     * here because RNNprop depends on it: without it each worker's LSTM state and moments restart at zero every
     * {@code averagingFrequency} steps).
     *
     * @param workers number of workers (Spark tasks) per averaging round
     * @param batchSizePerWorker minibatch size of each worker's steps; also the examples per {@code DataSet} in the RDD
     * @param averagingFrequency minibatches each worker fits between two averagings
     * @param seed seed of DL4J's split of the data into rounds
     */
    public static ParameterAveragingTrainingMaster.Builder parameterAveraging(int workers, int batchSizePerWorker,
            int averagingFrequency, long seed) {
        requirePositive("workers", workers);
        requirePositive("batchSizePerWorker", batchSizePerWorker);
        requirePositive("averagingFrequency", averagingFrequency);
        return new ParameterAveragingTrainingMaster.Builder(workers, batchSizePerWorker)
                .batchSizePerWorker(batchSizePerWorker)
                .averagingFrequency(averagingFrequency)
                .saveUpdater(true)
                .workerPrefetchNumBatches(0)
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .rngSeed(seed);
    }

    /**
     * Gradient sharing (threshold-encoded updates over Aeron UDP) with every endpoint on the loopback interface:
     * the driver listens on {@code 127.0.0.1:port}, which suits Spark local mode only. On a cluster, build the
     * {@code VoidConfiguration} with the driver's address ({@code controllerAddress(...)} or {@code networkMask(...)})
     * and the same settings as here, and open the UDP port on every node. Every JVM that runs it needs {@code -Daeron.publication.unblock.timeout=60000000000}
     * (docs/SPARK.md). The data goes to one partition per worker ({@link EqualRepartitioner}): with DL4J's default,
     * one partition per minibatch here, a local run with two workers stopped making progress.
     *
     * @param workers number of workers in this JVM (Spark local mode runs every worker in the driver's JVM)
     * @param batchSizePerWorker minibatch size of each worker's steps; also the examples per {@code DataSet} in the RDD
     * @param initialThreshold starting threshold of DL4J's adaptive encoding (DL4J's default is 1e-3)
     * @param port UDP port of the driver's parameter server and of each worker's transport
     * @param seed seed of DL4J's repartitioning
     */
    public static SharedTrainingMaster.Builder gradientSharing(int workers, int batchSizePerWorker,
            double initialThreshold, int port, long seed) {
        requirePositive("workers", workers);
        requirePositive("batchSizePerWorker", batchSizePerWorker);
        if (!(initialThreshold > 0) || !Double.isFinite(initialThreshold)) {
            throw new IllegalArgumentException("initialThreshold must be positive and finite, got " + initialThreshold);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be in 1..65535, got " + port);
        }
        VoidConfiguration voidConfiguration = VoidConfiguration.builder()
                .controllerAddress("127.0.0.1")
                .unicastPort(port) // the workers' own port
                .build();
        voidConfiguration.setUnicastControllerPort(port); // the driver's; the builder has no setter for it
        return new SharedTrainingMaster.Builder(voidConfiguration, workers,
                new AdaptiveThresholdAlgorithm(initialThreshold), batchSizePerWorker)
                .batchSizePerWorker(batchSizePerWorker)
                .workersPerNode(workers)
                .workerPrefetchNumBatches(0)
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .repartitioner(new EqualRepartitioner())
                .rngSeed(seed);
    }

    private static void requirePositive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
    }
}
