package org.rnnprop.evaluation;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.rnnprop.core.FastStep;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.StepKernel;
import org.rnnprop.core.StepKernels;
import org.rnnprop.core.internal.AtomicFiles;
import org.rnnprop.datasets.LabeledImages;
import org.rnnprop.datasets.Mnist;
import org.rnnprop.tasks.Task;
import org.rnnprop.tasks.optim.PairedRollout;
import org.rnnprop.tasks.optim.Rollout;

/**
 * Training under 16-bit (or simulated 8-bit) optimizer state against float32 state: each test's runs train the
 * same optimizee from the same initial parameters on the same minibatches (paired seeds 1..N) once per state
 * format ({@link StateFormat}), stepping side by side ({@link PairedRollout}), with the shipped RNNprop through
 * the core's kernels ({@link KernelOptimizer}). Reported: each format's mean final loss and its paired
 * difference from float32 with standard error, the loss curves (CSV and PNG), bytes of state per parameter, and
 * the kernel's throughput.
 */
final class StatePrecisionCheck {
    /** Points per curve in the CSV and the figure. */
    static final int CURVE_POINTS = 200;

    /**
     * What to run.
     *
     * @param tests the tests (MNIST or no data)
     * @param runs runs per test, or 0 for each test's own comparison-run count
     * @param steps cap on steps per run, or 0 for each test's own
     * @param precisions the state formats compared, float32 first
     * @param weights the optimizer, and {@code weightsName} what it is called
     * @param mnist the MNIST folder
     * @param threads runs trained at once, one thread each
     * @param work folder of the per-test caches of finished runs ({@code TEST.csv}), so a stopped check resumes
     */
    record Settings(List<Experiment> tests, int runs, int steps, List<StateFormat> precisions,
            OptimizerWeights weights, String weightsName, Path mnist, int threads, Path work) {
        int runsOf(Experiment e) {
            return runs > 0 ? runs : e.runs();
        }

        int stepsOf(Experiment e) {
            return steps > 0 ? Math.min(steps, e.steps()) : e.steps();
        }
    }

    /**
     * One test's outcome.
     *
     * @param finalLosses per precision, per run: the mean loss of the final parameters over the run's batches
     * @param curves per precision: mean training loss over runs, in windows of {@code window} steps
     * @param throughput per precision: coordinates stepped per second of kernel time, over all runs
     */
    record TestResult(Experiment test, int steps, int runs, double[][] finalLosses, float[][] curves, int window,
            double[] throughput) {
    }

    private final Settings settings;
    private final PrintStream log;
    /** The kernel {@link KernelOptimizer} steps with, for the report and the cache's version. */
    private final String kernel;
    private LabeledImages mnist;

    StatePrecisionCheck(Settings settings, PrintStream log) {
        this.settings = settings;
        this.log = log;
        this.kernel = kernelName(settings.weights());
    }

    /** Runs every test. */
    List<TestResult> run() throws IOException {
        List<TestResult> out = new ArrayList<>();
        for (Experiment e : settings.tests()) {
            out.add(run(e));
        }
        return out;
    }

    private TestResult run(Experiment e) throws IOException {
        int steps = settings.stepsOf(e);
        int runs = settings.runsOf(e);
        int k = settings.precisions().size();
        log.printf(Locale.ROOT, "%s: %d runs of %d steps, state %s%n", e.id(), runs, steps, settings.precisions());
        double[][] finals = new double[k][runs];
        List<List<float[]>> curves = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            curves.add(new ArrayList<>());
        }
        double[] kernelSeconds = new double[k];
        double[] coordinateSteps = new double[k];
        int window = Curves.window(steps, CURVE_POINTS);
        try (NDManager manager = NDManager.newBaseManager()) {
            LabeledImages images = data(e);
            Task task = e.factory().create(images, manager);
            ResultCache cache = ResultCache.open(settings.work().resolve(e.id() + ".csv"),
                    cacheVersion(e, task, images));
            if (cache.staleRows() > 0) {
                log.println(e.id() + ": dropping the " + cache.staleRows() + " rows of " + cache.file()
                        + ", computed with other weights, kernel or test definition");
            }
            if (cache.damage() != null) {
                log.println(e.id() + ": WARNING: " + cache.damage().describe(cache.file()));
            }
            ExecutorService pool = Executors.newFixedThreadPool(settings.threads());
            try {
                List<Future<List<ResultCache.Entry>>> futures = new ArrayList<>();
                int fromCache = 0;
                for (int r = 0; r < runs; r++) {
                    long seed = r + 1;
                    List<StateFormat> missing = missing(cache, seed, steps);
                    fromCache += missing.size() < k ? 1 : 0;
                    futures.add(missing.isEmpty()
                            ? CompletableFuture.completedFuture(cached(cache, seed, steps))
                            : pool.submit(() -> {
                                train(task, seed, steps, window, missing, cache);
                                return cached(cache, seed, steps);
                            }));
                }
                for (int r = 0; r < runs; r++) {
                    List<ResultCache.Entry> rs = futures.get(r).get();
                    for (int i = 0; i < k; i++) {
                        ResultCache.Entry run = rs.get(i);
                        finals[i][r] = run.finalLoss();
                        curves.get(i).add(run.curve());
                        if (run.seconds() > 0) {
                            coordinateSteps[i] += (double) task.dimension() * steps;
                            kernelSeconds[i] += run.seconds();
                        }
                    }
                    log.printf(Locale.ROOT, "  run %d/%d: final loss %s%n", r + 1, runs, formatRow(finals, r));
                }
                if (fromCache > 0) {
                    log.printf(Locale.ROOT, "  %d of %d seeds (some or all precisions) from %s%n", fromCache, runs,
                            cache.file());
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", ex);
            } catch (ExecutionException ex) {
                throw new IllegalStateException(e.id() + ": a run failed: " + ex.getCause(), ex.getCause());
            } finally {
                pool.shutdownNow();
            }
        }
        float[][] mean = new float[k][];
        double[] throughput = new double[k];
        for (int i = 0; i < k; i++) {
            mean[i] = Curves.mean(curves.get(i));
            throughput[i] = kernelSeconds[i] == 0 ? Double.NaN : coordinateSteps[i] / kernelSeconds[i];
        }
        return new TestResult(e, steps, runs, finals, mean, window, throughput);
    }

    /**
     * Trains seed {@code seed} once per precision in {@code formats}, side by side, and records the runs in
     * {@code cache}: final loss, curve, and the kernel's own seconds in the seconds column (for the throughput).
     * Each run depends only on the seed and its format, so runs of one seed made at different times pair.
     */
    private void train(Task task, long seed, int steps, int window, List<StateFormat> formats, ResultCache cache) {
        List<KernelOptimizer> opts = new ArrayList<>();
        for (StateFormat p : formats) {
            opts.add(new KernelOptimizer(settings.weights(), p, "rnnprop-" + p.id()));
        }
        try (NDManager m = NDManager.newBaseManager()) {
            List<Rollout.Result> rs = PairedRollout.run(task, opts, seed, steps, m, null);
            List<ResultCache.Entry> out = new ArrayList<>();
            for (int i = 0; i < opts.size(); i++) {
                out.add(new ResultCache.Entry(contender(formats.get(i)), seed, steps,
                        rs.get(i).finalLoss(), opts.get(i).kernelSeconds(), window,
                        Curves.windowMeans(rs.get(i).losses(), window)));
            }
            cache.putAll(out);
        } finally {
            opts.forEach(KernelOptimizer::close);
        }
    }

    /** Seed {@code seed}'s runs under every precision from the cache, in precision order (all must be there). */
    private List<ResultCache.Entry> cached(ResultCache cache, long seed, int steps) {
        List<ResultCache.Entry> out = new ArrayList<>();
        for (StateFormat p : settings.precisions()) {
            out.add(cache.get(contender(p), seed, steps).orElseThrow());
        }
        return out;
    }

    /** The precisions whose run of seed {@code seed} the cache lacks. */
    private List<StateFormat> missing(ResultCache cache, long seed, int steps) {
        return settings.precisions().stream().filter(p -> cache.get(contender(p), seed, steps).isEmpty()).toList();
    }

    private static String contender(StateFormat p) {
        return "state-" + p.id();
    }

    /**
     * The cache's version: the suite's test definition, the weights and the kernel that steps them, so rows of
     * other weights or another kernel (whose float32 rounding differs) are not mixed in.
     */
    private String cacheVersion(Experiment e, Task task, LabeledImages images) {
        return Contender.sha256(Suite.cacheVersion(e, task, images) + "|" + settings.weights().checksum() + "|"
                + kernel).substring(0, 16);
    }

    /** The kernel {@link KernelOptimizer} steps {@code w} with: "vector kernel" or "FastStep". */
    private static String kernelName(OptimizerWeights w) {
        try (StepKernel probe = StepKernels.best(w, 1)) {
            return probe instanceof FastStep ? "FastStep" : "vector kernel";
        }
    }

    private static String formatRow(double[][] finals, int r) {
        StringBuilder sb = new StringBuilder();
        for (double[] f : finals) {
            sb.append(sb.length() == 0 ? "" : " / ").append(String.format(Locale.ROOT, "%.5f", f[r]));
        }
        return sb.toString();
    }

    private LabeledImages data(Experiment e) throws IOException {
        switch (e.dataset()) {
            case NONE:
                return null;
            case MNIST:
                if (mnist == null) {
                    if (!Mnist.isPresent(settings.mnist())) {
                        throw new IOException("MNIST not found in " + settings.mnist()
                                + "; run scripts/fetch-mnist.sh or pass --mnist DIR");
                    }
                    mnist = Mnist.load(settings.mnist(), Mnist.Split.TRAIN);
                }
                return mnist;
            default:
                throw new IllegalArgumentException(e.id() + ": this check runs tests on MNIST or without data, not "
                        + e.dataset());
        }
    }

    // ------------------------------------------------------------------------------------------------ output

    /**
     * Writes {@code TEST-final.csv}, {@code TEST-curves.csv}, {@code TEST.png} and {@code TEST-difference.png} per
     * test into {@code dir}.
     */
    void writeFiles(List<TestResult> results, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<StateFormat> ps = settings.precisions();
        for (TestResult r : results) {
            StringBuilder f = new StringBuilder("seed");
            ps.forEach(p -> f.append(',').append(p.id()));
            f.append('\n');
            for (int run = 0; run < r.runs(); run++) {
                f.append(run + 1);
                for (int i = 0; i < ps.size(); i++) {
                    f.append(',').append(r.finalLosses()[i][run]);
                }
                f.append('\n');
            }
            write(dir.resolve(r.test().id() + "-final.csv"), f.toString());
            StringBuilder c = new StringBuilder("step");
            ps.forEach(p -> c.append(',').append(p.id()));
            c.append('\n');
            for (int j = 0; j < r.curves()[0].length; j++) {
                c.append(Curves.stepOf(j, r.window()));
                for (int i = 0; i < ps.size(); i++) {
                    c.append(',').append(r.curves()[i][j]);
                }
                c.append('\n');
            }
            write(dir.resolve(r.test().id() + "-curves.csv"), c.toString());
            List<ExperimentResult.ContenderResult> lines = new ArrayList<>();
            for (int i = 0; i < ps.size(); i++) {
                Contender contender = new Contender("state-" + ps.get(i).id(), "RNNprop, " + ps.get(i).id()
                        + " state", null, 0, settings.weights(), null);
                lines.add(new ExperimentResult.ContenderResult(contender, null, r.finalLosses()[i], r.curves()[i],
                        r.window()));
            }
            Plots.curves(lines, r.test().id() + ": RNNprop by state precision (" + r.runs() + " runs)",
                    dir.resolve(r.test().id() + ".png"));
            double[] xs = new double[r.curves()[0].length];
            for (int j = 0; j < xs.length; j++) {
                xs[j] = Curves.stepOf(j, r.window());
            }
            java.util.Map<String, double[]> diffs = new java.util.LinkedHashMap<>();
            for (int i = 1; i < ps.size(); i++) {
                double[] d = new double[xs.length];
                for (int j = 0; j < xs.length; j++) {
                    d[j] = (double) r.curves()[i][j] - r.curves()[0][j];
                }
                diffs.put(ps.get(i).id() + " minus float32", d);
            }
            Plots.signed(r.test().id() + ": mean training loss minus float32 state's (" + r.runs() + " runs)",
                    "step", "loss difference", xs, diffs, dir.resolve(r.test().id() + "-difference.png"));
        }
    }

    /** The Markdown report. */
    String report(List<TestResult> results, String command, String when, String load) {
        List<StateFormat> ps = settings.precisions();
        OptimizerWeights w = settings.weights();
        boolean simulated = ps.stream().anyMatch(StateFormat::isSimulated);
        StringBuilder sb = new StringBuilder(simulated
                ? "# RNNprop with 16-bit and simulated 8-bit optimizer state: validation\n\n"
                : "# RNNprop with 16-bit optimizer state: validation\n\n");
        sb.append("From `").append(command).append("` (").append(when).append("; ")
                .append(Runtime.getRuntime().availableProcessors()).append(" processors, load average ")
                .append(load).append("). Optimizer: `").append(settings.weightsName()).append("` (")
                .append(w.checksum(), 0, 12).append("), through the core's ").append(kernel)
                .append(", one thread per run; 16-bit state through PackedStep around the same kernel. Runs are paired: seed i gives every precision "
                + "the same initial parameters and minibatches. Final loss: the mean loss of the final parameters "
                + "over the run's minibatches (the evaluation suite's metric).\n\n");
        if (simulated) {
            sb.append("int8-h and int8-hc are simulated: the same kernel on float32 state, after each step every "
                    + "coordinate's h (int8-h; c then rounded to float16) or h and c (int8-hc) rounded, per layer, "
                    + "to what a blockwise 8-bit store holds (20 values per block, absmax scale as float16, codes "
                    + "-127..127; evaluation's Int8StateStep). Their bytes are what such a store would need, and "
                    + "their throughput is the simulation's, not a store's.\n\n");
        }
        sb.append("## State per parameter\n\n| precision | bytes per parameter | DL4J floats per parameter | "
                + "largest DL4J network (parameters) |\n|---|--:|--:|--:|\n");
        for (StateFormat p : ps) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %d | %,d |%n", p.id(), p.bytesPerCoordinate(w),
                    p.slots(w), Integer.MAX_VALUE / p.slots(w)));
        }
        sb.append("\n## Final loss\n\nDifferences are paired (precision minus float32, same seed), with their "
                + "standard error and the paired t-test's p. Kernel throughput: coordinates stepped per second of "
                + "kernel time, one thread, measured during these runs on a machine that may be busy (an idle-"
                + "machine measurement is `scripts/benchmark.sh --cases fast-rnnprop-1t,packed-rnnprop-fp16-1t,"
                + "packed-rnnprop-bf16-1t`).\n");
        for (TestResult r : results) {
            sb.append(String.format(Locale.ROOT, "%n### %s: %s%n%n%d runs of %,d steps; curves: `%s-curves.csv`, "
                    + "`%s.png`, their differences from float32 `%s-difference.png`; final losses: "
                    + "`%s-final.csv`.%n%n", r.test().id(), r.test().title(), r.runs(), r.steps(), r.test().id(),
                    r.test().id(), r.test().id(), r.test().id()));
            sb.append("| state | mean final loss | minus float32 (± SE) | p | largest |difference| | "
                    + "kernel throughput (coordinates/s) |\n|---|--:|--:|--:|--:|--:|\n");
            for (int i = 0; i < ps.size(); i++) {
                double[] f = r.finalLosses()[i];
                String diff = "";
                String p = "";
                String largest = "";
                if (i > 0) {
                    Stats.Paired d = Stats.paired(f, r.finalLosses()[0]);
                    diff = String.format(Locale.ROOT, "%+.2e ± %.1e", d.meanDifference(), d.standardError());
                    p = Double.isFinite(d.p()) ? String.format(Locale.ROOT, "%.3g", d.p()) : "";
                    double max = 0;
                    for (int run = 0; run < f.length; run++) {
                        max = Math.max(max, Math.abs(f[run] - r.finalLosses()[0][run]));
                    }
                    largest = String.format(Locale.ROOT, "%.2e", max);
                }
                int diverged = Stats.nonFinite(f);
                sb.append(String.format(Locale.ROOT, "| %s | %.5f%s | %s | %s | %s | %.3g |%n", ps.get(i).id(),
                        Stats.mean(Stats.finite(f)), diverged > 0 ? " (" + diverged + " diverged)" : "", diff, p,
                        largest, r.throughput()[i]));
            }
        }
        return sb.toString();
    }

    private static void write(Path file, String text) throws IOException {
        AtomicFiles.write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }
}
