package org.rnnprop.spark;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.rnnprop.datasets.LabeledImages;
import org.rnnprop.datasets.Mnist;
import org.rnnprop.dl4j.Rnnprop;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Trains the base MLP (784-20-10, sigmoid) on MNIST with RNNprop and with Adam 2^-5 (the paper's tuned rate for
 * this network), on one machine and on Spark in local mode, from the same initial parameters, and prints the loss
 * on a fixed set of 10,000 training examples after every round and the test accuracy at the end.
 *
 * <p>A round is {@code workers x frequency} minibatches. The setups:
 * <ul>
 *   <li>{@code single-steps}: one machine fits the round's first {@code frequency} minibatches (as many sequential
 *       steps as each Spark worker makes);</li>
 *   <li>{@code single-examples}: one machine fits all of the round's minibatches (the same data);</li>
 *   <li>{@code averaging}: parameter averaging, parameters and optimizer state averaged after every round;</li>
 *   <li>{@code averaging-reset}: the same without the optimizer state ({@code saveUpdater(false)}): every worker
 *       starts every round from a zero state;</li>
 *   <li>{@code sharing}: gradient sharing, one {@code fit} per round, at each of the {@code --thresholds}.</li>
 * </ul>
 */
@Command(name = "spark-comparison", mixinStandardHelpOptions = true,
        description = "RNNprop and Adam on one machine and on Spark (local mode): loss per round on MNIST")
public final class SparkComparison implements Callable<Integer> {
    private static final int HIDDEN = 20;
    private static final int EVAL_EXAMPLES = 10_000;
    private static final double ADAM_RATE = 1.0 / 32;

    @Option(names = "--rounds", description = "rounds of training (default: ${DEFAULT-VALUE})")
    int rounds = 20;
    @Option(names = "--workers", description = "Spark workers, one executor thread each (default: ${DEFAULT-VALUE})")
    int workers = 2;
    @Option(names = "--frequency", description = "minibatches per worker per round (default: ${DEFAULT-VALUE})")
    int frequency = 5;
    @Option(names = "--batch", description = "minibatch size (default: ${DEFAULT-VALUE})")
    int batch = 128;
    @Option(names = "--setups", split = ",",
            description = "any of single-steps, single-examples, averaging, averaging-reset, sharing (default: all)")
    List<String> setups = List.of("single-steps", "single-examples", "averaging", "averaging-reset", "sharing");
    @Option(names = "--thresholds", split = ",",
            description = "initial thresholds of the gradient-sharing encoding (default: ${DEFAULT-VALUE})")
    List<Double> thresholds = List.of(1e-3);
    @Option(names = "--optimizers", split = ",", description = "any of rnnprop, adam (default: both)")
    List<String> optimizers = List.of("rnnprop", "adam");
    @Option(names = "--port", description = "UDP port for gradient sharing, on 127.0.0.1 (default: ${DEFAULT-VALUE})")
    int port = 40123;
    @Option(names = "--seed", description = "seed of the initial parameters and minibatches (default: ${DEFAULT-VALUE})")
    long seed = 1;
    @Option(names = "--out", description = "folder for spark-comparison.csv (default: ${DEFAULT-VALUE})")
    Path out = Path.of("spark-output");

    /** One optimizer under one setup: loss after every round, test accuracy at the end. */
    record Run(String optimizer, String setup, double[] losses, double accuracy, double seconds) {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new SparkComparison()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        for (String s : setups) {
            if (!List.of("single-steps", "single-examples", "averaging", "averaging-reset", "sharing").contains(s)) {
                throw new CommandLine.ParameterException(new CommandLine(this), "unknown setup: " + s);
            }
        }
        for (String o : optimizers) {
            if (!List.of("rnnprop", "adam").contains(o)) {
                throw new CommandLine.ParameterException(new CommandLine(this), "unknown optimizer: " + o);
            }
        }
        LabeledImages train = Mnist.load(Mnist.Split.TRAIN);
        LabeledImages test = Mnist.load(Mnist.Split.TEST);
        DataSet eval = MnistData.range(train, 0, EVAL_EXAMPLES);
        DataSet testSet = MnistData.range(test, 0, test.numExamples());
        List<List<DataSet>> schedule = new ArrayList<>();
        Random random = new Random(seed);
        for (int r = 0; r < rounds; r++) {
            schedule.add(MnistData.minibatches(train, random, workers * frequency, batch));
        }
        List<Run> runs = new ArrayList<>();
        try (JavaSparkContext sc = LocalSpark.start("rnnprop-spark-comparison", workers)) {
            sc.setLogLevel("WARN");
            for (String optimizer : optimizers) {
                for (String setup : setups) {
                    if (setup.equals("sharing")) {
                        for (double t : thresholds) {
                            runs.add(run(sc, optimizer, setup + " " + t, schedule, eval, testSet));
                            System.out.println(line(runs.get(runs.size() - 1)));
                        }
                    } else {
                        runs.add(run(sc, optimizer, setup, schedule, eval, testSet));
                        System.out.println(line(runs.get(runs.size() - 1)));
                    }
                }
            }
        }
        Files.createDirectories(out);
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out.resolve("spark-comparison.csv")))) {
            w.println("optimizer,setup,round,loss");
            for (Run run : runs) {
                for (int r = 0; r < run.losses().length; r++) {
                    w.printf(Locale.ROOT, "%s,%s,%d,%.6f%n", run.optimizer(), run.setup(), r + 1, run.losses()[r]);
                }
            }
        }
        System.out.println("| optimizer | setup | loss, round " + Math.max(1, rounds / 4) + " | round "
                + Math.max(1, rounds / 2) + " | round " + rounds + " | test accuracy | time |");
        System.out.println("|---|---|--:|--:|--:|--:|--:|");
        runs.forEach(run -> System.out.println(line(run)));
        System.out.println("wrote " + out.resolve("spark-comparison.csv"));
        return 0;
    }

    private Run run(JavaSparkContext sc, String optimizer, String setup, List<List<DataSet>> schedule, DataSet eval,
            DataSet testSet) {
        IUpdater updater = optimizer.equals("rnnprop") ? Rnnprop.pretrained("rnnprop") : new Adam(ADAM_RATE);
        MultiLayerNetwork net = Mlp.create(Mnist.IMAGE_SIZE, HIDDEN, Mnist.NUM_CLASSES, updater, seed);
        SparkDl4jMultiLayer spark = setup.startsWith("single") ? null : new SparkDl4jMultiLayer(sc, net, master(setup));
        double[] losses = new double[schedule.size()];
        long start = System.nanoTime();
        for (int r = 0; r < schedule.size(); r++) {
            List<DataSet> round = schedule.get(r);
            if (spark != null) {
                spark.fit(sc.parallelize(round, workers));
                net = spark.getNetwork();
            } else {
                for (DataSet d : setup.equals("single-steps") ? round.subList(0, frequency) : round) {
                    net.fit(d);
                }
            }
            losses[r] = net.score(eval);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double accuracy = net.output(testSet.getFeatures()).argMax(1).eq(testSet.getLabels().argMax(1))
                .castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).meanNumber().doubleValue();
        return new Run(optimizer, setup, losses, accuracy, seconds);
    }

    private TrainingMaster<?, ?> master(String setup) {
        if (setup.startsWith("sharing")) {
            double threshold = Double.parseDouble(setup.substring("sharing ".length()));
            return TrainingMasters.gradientSharing(workers, batch, threshold, port, seed).build();
        }
        return TrainingMasters.parameterAveraging(workers, batch, frequency, seed)
                .saveUpdater(setup.equals("averaging")).build();
    }

    private String line(Run run) {
        double[] l = run.losses();
        return String.format(Locale.ROOT, "| %s | %s | %.4f | %.4f | %.4f | %.1f%% | %.0f s |", run.optimizer(),
                run.setup(), l[Math.max(0, l.length / 4 - 1)], l[Math.max(0, l.length / 2 - 1)], l[l.length - 1],
                100 * run.accuracy(), run.seconds());
    }
}
