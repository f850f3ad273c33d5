package org.rnnprop.evaluation;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnnprop.core.internal.CodeVersion;
import org.rnnprop.datasets.Mnist;
import org.rnnprop.pretrained.Pretrained;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The paper reproduction suite's command line ({@code scripts/evaluate.sh}): runs every test of the
 * specification, or the named ones, and writes {@code docs/RESULTS.md} with its CSV files and figures.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs the paper's tests (docs/SPEC.md section 4), decides its claims (section 5) and writes "
                + "RESULTS.md, CSV files and PNG figures. Finished runs are cached: run the same command again to "
                + "resume after a stop."})
public final class EvaluateCli implements Callable<Integer> {
    @Option(names = "--quick", description = "Few runs (" + Suite.QUICK_RUNS + "), short tests (at most "
            + Suite.QUICK_STEPS + " steps), a narrow starting grid: checks the suite end to end in minutes.")
    boolean quick;

    @Option(names = "--tests", split = ",", paramLabel = "TEST",
            description = "Tests to run, by name or prefix with * (e.g. mnist-layers-*); default: all. See --list.")
    List<String> tests;

    @Option(names = "--list", description = "List the tests and exit.")
    boolean list;

    @Option(names = "--estimate", description = "Time a few steps of Adam and RNNprop on each selected test and "
            + "print what its runs would cost (CPU hours, with the run counts this command line gives), then exit.")
    boolean estimate;

    @Option(names = "--runs", paramLabel = "N", description = "Comparison runs per test (default: each test's own).")
    Integer runs;

    @Option(names = "--tune-runs", paramLabel = "N",
            description = "Tuning runs per learning rate (default: each test's own).")
    Integer tuneRuns;

    @Option(names = "--steps", paramLabel = "N", description = "Cap on steps per run (default: each test's own).")
    Integer steps;

    @Option(names = "--threads", paramLabel = "N",
            description = "Worker threads, one run at a time each (default: the number of processors, "
                    + "${DEFAULT-VALUE}).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--weights", paramLabel = "ROLE=NAME_OR_FILE", description = "Weights of a learned role "
            + "(rnnprop, dm-optimizer, rnnprop-no-scaling, rnnprop-no-convex, dm-optimizer-with-tricks): a shipped "
            + "name or a weight file. Default: the shipped file of the role's recipe (rnnprop-metalr1e-3, "
            + "dm-optimizer-paper, ...), whatever the plugins' default; for rnnprop and dm-optimizer, the -untrained "
            + "one while no trained file ships.")
    Map<String, String> weights = new LinkedHashMap<>();

    @Option(names = "--alpha-scale", paramLabel = "ROLE=FACTOR", description = "Multiplies a learned role's "
            + "alpha: RNNprop's step bound, as optAlphaScale (DJL) and withAlphaScale (DL4J) do. Results of scaled "
            + "weights are cached apart from the unscaled ones'.")
    Map<String, Double> alphaScales = new LinkedHashMap<>();

    @Option(names = "--candidate", paramLabel = "NAME=NAME_OR_FILE", description = "Other weights (a shipped name "
            + "or a weight file, e.g. a new meta-training run's export) to compare on every selected test beside the "
            + "roles, under NAME: with RNNprop, RNNprop cosine and the best tuned baseline in the report's own table. "
            + "Repeatable.")
    Map<String, String> candidates = new LinkedHashMap<>();

    @Option(names = "--mnist", paramLabel = "DIR", description = "MNIST folder (default: where scripts/fetch-mnist.sh "
            + "puts it).")
    Path mnist;

    @Option(names = "--cifar", paramLabel = "DIR", description = "CIFAR-10 binary version (data_batch_*.bin) "
            + "(default: the data folder's cifar10, $RNNPROP_DATA/cifar10 or ~/.cache/rnnprop/cifar10; if it does "
            + "not exist, the CIFAR test is reported as skipped).")
    Path cifar;

    @Option(names = "--runs-dir", paramLabel = "DIR", defaultValue = "runs/v2",
            description = "Meta-training runs, for the convex-term control experiment (default: ${DEFAULT-VALUE}).")
    Path runsDir;

    @Option(names = "--run-suffix", paramLabel = "SUFFIX", defaultValue = "-lr1e-3",
            description = "Suffix of the run folders after the recipe name (default: ${DEFAULT-VALUE}, i.e. "
                    + "runs/v2/rnnprop-lr1e-3 and runs/v2/rnnprop-no-convex-lr1e-3: the meta-training runs of the "
                    + "shipped rnnprop weights, meta-learning rate 1e-3, and of its ablation). Pass --run-suffix= for "
                    + "runs named after the recipe alone.")
    String runSuffix;

    @Option(names = "--work", paramLabel = "DIR", description = "Result cache (default: runs/evaluation/full, or "
            + "runs/evaluation/quick with --quick).")
    Path work;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "docs/results",
            description = "CSV files and figures (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--report", paramLabel = "FILE", defaultValue = "docs/RESULTS.md",
            description = "The Markdown report (default: ${DEFAULT-VALUE}).")
    Path report;

    @Option(names = "--no-progress", description = "No progress bars.")
    boolean noProgress;

    @Option(names = "--learned-only", description = "Run only the learned optimizers (the roles, RNNprop cosine, "
            + "the candidates) and Adam 1e-3 on the comparison seeds, without tuning the baselines: a head-to-head "
            + "of weights at a fraction of the cost, whose runs a full run later reuses from the cache. Needs "
            + "--report and --out, so that it does not replace the full report.")
    boolean learnedOnly;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final PrintStream stdout;
    private final String[] args;

    EvaluateCli(PrintStream stdout, String[] args) {
        this.stdout = stdout;
        this.args = args;
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(run(System.out, args));
    }

    /** Runs the command line; returns its exit status. */
    public static int run(PrintStream stdout, String... args) {
        return new CommandLine(new EvaluateCli(stdout, args)).execute(args);
    }

    @Override
    public Integer call() throws IOException {
        if (list) {
            for (Experiment e : Experiments.all()) {
                stdout.printf(Locale.ROOT, "%-26s %s (runs %d, tuning runs %d)%n", e.id(), e.title(), e.runs(),
                        e.tuneRuns());
            }
            return 0;
        }
        if (threads < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--threads must be at least 1");
        }
        CommandLine.ParseResult given = spec.commandLine().getParseResult();
        if (learnedOnly && !estimate && (!given.hasMatchedOption("--report") || !given.hasMatchedOption("--out"))) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--learned-only writes a report "
                    + "without the tuned baselines: pass --report and --out, so that it does not replace "
                    + "docs/RESULTS.md and docs/results");
        }
        long t0 = System.nanoTime();
        List<Experiment> selected = tests == null ? Experiments.all() : Experiments.select(tests);
        LearnedWeights learned = LearnedWeights.resolve(weights, alphaScales).withCandidates(candidates)
                .withShippedDefault(Pretrained.DEFAULT_RNNPROP);
        Path workDir = work != null ? work : Path.of("runs", "evaluation", quick ? "quick" : "full");
        Suite.Settings settings = new Suite.Settings(quick, runs, tuneRuns, steps, threads, workDir,
                mnist != null ? mnist : Mnist.defaultDirectory(), cifar, learned.weights(), learned.missing(),
                !noProgress, learned.candidateWeights(), learnedOnly);
        learned.chosen().forEach((role, c) -> stdout.println(role.label() + ": " + c.source()
                + (c.trained() ? "" : " (UNTRAINED)")));
        learned.missing().forEach((role, why) -> stdout.println(role.label() + ": skipped, " + why));
        learned.candidates().forEach((name, c) -> stdout.println("candidate " + name + ": " + c.source()
                + (c.trained() ? "" : " (UNTRAINED)")));

        if (estimate) {
            return estimate(settings, selected);
        }
        List<ExperimentResult> results;
        try (Suite suite = new Suite(settings, System.err)) {
            results = runAll(suite, selected, stdout, System.err);
        }
        Map<String, ExperimentResult> byId = new LinkedHashMap<>();
        results.forEach(r -> byId.put(r.experiment().id(), r));
        TrainingLogs.Comparison convex = TrainingLogs.read(runsDir, runSuffix);
        List<Claims.Claim> claims = Claims.evaluate(byId, convex);
        double wall = (System.nanoTime() - t0) / 1e9;
        Report.RunInfo info = new Report.RunInfo("scripts/evaluate.sh " + String.join(" ", args), quick, threads,
                wall, ZonedDateTime.now().truncatedTo(ChronoUnit.SECONDS)
                        .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME), CodeVersion.current(), learned, runsDir,
                learnedOnly);
        List<String> figures = Report.write(report, out, info, results, convex, claims);
        for (Claims.Claim c : claims) {
            stdout.printf(Locale.ROOT, "claim %2d: %s%n", c.number(), c.status().text());
        }
        stdout.printf(Locale.ROOT, "wrote %s, CSV files and %d figures in %s (wall time %s)%n", report,
                figures.size(), out, Report.duration(wall));
        return exitStatus(results, System.err);
    }

    /** Prints the cost of each selected test and of all together. */
    private int estimate(Suite.Settings settings, List<Experiment> selected) throws IOException {
        stdout.println(CostEstimate.HEADER);
        double total = 0;
        try (Suite suite = new Suite(settings, System.err)) {
            for (Experiment e : selected) {
                java.util.Optional<CostEstimate> c = suite.estimate(e);
                stdout.println(c.map(x -> x.row(settings)).orElse(e.id() + ": no estimate (data or RNNprop weights "
                        + "missing)"));
                total += c.map(CostEstimate::total).orElse(0.0);
            }
        }
        stdout.printf(Locale.ROOT, "all: %.1f CPU hours, about %.1f hours of wall time on %d threads (CPU seconds "
                + "of this machine now; tuning assumes each grid widens by %d points)%n", total / 3600,
                total / 3600 / threads, threads, CostEstimate.ASSUMED_WIDENING);
        return 0;
    }

    /**
     * 0 if no test failed; otherwise 1, after saying which failed. A test that failed is no skipped test: the
     * report's verdicts miss its numbers, so the run must not pass for a complete one.
     */
    static int exitStatus(List<ExperimentResult> results, PrintStream stderr) {
        List<String> failed = results.stream().filter(ExperimentResult::failed).map(r -> r.experiment().id())
                .toList();
        if (failed.isEmpty()) {
            return 0;
        }
        stderr.println("FAILED: " + failed.size() + " test" + (failed.size() == 1 ? "" : "s") + " stopped with an "
                + "error (stack traces above): " + String.join(", ", failed) + "; the report lists "
                + (failed.size() == 1 ? "it" : "them") + " as failed and its claims lack their numbers");
        return 1;
    }

    /**
     * Runs each test in turn. A test that fails is recorded as failed ({@link ExperimentResult#failed}), its stack
     * trace goes to {@code stderr}, and the next test runs: one broken test must not cost the others' report; the
     * command then exits with status 1 ({@link #exitStatus}).
     */
    static List<ExperimentResult> runAll(Suite suite, List<Experiment> selected, PrintStream stdout,
            PrintStream stderr) {
        List<ExperimentResult> results = new ArrayList<>();
        for (Experiment e : selected) {
            ExperimentResult r;
            try {
                r = suite.run(e);
            } catch (IOException | RuntimeException ex) {
                stderr.println(e.id() + " failed:");
                ex.printStackTrace(stderr);
                r = ExperimentResult.failed(e, suite.settings().stepsOf(e), ex);
            }
            results.add(r);
            stdout.println(oneLine(r));
        }
        return results;
    }

    private static String oneLine(ExperimentResult r) {
        String id = r.experiment().id();
        if (r.failed()) {
            return id + ": FAILED (" + r.skipped().substring(ExperimentResult.FAILED.length()) + ")";
        }
        if (!r.ran()) {
            return id + ": skipped (" + r.skipped() + ")";
        }
        StringBuilder sb = new StringBuilder(id).append(':');
        r.learned(LearnedRole.RNNPROP).ifPresent(l -> sb.append(" RNNprop ").append(Claims.meanSe(l)).append(','));
        r.bestTuned().ifPresent(b -> sb.append(" best tuned ").append(b.label()).append(' ')
                .append(Claims.meanSe(b)).append(','));
        r.learned(LearnedRole.RNNPROP).ifPresent(l -> sb.append(" RNNprop speed-up ").append(r.speedUp(l).format())
                .append(','));
        r.cosine().ifPresent(c -> sb.append(' ').append(c.label()).append(' ').append(Claims.meanSe(c)).append(','));
        return sb.append(String.format(Locale.ROOT, " %d steps x %d runs (%d rollouts computed, %d cached)",
                r.steps(), r.runs(), r.computedRuns(), r.cachedRuns())).toString();
    }
}
