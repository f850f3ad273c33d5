package org.rnnprop.benchmarks;

import java.util.List;
import java.util.Locale;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.rnnprop.core.StatePrecision;
import org.rnnprop.dl4j.Rnnprop;

/**
 * The largest DL4J network Rnnprop trains, by state precision: an MLP 1000-H-10 of about {@code parameters}
 * parameters (by default 26,500,000, just past float32's limit of 26,188,824), for which DL4J makes the updater
 * (float32 state is refused there, before any state is allocated) and, where it fits, takes one {@code fit} step
 * on 8 random examples. Opt-in ({@code scripts/benchmark.sh --largest-dl4j}): 16-bit state of 26.5 million
 * parameters is 4.5 GB off the heap, which ND4J allocates only if JavaCPP's limits allow it.
 */
final class LargestDl4jNetwork {
    private static final int INPUTS = 1000;
    private static final int CLASSES = 10;
    private static final int BATCH = 8;

    private LargestDl4jNetwork() {
    }

    /** Hidden units giving at least {@code parameters} parameters: 1000 H + H + 10 H + 10 of them. */
    static int hiddenFor(long parameters) {
        long perUnit = INPUTS + 1 + CLASSES;
        return Math.toIntExact(Math.max(1, (parameters - CLASSES + perUnit - 1) / perUnit));
    }

    /** Runs every precision and returns a Markdown report. */
    static String run(long parameters, List<StatePrecision> precisions) {
        int hidden = hiddenFor(parameters);
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "# The largest DL4J network under "
                + "Rnnprop%n%nMLP %d-%d-%d (sigmoid, softmax), float32 parameters; one fit() step on %d random "
                + "examples. JavaCPP off-heap limit %s, physical limit %s.%n%n| state | parameters | state per "
                + "parameter | updater state | outcome |%n|---|--:|--:|--:|---|%n", INPUTS, hidden, CLASSES, BATCH,
                gib(Pointer.maxBytes()), gib(Pointer.maxPhysicalBytes())));
        for (StatePrecision p : precisions) {
            System.err.println("largest-dl4j: " + p.id() + " ...");
            sb.append(row(hidden, p)).append('\n');
            System.gc();
        }
        return sb.toString();
    }

    private static String row(int hidden, StatePrecision p) {
        Rnnprop config = Rnnprop.pretrained("rnnprop").withStatePrecision(p);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT)
                .updater(config).list()
                .layer(new DenseLayer.Builder().nIn(INPUTS).nOut(hidden).activation(Activation.SIGMOID).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(hidden).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .build();
        long params = (long) INPUTS * hidden + hidden + (long) hidden * CLASSES + CLASSES;
        int width = config.stateWidth();
        String head = String.format(Locale.ROOT, "| %s | %,d | %d floats | %s | ", p.id(), params, width,
                gib(params * width * Float.BYTES));
        long needed = params * (2L + width) * Float.BYTES; // parameters, gradients, updater state
        if (params * width <= Integer.MAX_VALUE && needed > Pointer.maxBytes() - Pointer.totalBytes()) {
            return head + "skipped: needs about " + gib(needed) + " off the heap; allow it with JAVA_OPTS=\""
                    + "-Dorg.bytedeco.javacpp.maxbytes=" + (needed / (1L << 30) + 2) + "g -Dorg.bytedeco.javacpp."
                    + "maxphysicalbytes=" + (needed / (1L << 30) + 6) + "g\" |";
        }
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        try {
            net.getUpdater();
        } catch (IllegalArgumentException e) {
            return head + "refused when DL4J makes the updater: " + e.getMessage().replace("|", "/") + " |";
        }
        INDArray x = Nd4j.rand(DataType.FLOAT, BATCH, INPUTS);
        INDArray y = Nd4j.zeros(DataType.FLOAT, BATCH, CLASSES);
        for (int i = 0; i < BATCH; i++) {
            y.putScalar(i, i % CLASSES, 1f);
        }
        long t0 = System.nanoTime();
        net.fit(x, y);
        double seconds = (System.nanoTime() - t0) / 1e9;
        long stateLength = net.getUpdater().getStateViewArray().length();
        return head + String.format(Locale.ROOT, "trained: one step in %.1f s, updater state %,d floats, loss %.4f |",
                seconds, stateLength, net.score());
    }

    private static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
    }
}
