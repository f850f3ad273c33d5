package org.rnnprop.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rnnprop.core.StatePrecision;

/**
 * Optimizer step throughput, in coordinates (scalar parameters) updated per second, for the core kernels
 * ({@code ReferenceStep}; {@code FastStep} and the Vector API's {@code VectorStep}, each with all cores and with
 * one thread, RNNprop and DMoptimizer), the DJL plugin ({@code RnnpropOptimizer.update} on a PyTorch parameter,
 * with the core kernel and with {@code NdStep}), the DL4J plugin ({@code RnnpropUpdater.applyUpdater} on a state
 * view) and, for context, each framework's built-in Adam.
 *
 * <p>The plugins' core kernel is whatever {@code StepKernels.best} picks: the vector kernel in a JVM started with
 * {@code --add-modules jdk.incubator.vector}, FastStep otherwise. With {@code --vector-module both} (the default)
 * the cases that depend on it run twice, in a JVM with the flag and in one without; the report's kernel column
 * says which ran.
 *
 * <p>Each case at each size runs in a JVM of its own by default (same JVM options and classpath), so JIT profiles,
 * native thread pools and native memory of one case do not colour the next. A case warms up (at least
 * {@code --warmup-seconds} and 2 steps), then times {@code --reps} repetitions of as many steps as fill about
 * {@code --rep-seconds}, timing only the step itself with {@link System#nanoTime()} (restoring a gradient that a
 * DL4J updater overwrote is done between steps, untimed). The report gives the median and the minimum time per
 * step, throughput from both, the ratio of the median throughput to {@code core FastStep} RNNprop with all cores
 * at the same size, the optimizer state per parameter read from the state arrays, and a memory check over up to
 * {@code --memory-steps} further steps: heap bytes allocated per step by the calling thread and by all JVM threads
 * ({@code ThreadMXBean}), live NDArrays before and after (DJL), and resident-set growth.
 *
 * <pre>
 * java -cp ... -Dai.djl.offline=true org.rnnprop.benchmarks.StepBenchmark [--sizes 15910,1000000]
 *      [--cases fast-rnnprop,djl-adam,...] [--reps 10] [--out results.md]     (--help lists all options)
 * </pre>
 *
 * The numbers mean something only on an otherwise idle machine: the header records the load average.
 */
public final class StepBenchmark {

    private StepBenchmark() {
    }

    /** Command-line settings. */
    static final class Options {
        List<Integer> sizes = List.of(15_910, 1_000_000);
        List<CaseId> cases = List.of(CaseId.values());
        int reps = 10;
        int referenceReps = 3;
        int referenceMaxSize = 15_910;
        double warmupSeconds = 3;
        int minWarmupSteps = 2;
        double repSeconds = 0.5;
        int memorySteps = 100;
        double memorySeconds = 10;
        int threads = Runtime.getRuntime().availableProcessors();
        /** JVMs to run the cases that depend on the Vector API in: with the flag (true), without (false). */
        List<Boolean> vectorModes = List.of(true, false);
        String rnnpropWeights = "rnnprop-untrained";
        String dmWeights = "dm-optimizer-untrained";
        long seed = 42;
        boolean fork = true;
        Path out;
        boolean largestDl4j;
        long largestParameters = 26_500_000;
        List<StatePrecision> largestPrecisions = List.of(StatePrecision.values());
        boolean help;
        // Set only in a forked JVM.
        CaseId childCase;
        int childSize;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "-h", "--help" -> o.help = true;
                    case "--no-fork" -> o.fork = false;
                    case "--quick" -> {
                        o.sizes = List.of(2_000);
                        o.reps = 1;
                        o.warmupSeconds = 0.2;
                        o.repSeconds = 0.05;
                        o.memorySteps = 3;
                        o.memorySeconds = 1;
                    }
                    case "--sizes" -> o.sizes = parseInts(value(args, ++i, a));
                    case "--cases" -> {
                        String v = value(args, ++i, a);
                        List<CaseId> l = new ArrayList<>();
                        if (!v.equals("all")) {
                            for (String s : v.split(",")) {
                                l.add(CaseId.fromId(s.strip()));
                            }
                            o.cases = l;
                        }
                    }
                    case "--reps" -> o.reps = positive(a, Integer.parseInt(value(args, ++i, a)));
                    case "--reference-reps" -> o.referenceReps = positive(a, Integer.parseInt(value(args, ++i, a)));
                    case "--reference-max-size" -> o.referenceMaxSize = Integer.parseInt(value(args, ++i, a));
                    case "--warmup-seconds" -> o.warmupSeconds = Double.parseDouble(value(args, ++i, a));
                    case "--rep-seconds" -> o.repSeconds = Double.parseDouble(value(args, ++i, a));
                    case "--memory-steps" -> o.memorySteps = Integer.parseInt(value(args, ++i, a));
                    case "--memory-seconds" -> o.memorySeconds = Double.parseDouble(value(args, ++i, a));
                    case "--threads" -> o.threads = positive(a, Integer.parseInt(value(args, ++i, a)));
                    case "--vector-module" -> o.vectorModes = switch (value(args, ++i, a)) {
                        case "on" -> List.of(true);
                        case "off" -> List.of(false);
                        case "both" -> List.of(true, false);
                        default -> throw new IllegalArgumentException("--vector-module takes on, off or both");
                    };
                    case "--rnnprop-weights" -> o.rnnpropWeights = value(args, ++i, a);
                    case "--dm-weights" -> o.dmWeights = value(args, ++i, a);
                    case "--seed" -> o.seed = Long.parseLong(value(args, ++i, a));
                    case "--out" -> o.out = Path.of(value(args, ++i, a));
                    case "--largest-dl4j" -> o.largestDl4j = true;
                    case "--largest-parameters" -> o.largestParameters = Long.parseLong(value(args, ++i, a)
                            .replace("_", ""));
                    case "--largest-precisions" -> {
                        List<StatePrecision> l = new ArrayList<>();
                        for (String s : value(args, ++i, a).split(",")) {
                            l.add(StatePrecision.fromId(s.strip()));
                        }
                        o.largestPrecisions = l;
                    }
                    case "--child-case" -> o.childCase = CaseId.fromId(value(args, ++i, a));
                    case "--child-size" -> o.childSize = Integer.parseInt(value(args, ++i, a));
                    default -> throw new IllegalArgumentException("unknown option '" + a + "' (see --help)");
                }
            }
            for (int n : o.sizes) {
                positive("--sizes", n);
            }
            return o;
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        private static List<Integer> parseInts(String v) {
            List<Integer> l = new ArrayList<>();
            for (String s : v.split(",")) {
                l.add(Integer.parseInt(s.strip().replace("_", "")));
            }
            return l;
        }

        private static int positive(String option, int v) {
            if (v < 1) {
                throw new IllegalArgumentException(option + " must be >= 1, got " + v);
            }
            return v;
        }
    }

    private static final String USAGE = """
            Usage: StepBenchmark [options]
              --sizes N[,N...]          coordinates per step (default 15910,1000000)
              --cases all|ID[,ID...]    which implementations (default all): %s
              --reps R                  timed repetitions per case (default 10)
              --reference-reps R        repetitions for the slow ReferenceStep (default 3)
              --reference-max-size N    run ReferenceStep only at sizes <= N (default 15910)
              --warmup-seconds S        warm-up per case, at least 2 steps (default 3)
              --rep-seconds S           target length of one repetition; >= 1 step (default 0.5)
              --memory-steps K          steps of the memory check, 0 = none (default 100)
              --memory-seconds S        cap on the memory check's time; at least 3 steps (default 10)
              --threads T               core kernel threads for the "all cores" cases (default: all processors)
              --vector-module M         on|off|both: fork JVMs with, without or with and without
                                        --add-modules jdk.incubator.vector for the cases whose kernel depends on
                                        it (default both); the vector-* cases run only with it
              --rnnprop-weights NAME    shipped RNNprop weights (default rnnprop-untrained)
              --dm-weights NAME         shipped DMoptimizer weights (default dm-optimizer-untrained)
              --seed S                  gradient and parameter seed (default 42)
              --no-fork                 run every case in this JVM (default: one JVM per case and size)
              --quick                   N = 2,000, 1 short repetition, 3 memory steps: checks that it runs
                                        (options after it override it)
              --out FILE                also write the Markdown report to FILE
              --largest-dl4j            instead: the largest DL4J network Rnnprop trains, by state precision (an
                                        MLP of --largest-parameters; float32 is refused up front, 16-bit state
                                        takes one fit() step; 26.5M parameters need about 4.7 GB off the heap)
              --largest-parameters N    its size (default 26500000, just past float32's 26188824)
              --largest-precisions P,P  its precisions (default float32,float16,bfloat16)
            """;

    /**
     * Runs the benchmark and prints the Markdown report on standard output (progress goes to standard error).
     *
     * @param args options; {@code --help} lists them
     */
    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("StepBenchmark: " + e.getMessage());
            System.err.printf(USAGE, CaseId.ids());
            System.exit(2);
            return;
        }
        if (o.help) {
            System.out.printf(USAGE, CaseId.ids());
            return;
        }
        if (o.childCase != null) {
            runChild(o);
            return;
        }
        if (o.largestDl4j) {
            String report = LargestDl4jNetwork.run(o.largestParameters, o.largestPrecisions);
            System.out.print(report);
            if (o.out != null) {
                Files.writeString(o.out, report);
            }
            return;
        }
        Map<String, String> facts = new LinkedHashMap<>();
        String loadBefore = loadAverage();
        List<Result> results = new ArrayList<>();
        List<Run> plan = new ArrayList<>();
        for (int n : o.sizes) {
            for (CaseId c : o.cases) {
                if (!c.isReference() || n <= o.referenceMaxSize) {
                    for (boolean vector : vectorModes(c, o)) {
                        plan.add(new Run(c, n, vector));
                    }
                }
            }
        }
        int k = 0;
        for (Run p : plan) {
            CaseId c = p.id;
            int n = p.n;
            System.err.printf("[%d/%d] %s, N = %,d%s ...%n", ++k, plan.size(), c.id, n,
                    o.fork ? (p.vector ? ", with " : ", without ") + VectorFlag.FLAG : "");
            Result r = o.fork ? runForked(args, c, n, p.vector, facts) : runHere(c, n, o, facts);
            System.err.println("    " + (r.ok() ? String.format("%,.0f coordinates/s (median), %s ms/step",
                    r.medianCoordinatesPerSecond(), sig(r.medianNsPerStep() / 1e6)) : "FAILED: " + r.error()));
            results.add(r);
            if (!o.fork) {
                System.gc();
            }
        }
        String report = Report.render(o, args, facts, results, loadBefore, loadAverage());
        System.out.print(report);
        if (o.out != null) {
            Path parent = o.out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(o.out, report, StandardCharsets.UTF_8);
            System.err.println("report written to " + o.out);
        }
    }

    /** One case at one size, in a JVM with or without the Vector API flag. */
    private record Run(CaseId id, int n, boolean vector) {
    }

    /** The JVMs a case runs in: both kinds where its kernel depends on the flag, one otherwise. */
    private static List<Boolean> vectorModes(CaseId c, Options o) {
        if (!o.fork) {
            return List.of(false); // one run in this JVM, flag or not: the value is not used
        }
        return switch (c.vector) {
            case DEPENDS -> o.vectorModes;
            case REQUIRED -> o.vectorModes.contains(true) ? List.of(true) : List.of();
            case UNUSED -> List.of(o.vectorModes.contains(true));
        };
    }

    /** In a forked JVM: one case at one size; facts and the result go to stdout as tagged lines. */
    private static void runChild(Options o) {
        Map<String, String> facts = new LinkedHashMap<>();
        Result r = runHere(o.childCase, o.childSize, o, facts);
        PrintStream out = System.out;
        facts.forEach((key, v) -> out.println("@@FACT\t" + key + "\t" + v));
        out.println(r.encode());
        out.flush();
        System.exit(0); // framework thread pools may not be daemons
    }

    private static Result runHere(CaseId c, int n, Options o, Map<String, String> facts) {
        try (BenchCase bc = c.create(n, o)) {
            Result r = Measurement.measure(c, bc, o);
            bc.facts(facts);
            return r;
        } catch (Exception | Error e) {
            e.printStackTrace();
            return Result.failed(c.id, n, e.toString());
        }
    }

    /** Runs one case in a new JVM with this JVM's options and classpath, with or without the Vector API flag. */
    private static Result runForked(String[] args, CaseId c, int n, boolean vector, Map<String, String> facts)
            throws IOException, InterruptedException {
        List<String> childArgs = new ArrayList<>(Arrays.asList(args));
        childArgs.addAll(List.of("--child-case", c.id, "--child-size", Integer.toString(n)));
        Result[] r = new Result[1];
        int rc = ChildJvm.run(StepBenchmark.class, childArgs, vector, Map.of(), line -> {
            if (line.startsWith(Result.PREFIX + "\t")) {
                r[0] = Result.decode(line);
            } else if (line.startsWith("@@FACT\t")) {
                String[] f = line.split("\t", 3);
                facts.put(f[1], f.length > 2 ? f[2] : "");
            }
        });
        if (r[0] == null) {
            return Result.failed(c.id, n, "forked JVM exited with code " + rc
                    + " and no result (see its output above)");
        }
        return r[0];
    }

    /** The 1-, 5- and 15-minute load averages, or "unknown". */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            double l = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            return l < 0 ? "unknown" : String.format("%.2f", l);
        }
    }

    /** Three significant digits, no exponent. */
    static String sig(double v) {
        if (Double.isNaN(v)) {
            return "—";
        }
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        int decimals = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : a >= 0.1 ? 3 : a >= 0.01 ? 4 : a >= 0.001 ? 5 : 6;
        return String.format("%." + decimals + "f", v);
    }

    static String now() {
        return ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }
}
