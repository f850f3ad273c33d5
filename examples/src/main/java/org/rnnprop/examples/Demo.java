package org.rnnprop.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rnnprop.datasets.LabeledImages;
import org.rnnprop.datasets.Mnist;
import org.rnnprop.examples.BaseMlpTraining.Framework;
import org.rnnprop.examples.BaseMlpTraining.InitialParameters;
import org.rnnprop.examples.BaseMlpTraining.OptimizerChoice;
import org.rnnprop.examples.BaseMlpTraining.Run;
import org.rnnprop.pretrained.Pretrained;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The project's main job: trains the specification's base MLP (784 → 20 sigmoid → 10) on real MNIST with the
 * shipped RNNprop and with Adam (learning rate 2^-5, the paper's tuned value, and 1e-3, the common default), in
 * DJL (PyTorch engine) and in Deeplearning4j, every run from the same initial parameters and on the same
 * minibatch sequence. Prints a table of the losses and the test accuracies, and writes the loss curves as a
 * PNG plot and a CSV file.
 *
 * <pre>
 * scripts/demo.sh [--optimizer NAME] [--steps N] [--out DIR] [--seed S] [--frameworks djl,dl4j]
 * </pre>
 *
 * <p>Exit status: 0 on success; 2 if the optimizer named is not shipped (the message lists those that are) or the
 * command line is wrong; 1 if MNIST is missing (run {@code scripts/fetch-mnist.sh}) or anything else fails.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Trains the base MLP (784-20 sigmoid-10) on MNIST with the shipped RNNprop and with Adam, "
                + "in DJL and in DL4J, from the same initial parameters on the same minibatches.")
public final class Demo implements Callable<Integer> {
    /** The learned optimizer the demo uses unless told otherwise. */
    public static final String DEFAULT_OPTIMIZER = "rnnprop";
    /** Adam's learning rate tuned in the paper for this task at 100 steps: 2^-5. */
    public static final double ADAM_TUNED_LR = 0x1p-5;
    /** The learning rate most people start Adam with. */
    public static final double ADAM_DEFAULT_LR = 1e-3;
    /** The final training loss is the mean over this many last steps. */
    public static final int FINAL_WINDOW = 10;
    /** Steps between the rows of the loss table. */
    public static final int TABLE_EVERY = 20;

    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = DEFAULT_OPTIMIZER,
            description = "Shipped learned optimizer (see Pretrained.names()); default: ${DEFAULT-VALUE}.")
    String optimizer;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "200",
            description = "Training steps (one fresh minibatch of 128 each); default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "demo-output",
            description = "Folder for loss-curves.png, loss-curves.csv and summary.txt; default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "Seed of the initial parameters (the minibatch sequence uses S+1); "
                    + "default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--frameworks", paramLabel = "LIST", split = ",", defaultValue = "djl,dl4j",
            description = "Frameworks to run, comma-separated: djl, dl4j; default: ${DEFAULT-VALUE}.")
    List<Framework> frameworks;

    @Option(names = "--mnist", paramLabel = "DIR",
            description = "MNIST folder (the four IDX files); default: $RNNPROP_DATA/mnist or ~/.cache/rnnprop/mnist.")
    Path mnist;

    /** Runs the demo; see the class comment for the options and the exit status. */
    public static void main(String[] args) {
        // Before any framework starts: no window system, no downloads, quiet logs, and one PyTorch thread
        // unless told otherwise (the tensors are tiny: more threads cost more than they give).
        System.setProperty("java.awt.headless", "true");
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        // DJL warns that it found no usable CUDA on CPU-only machines: expected here, not worth a warning.
        System.setProperty("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils",
                System.getProperty("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error"));
        System.setProperty("ai.djl.pytorch.num_threads", System.getProperty("ai.djl.pytorch.num_threads", "1"));
        System.setProperty("ai.djl.pytorch.num_interop_threads",
                System.getProperty("ai.djl.pytorch.num_interop_threads", "1"));
        int status = new CommandLine(new Demo()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        System.exit(status);
    }

    @Override
    public Integer call() throws IOException {
        if (!Pretrained.names().contains(optimizer)) {
            System.err.printf("demo: ERROR: no learned optimizer named '%s' is shipped in this build.%n"
                    + "  Shipped: %s%n"
                    + "  Choose one with --optimizer NAME (e.g. --optimizer %s).%n",
                    optimizer, String.join(", ", Pretrained.names()),
                    Pretrained.names().isEmpty() ? "rnnprop" : Pretrained.names().get(0));
            return 2;
        }
        if (steps < 1) {
            System.err.println("demo: ERROR: --steps must be at least 1");
            return 2;
        }
        if (frameworks.isEmpty()) {
            System.err.println("demo: ERROR: --frameworks needs at least one of djl, dl4j");
            return 2;
        }
        Path dir = mnist != null ? mnist : Mnist.defaultDirectory();
        if (!Mnist.isPresent(dir)) {
            System.err.printf("demo: ERROR: MNIST not found in %s.%n"
                    + "  Run scripts/fetch-mnist.sh (any working directory) to download it, "
                    + "then run the demo again.%n",
                    dir);
            return 1;
        }

        LabeledImages train = Mnist.load(dir, Mnist.Split.TRAIN);
        LabeledImages test = Mnist.load(dir, Mnist.Split.TEST);
        InitialParameters init = BaseMlpTraining.specInitialization(seed);
        int[][] batches = BaseMlpTraining.minibatches(seed + 1, steps, train.numExamples());
        List<OptimizerChoice> optimizers = List.of(OptimizerChoice.pretrained(optimizer),
                OptimizerChoice.adam(ADAM_TUNED_LR), OptimizerChoice.adam(ADAM_DEFAULT_LR));

        StringBuilder header = new StringBuilder();
        header.append(String.format(Locale.ROOT, "Base MLP 784-20 sigmoid-10 on MNIST (%d training / %d test images), "
                + "batch %d, %d steps.%n", train.numExamples(), test.numExamples(), BaseMlpTraining.BATCH_SIZE, steps));
        header.append(String.format(Locale.ROOT, "Every run starts from the same %d parameters drawn from N(0, 0.1^2) "
                + "(seed %d) and sees the same minibatches (seed %d).%n", BaseMlpTraining.NUM_PARAMETERS, seed,
                seed + 1));
        if (optimizer.endsWith("-untrained")) {
            header.append(String.format("Note: '%s' is NOT meta-trained (the spec's initialisation of the optimizer "
                    + "network); do not expect it to train well.%n", optimizer));
        }
        System.out.println(header);

        long start = System.nanoTime();
        List<Run> runs = new ArrayList<>();
        for (Framework f : frameworks.stream().distinct().toList()) {
            for (OptimizerChoice o : optimizers) {
                System.out.printf("  training: %-5s %-28s ", f.label(), o.label());
                System.out.flush();
                Run run = BaseMlpTraining.train(f, o, init, train, batches, test);
                System.out.printf("%6.1f s%n", run.seconds());
                runs.add(run);
            }
        }
        double total = (System.nanoTime() - start) / 1e9;

        String table = DemoReport.table(runs, FINAL_WINDOW, TABLE_EVERY)
                + String.format(Locale.ROOT, "%nTotal time of the runs: %.1f s.%n", total);
        System.out.println();
        System.out.print(table);

        Files.createDirectories(out);
        Path png = out.resolve("loss-curves.png");
        Path csv = out.resolve("loss-curves.csv");
        Path txt = out.resolve("summary.txt");
        DemoReport.writeCsv(runs, csv);
        DemoReport.writePlot(runs, png, String.format(Locale.ROOT, "Base MLP on MNIST, seed %d", seed));
        Files.writeString(txt, header + "\n" + table, StandardCharsets.UTF_8);
        System.out.printf("%nWrote %s, %s and %s.%n", png, csv, txt);
        return 0;
    }
}
