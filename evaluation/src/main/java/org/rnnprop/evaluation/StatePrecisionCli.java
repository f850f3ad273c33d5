package org.rnnprop.evaluation;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.WeightFile;
import org.rnnprop.core.internal.AtomicFiles;
import org.rnnprop.datasets.Mnist;
import org.rnnprop.pretrained.Pretrained;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code scripts/state-precision.sh}: how training with RNNprop's LSTM state in float16 or bfloat16, or in a
 * simulated blockwise 8 bits, compares with float32 state ({@link StatePrecisionCheck}).
 */
@Command(name = "state-precision", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trains each test under float32, float16 and bfloat16 optimizer state with paired seeds and "
                + "reports final-loss differences with standard errors, loss curves (CSV, PNG), bytes of state per "
                + "parameter and kernel throughput, in OUT/REPORT.md."})
public final class StatePrecisionCli implements Callable<Integer> {
    /** The base MLP at 10,000 steps, and the MNIST CNN and LSTM tests of the evaluation suite. */
    static final List<String> DEFAULT_TESTS = List.of("mnist-sigmoid-10000", "cnn-mnist-ccpf-100",
            "cnn-mnist-ccpccpff-100", "lstm-sine-100", "lstm-sine-2layers-100", "lstm-sine-smallnoise-100");

    @Option(names = "--tests", split = ",", paramLabel = "TEST", description = "Tests of the evaluation suite "
            + "(scripts/evaluate.sh --list), by name or prefix with *; MNIST or no data. Default: "
            + "mnist-sigmoid-10000, cnn-mnist-ccpf-100, cnn-mnist-ccpccpff-100, lstm-sine-*.")
    List<String> tests = DEFAULT_TESTS;

    @Option(names = "--runs", paramLabel = "N", description = "Paired runs per test (default: the test's comparison "
            + "runs in the evaluation suite: 10 at 10,000 steps, 30 for the CNNs, 100 for the LSTMs).")
    int runs;

    @Option(names = "--steps", paramLabel = "N", description = "Cap on steps per run (default: each test's own).")
    int steps;

    @Option(names = "--precisions", split = ",", paramLabel = "P",
            description = "State precisions, float32 always first: float32, float16, bfloat16, and the simulated "
                    + "blockwise 8-bit int8-h (h in 8 bits, c in float16) and int8-hc (both in 8 bits) "
                    + "(default: float32,float16,bfloat16).")
    List<String> precisions = List.of("float32", "float16", "bfloat16");

    @Option(names = "--weights", paramLabel = "NAME_OR_FILE", defaultValue = "rnnprop",
            description = "The optimizer: a shipped name or a weight file (default: ${DEFAULT-VALUE}).")
    String weights;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            description = "Runs trained at once, one thread each (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--mnist", paramLabel = "DIR", description = "MNIST folder (default: where scripts/fetch-mnist.sh "
            + "puts it).")
    Path mnist;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "state-precision",
            description = "Report, CSV files and figures (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--work", paramLabel = "DIR", description = "Finished runs, one cache file per test, so the "
            + "same command resumes after a stop (default: runs/state-precision).")
    Path work;

    private final PrintStream stdout;
    private final String[] args;

    StatePrecisionCli(PrintStream stdout, String[] args) {
        this.stdout = stdout;
        this.args = args;
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(run(System.out, args));
    }

    /** Runs the command line; returns its exit status. */
    public static int run(PrintStream stdout, String... args) {
        return new CommandLine(new StatePrecisionCli(stdout, args)).execute(args);
    }

    @Override
    public Integer call() throws IOException {
        CommandLine cl = new CommandLine(this);
        if (threads < 1 || runs < 0 || steps < 0) {
            throw new CommandLine.ParameterException(cl, "--threads must be at least 1; --runs and --steps positive");
        }
        List<StateFormat> ps = new ArrayList<>();
        for (String p : precisions) {
            try {
                ps.add(StateFormat.fromId(p.strip()));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cl, "--precisions: " + e.getMessage());
            }
        }
        if (ps.isEmpty() || ps.get(0) != StateFormat.FLOAT32 || ps.stream().distinct().count() != ps.size()) {
            throw new CommandLine.ParameterException(cl, "--precisions: float32 first (the reference), each once; "
                    + "got " + precisions);
        }
        List<Experiment> selected;
        try {
            selected = Experiments.select(tests);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, "--tests: " + e.getMessage());
        }
        for (Experiment e : selected) {
            if (e.dataset() == Experiment.Dataset.CIFAR10) {
                throw new CommandLine.ParameterException(cl, "--tests: " + e.id() + " trains on CIFAR-10, which "
                        + "this command does not load; choose tests on MNIST or without data");
            }
        }
        OptimizerWeights w = Pretrained.names().contains(weights) ? Pretrained.load(weights)
                : WeightFile.read(Path.of(weights));
        StatePrecisionCheck.Settings settings = new StatePrecisionCheck.Settings(selected, runs, steps, ps, w,
                weights, mnist != null ? mnist : Mnist.defaultDirectory(), threads,
                work != null ? work : Path.of("runs", "state-precision"));
        String load = loadAverage();
        StatePrecisionCheck check = new StatePrecisionCheck(settings, System.err);
        List<StatePrecisionCheck.TestResult> results = check.run();
        check.writeFiles(results, out);
        String when = ZonedDateTime.now().truncatedTo(ChronoUnit.MINUTES).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        String report = check.report(results, "scripts/state-precision.sh " + String.join(" ", args), when,
                load + " at the start, " + loadAverage() + " at the end");
        AtomicFiles.write(out.resolve("REPORT.md"), o -> o.write(report.getBytes(StandardCharsets.UTF_8)));
        stdout.print(report);
        stdout.println();
        stdout.println("written: " + out.resolve("REPORT.md") + " and CSV files and figures in " + out);
        return 0;
    }

    /** The 1-minute load average, or "unknown". */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            double l = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            return l < 0 ? "unknown" : String.format(java.util.Locale.ROOT, "%.2f", l);
        }
    }
}
