package org.rnnprop.evaluation;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.datasets.Cifar10;
import org.rnnprop.datasets.LabeledImages;
import org.rnnprop.datasets.Mnist;
import org.rnnprop.tasks.ImageClassifier;
import org.rnnprop.tasks.Task;
import org.rnnprop.tasks.optim.FlatOptimizer;
import org.rnnprop.tasks.optim.PairedRollout;
import org.rnnprop.tasks.optim.Rollout;

/**
 * Runs tests: tunes each baseline's learning rate on the tuning runs, then runs the comparison (tuned
 * baselines, Adam 1e-3, learned optimizers) on the comparison runs. Every optimizer of one run sees the same
 * initial parameters and minibatches, stepped side by side ({@link PairedRollout}); runs are spread over a
 * pool of threads; finished runs go to a {@link ResultCache} so a stopped suite resumes.
 */
public final class Suite implements AutoCloseable {
    /** Tuning run i uses this plus i, so tuning never sees a comparison run. */
    public static final long TUNING_SEED_BASE = 1_000_000L;
    /**
     * Comparison run i uses this plus i: far from meta-training's small seeds (whose streams seeds 0.. would
     * share) and from the tuning seeds.
     */
    public static final long COMPARISON_SEED_BASE = 10_000_000L;
    /**
     * Version of the suite's results, part of every result cache's version line: bump it whenever a change
     * would change any result (seeds, metric, rollouts, baselines), so old rows are run again, not reused.
     */
    public static final int CACHE_VERSION = 2;
    /** Curves keep at most this many points (window means), so long tests stay small in the cache. */
    public static final int CURVE_POINTS = 500;

    /**
     * How to run.
     *
     * @param quick few runs, short tests, a narrow starting grid
     * @param runs comparison runs per test, or null for each test's own count
     * @param tuneRuns runs per grid point, or null for each test's own count
     * @param steps steps per run, or null for each test's own (quick mode: at most {@link #QUICK_STEPS})
     * @param threads worker threads
     * @param work folder of the result caches
     * @param mnist MNIST folder
     * @param cifar CIFAR-10 folder, or null for {@link Cifar10#defaultDirectory()}
     * @param weights the learned optimizers available, by role
     * @param missingWeights why the other roles are not available
     * @param progress whether to draw progress bars
     * @param candidates other weights to compare on every test beside the roles, by name, in order
     * @param learnedOnly run only the learned optimizers and Adam 1e-3, none of the tuned baselines: a head-to-head
     *     of weights at a fraction of the cost, whose rows a later full run reuses
     */
    public record Settings(boolean quick, Integer runs, Integer tuneRuns, Integer steps, int threads, Path work,
            Path mnist, Path cifar, Map<LearnedRole, OptimizerWeights> weights,
            Map<LearnedRole, String> missingWeights, boolean progress, Map<String, OptimizerWeights> candidates,
            boolean learnedOnly) {

        /** Settings without candidate weights, tuning the baselines. */
        public Settings(boolean quick, Integer runs, Integer tuneRuns, Integer steps, int threads, Path work,
                Path mnist, Path cifar, Map<LearnedRole, OptimizerWeights> weights,
                Map<LearnedRole, String> missingWeights, boolean progress) {
            this(quick, runs, tuneRuns, steps, threads, work, mnist, cifar, weights, missingWeights, progress,
                    Map.of(), false);
        }

        /** The baselines a test tunes and runs: all of them, none with {@link #learnedOnly}. */
        public List<Baseline> tunedBaselines() {
            return learnedOnly ? List.of() : List.of(Baseline.values());
        }

        /** Steps per run of a test. */
        public int stepsOf(Experiment e) {
            return steps != null ? Math.min(steps, e.steps()) : quick ? Math.min(QUICK_STEPS, e.steps()) : e.steps();
        }

        /** Comparison runs of a test. */
        public int runsOf(Experiment e) {
            return runs != null ? runs : quick ? QUICK_RUNS : e.runs();
        }

        /** Tuning runs per learning rate of a test. */
        public int tuneRunsOf(Experiment e) {
            return tuneRuns != null ? tuneRuns : quick ? QUICK_TUNE_RUNS : e.tuneRuns();
        }

        /** Half-width of a test's starting grid, in grid points. */
        public int startHalfWidth(Experiment e) {
            return quick ? 1 : e.protocol().tuneHalfWidth();
        }

        /** Test-set examples a test's accuracy is measured on: all of them, or the first 1,000 in quick mode. */
        public int testExamples() {
            return quick ? QUICK_TEST_EXAMPLES : Mnist.TEST_SIZE;
        }
    }

    /** Quick mode: steps per run at most. */
    public static final int QUICK_STEPS = 20;
    /** Quick mode: comparison runs. */
    public static final int QUICK_RUNS = 2;
    /** Quick mode: tuning runs per learning rate. */
    public static final int QUICK_TUNE_RUNS = 1;
    /** Quick mode: test-set examples for a test's accuracy. */
    public static final int QUICK_TEST_EXAMPLES = 1_000;

    private final Settings settings;
    private final PrintStream log;
    private final ExecutorService pool;
    private final Map<Experiment.Dataset, LabeledImages> data = new EnumMap<>(Experiment.Dataset.class);
    private final Map<Experiment.Dataset, String> dataErrors = new EnumMap<>(Experiment.Dataset.class);
    private LabeledImages mnistTest;

    /**
     * @param settings how to run
     * @param log where progress bars and data warnings go
     */
    public Suite(Settings settings, PrintStream log) {
        this.settings = settings;
        this.log = log;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(settings.threads(), r -> {
            Thread t = new Thread(r, "evaluation-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    /** How this suite runs. */
    public Settings settings() {
        return settings;
    }

    /** Runs one test (or reports why it cannot run). */
    public ExperimentResult run(Experiment e) throws IOException {
        int steps = settings.stepsOf(e);
        LabeledImages images = null;
        if (e.dataset() != Experiment.Dataset.NONE) {
            images = data(e.dataset());
            if (images == null) {
                return ExperimentResult.skipped(e, steps, dataErrors.get(e.dataset()));
            }
        }
        LabeledImages test = null;
        if (e.protocol().testAccuracy()) {
            test = mnistTest();
            if (test == null) {
                return ExperimentResult.skipped(e, steps, dataErrors.get(Experiment.Dataset.MNIST));
            }
        }
        int[] computed = new int[1];
        try (NDManager manager = NDManager.newBaseManager();
                ProgressBar bar = progressBar(e)) {
            Task task = e.factory().create(images, manager);
            PairedRollout.FinalMetric accuracy = null;
            if (test != null) {
                if (!(task instanceof ImageClassifier classifier)) {
                    throw new IllegalStateException(e.id() + " measures test accuracy, but its optimizee "
                            + task.getClass().getSimpleName() + " is no image classifier");
                }
                LabeledImages examples = test;
                accuracy = theta -> classifier.accuracy(theta, examples);
            }
            ResultCache cache = ResultCache.open(settings.work().resolve(e.id() + ".csv"),
                    cacheVersion(e, task, images, test));
            if (cache.staleRows() > 0) {
                log.println(e.id() + ": dropping the " + cache.staleRows() + " rows of " + cache.file()
                        + ", computed by another suite version or test definition (version " + cache.staleVersion()
                        + ")");
            }
            if (cache.damage() != null) {
                log.println(e.id() + ": WARNING: " + cache.damage().describe(cache.file()));
            }
            Runner runner = new Runner(task, steps, cache, bar, computed, accuracy);

            // Tuning: widen each baseline's grid until its best rate is inside it.
            long[] tuneSeeds = seeds(TUNING_SEED_BASE, settings.tuneRunsOf(e));
            Map<Baseline, SortedSet<Integer>> grid = new EnumMap<>(Baseline.class);
            for (Baseline b : settings.tunedBaselines()) {
                int centre = b == e.paperBest() ? e.paperBestHalfExponent() : b.startHalfExponent();
                grid.put(b, LrGrid.window(centre, settings.startHalfWidth(e)));
            }
            Map<Baseline, SortedMap<Integer, Double>> scores;
            while (true) {
                List<Contender> points = new ArrayList<>();
                grid.forEach((b, ks) -> ks.forEach(k -> points.add(Contender.baseline(b, k))));
                runner.run(points, tuneSeeds, false);
                scores = scores(grid, cache, tuneSeeds, steps);
                boolean widened = false;
                for (Baseline b : grid.keySet()) {
                    OptionalInt next = LrGrid.extension(scores.get(b));
                    if (next.isPresent()) {
                        grid.get(b).add(next.getAsInt());
                        widened = true;
                    }
                }
                if (!widened) {
                    break;
                }
            }

            // Comparison at the tuned rates, with the full run count.
            List<Contender> field = new ArrayList<>();
            Map<String, LearnedRole> roles = new TreeMap<>();
            for (Baseline b : grid.keySet()) {
                field.add(Contender.baseline(b, LrGrid.best(scores.get(b)).orElse(grid.get(b).first())));
            }
            field.add(Contender.adamDefault());
            field.addAll(learnedContenders(e, steps, roles));
            long[] seeds = seeds(COMPARISON_SEED_BASE, settings.runsOf(e));
            runner.run(field, seeds, true);

            List<ExperimentResult.ContenderResult> results = new ArrayList<>();
            for (Contender c : field) {
                results.add(collect(c, roles.get(c.key()), cache, seeds, steps));
            }
            Map<Baseline, List<ExperimentResult.GridPoint>> grids = new EnumMap<>(Baseline.class);
            grid.forEach((b, ks) -> grids.put(b, ks.stream()
                    .map(k -> gridPoint(b, k, cache, tuneSeeds, steps)).toList()));
            int used = grid.values().stream().mapToInt(SortedSet::size).sum() * tuneSeeds.length
                    + field.size() * seeds.length;
            // Only the rows behind this result: not other seeds, step counts or weights the file also holds.
            List<Contender> points = new ArrayList<>();
            grid.forEach((b, ks) -> ks.forEach(k -> points.add(Contender.baseline(b, k))));
            double seconds = seconds(cache, points, tuneSeeds, steps) + seconds(cache, field, seeds, steps);
            return new ExperimentResult(e, steps, seeds.length, tuneSeeds.length, null, results, grids, computed[0],
                    used - computed[0], seconds);
        }
    }

    /**
     * The learned optimizers of a test's comparison runs: the roles that run on it, RNNprop's cosine row where
     * the test has one, the candidates; {@code roles} receives the role of each role's key.
     */
    private List<Contender> learnedContenders(Experiment e, int steps, Map<String, LearnedRole> roles) {
        List<Contender> out = new ArrayList<>();
        for (LearnedRole role : LearnedRole.values()) {
            OptimizerWeights w = settings.weights().get(role);
            boolean runs = role == LearnedRole.DM_OPTIMIZER ? e.protocol().dmOptimizer() : role.main();
            if (w != null && (runs || e.hostsControl())) {
                Contender c = Contender.learned(role, w);
                out.add(c);
                roles.put(c.key(), role);
            }
        }
        OptimizerWeights rnnprop = settings.weights().get(LearnedRole.RNNPROP);
        if (e.protocol().cosine() && rnnprop != null) {
            out.add(Contender.learnedCosine(LearnedRole.RNNPROP, rnnprop, steps));
        }
        settings.candidates().forEach((name, w) -> out.add(Contender.candidate(name, w)));
        return out;
    }

    /**
     * What a test would cost ({@link CostEstimate}), from a few timed steps; empty when its data is missing or
     * no RNNprop weights are available to time.
     */
    public Optional<CostEstimate> estimate(Experiment e) throws IOException {
        OptimizerWeights rnnprop = settings.weights().get(LearnedRole.RNNPROP);
        LabeledImages images = e.dataset() == Experiment.Dataset.NONE ? null : data(e.dataset());
        LabeledImages test = e.protocol().testAccuracy() ? mnistTest() : null;
        if (rnnprop == null || e.dataset() != Experiment.Dataset.NONE && images == null
                || e.protocol().testAccuracy() && test == null) {
            return Optional.empty();
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            Task task = e.factory().create(images, manager);
            int learned = learnedContenders(e, settings.stepsOf(e), new TreeMap<>()).size();
            return Optional.of(CostEstimate.measure(e, settings, task, test, learned, rnnprop));
        }
    }

    /** Runs the missing (contender, seed) pairs: one lockstep group per seed, groups spread over the pool. */
    private final class Runner {
        private final Task task;
        private final int steps;
        private final ResultCache cache;
        private final ProgressBar bar;
        private final int[] computed;
        private final PairedRollout.FinalMetric accuracy;
        private final AtomicBoolean failed = new AtomicBoolean();

        /** @param accuracy the test-set accuracy measured at the end of comparison runs, or null */
        Runner(Task task, int steps, ResultCache cache, ProgressBar bar, int[] computed,
                PairedRollout.FinalMetric accuracy) {
            this.task = task;
            this.steps = steps;
            this.cache = cache;
            this.bar = bar;
            this.computed = computed;
            this.accuracy = accuracy;
        }

        void run(List<Contender> contenders, long[] seeds, boolean keepCurves) throws IOException {
            List<Future<?>> futures = new ArrayList<>();
            long units = 0;
            for (long seed : seeds) {
                List<Contender> missing = contenders.stream()
                        .filter(c -> cache.get(c.key(), seed, steps).isEmpty()).toList();
                if (missing.isEmpty()) {
                    continue;
                }
                units += PairedRollout.units(missing.size(), steps);
                computed[0] += missing.size();
                futures.add(pool.submit(() -> {
                    if (!failed.get()) { // after a failure, queued groups end at once
                        group(missing, seed, keepCurves);
                    }
                }));
            }
            if (bar != null) {
                bar.maxHint(bar.getMax() + units);
            }
            // Wait for every group, even after a failure: none may outlive the task, whose data is freed next.
            Throwable first = null;
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    failed.set(true);
                    throw new IOException("interrupted", ex);
                } catch (ExecutionException ex) {
                    failed.set(true);
                    first = first == null ? ex.getCause() : first;
                }
            }
            if (first != null) {
                throw new IllegalStateException("a run failed: " + first, first);
            }
        }

        private void group(List<Contender> contenders, long seed, boolean keepCurves) {
            List<FlatOptimizer> opts = contenders.stream().map(c -> c.factory().get()).toList();
            long t0 = System.nanoTime();
            List<Rollout.Result> rs;
            try (NDManager m = NDManager.newBaseManager()) {
                // Only comparison runs (those that keep curves) are scored on the test set: tuning looks at the
                // training loss alone.
                rs = PairedRollout.run(task, opts, seed, steps, m, bar == null ? null : bar::stepBy,
                        keepCurves ? accuracy : null);
            }
            double seconds = (System.nanoTime() - t0) / 1e9 / contenders.size();
            int window = Curves.window(steps, CURVE_POINTS);
            List<ResultCache.Entry> entries = new ArrayList<>();
            for (int i = 0; i < contenders.size(); i++) {
                Rollout.Result r = rs.get(i);
                float[] curve = keepCurves ? Curves.windowMeans(r.losses(), window) : new float[0];
                entries.add(new ResultCache.Entry(contenders.get(i).key(), seed, steps, r.finalLoss(), seconds,
                        window, curve, r.metric()));
            }
            cache.putAll(entries);
        }
    }

    /**
     * What the results of a test depend on besides the cache keys (contender, seed, steps): the suite version,
     * the test's definition (optimizee and its size, batch, steps, data) and the curve resolution; for a test
     * beyond the paper also its protocol's details and test set. Its hash is the version line of the test's
     * result cache.
     */
    static String definition(Experiment e, Task task, LabeledImages data, LabeledImages test) {
        String d = data == null ? "none" : String.format(Locale.ROOT, "%s %d examples of %dx%dx%d, %d classes, "
                + "fingerprint %s", e.dataset(), data.numExamples(), data.channels(), data.height(), data.width(),
                data.numClasses(), fingerprint(data));
        return String.format(Locale.ROOT, "suite %d; test %s: %s; group %s; steps %d; depth %d; hidden %d; batch %d; "
                + "optimizee %s with %d parameters; data %s; curve points %d; seeds %d+i (tuning), %d+i (comparison)",
                CACHE_VERSION, e.id(), e.title(), e.group(), e.steps(), e.depth(), Experiments.HIDDEN,
                Experiments.BATCH, task.getClass().getSimpleName(), task.dimension(), d, CURVE_POINTS,
                TUNING_SEED_BASE, COMPARISON_SEED_BASE) + beyondThePaper(e, test);
    }

    /** The paper's tests: nothing, so their cache versions stay as before these additions. */
    private static String beyondThePaper(Experiment e, LabeledImages test) {
        String details = e.protocol().details().isEmpty() ? "" : "; " + e.protocol().details();
        return test == null ? details : details + String.format(Locale.ROOT, "; test accuracy on %d examples, "
                + "fingerprint %s", test.numExamples(), fingerprint(test));
    }

    /** {@link #definition(Experiment, Task, LabeledImages, LabeledImages)} of a test without a test set. */
    static String definition(Experiment e, Task task, LabeledImages data) {
        return definition(e, task, data, null);
    }

    /** A cheap checksum of a data set: every label and every 1,009th pixel value (other data, other results). */
    static String fingerprint(LabeledImages data) {
        StringBuilder sb = new StringBuilder();
        for (int y : data.labels()) {
            sb.append((char) ('0' + y));
        }
        float[] x = data.images();
        for (int i = 0; i < x.length; i += 1009) {
            sb.append(' ').append(Float.floatToRawIntBits(x[i]));
        }
        return Contender.sha256(sb.toString()).substring(0, 16);
    }

    /** The version line of a test's result cache: 16 hex digits of the SHA-256 of its {@link #definition}. */
    static String cacheVersion(Experiment e, Task task, LabeledImages data, LabeledImages test) {
        return Contender.sha256(definition(e, task, data, test)).substring(0, 16);
    }

    /** {@link #cacheVersion(Experiment, Task, LabeledImages, LabeledImages)} of a test without a test set. */
    static String cacheVersion(Experiment e, Task task, LabeledImages data) {
        return cacheVersion(e, task, data, null);
    }

    private static double seconds(ResultCache cache, List<Contender> contenders, long[] seeds, int steps) {
        double s = 0;
        for (Contender c : contenders) {
            for (long seed : seeds) {
                s += cache.get(c.key(), seed, steps).map(ResultCache.Entry::seconds).orElse(0.0);
            }
        }
        return s;
    }

    private static ExperimentResult.ContenderResult collect(Contender c, LearnedRole role, ResultCache cache,
            long[] seeds, int steps) {
        double[] finals = new double[seeds.length];
        double[] accuracies = new double[seeds.length];
        List<float[]> curves = new ArrayList<>();
        int window = Curves.window(steps, CURVE_POINTS);
        for (int i = 0; i < seeds.length; i++) {
            ResultCache.Entry entry = cache.get(c.key(), seeds[i], steps).orElseThrow();
            finals[i] = entry.finalLoss();
            accuracies[i] = entry.testAccuracy();
            curves.add(entry.curve());
        }
        return new ExperimentResult.ContenderResult(c, role, finals, Curves.mean(curves), window, accuracies);
    }

    private static ExperimentResult.GridPoint gridPoint(Baseline b, int k, ResultCache cache, long[] seeds, int steps) {
        double[] finals = new double[seeds.length];
        for (int i = 0; i < seeds.length; i++) {
            finals[i] = cache.get(Contender.baseline(b, k).key(), seeds[i], steps).orElseThrow().finalLoss();
        }
        return new ExperimentResult.GridPoint(k, Stats.mean(finals), seeds.length, Stats.nonFinite(finals));
    }

    private static Map<Baseline, SortedMap<Integer, Double>> scores(Map<Baseline, SortedSet<Integer>> grid,
            ResultCache cache, long[] seeds, int steps) {
        Map<Baseline, SortedMap<Integer, Double>> out = new EnumMap<>(Baseline.class);
        grid.forEach((b, ks) -> {
            SortedMap<Integer, Double> s = new TreeMap<>();
            ks.forEach(k -> s.put(k, gridPoint(b, k, cache, seeds, steps).score()));
            out.put(b, s);
        });
        return out;
    }

    private static long[] seeds(long base, int n) {
        long[] s = new long[n];
        for (int i = 0; i < n; i++) {
            s[i] = base + i;
        }
        return s;
    }

    private ProgressBar progressBar(Experiment e) {
        if (!settings.progress()) {
            return null;
        }
        // On a terminal the bar redraws in place; into a file or a pipe, a line every 10 seconds.
        boolean terminal = System.console() != null;
        return new ProgressBarBuilder().setTaskName(e.id()).setInitialMax(0).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(terminal ? 500 : 10_000).showSpeed().setUnit(" opt-steps", 1)
                .setConsumer(terminal ? new ConsoleProgressBarConsumer(log, 110)
                        : new DelegatingProgressBarConsumer(log::println, 110))
                .build();
    }

    /** Where CIFAR-10 is read from: the folder given, else the loader's own, where a user may have put it. */
    static Path cifarDirectory(Path given) {
        return given != null ? given : Cifar10.defaultDirectory();
    }

    /**
     * The MNIST test set (its first {@link Settings#testExamples()} examples), loaded once; null (with the
     * reason kept under MNIST) when it is not available.
     */
    private synchronized LabeledImages mnistTest() {
        if (mnistTest == null && !dataErrors.containsKey(Experiment.Dataset.MNIST)) {
            try {
                if (!Mnist.isPresent(settings.mnist())) {
                    throw new IOException("MNIST not found in " + settings.mnist()
                            + "; run scripts/fetch-mnist.sh or pass --mnist DIR");
                }
                mnistTest = Mnist.load(settings.mnist(), Mnist.Split.TEST).subset(0, settings.testExamples());
            } catch (IOException ex) {
                dataErrors.put(Experiment.Dataset.MNIST, ex.getMessage());
                log.println("skipping tests on MNIST: " + ex.getMessage());
            }
        }
        return mnistTest;
    }

    /** The data of a test, loaded once; null (with the reason kept) when it is not available. */
    private LabeledImages data(Experiment.Dataset d) {
        if (data.containsKey(d) || dataErrors.containsKey(d)) {
            return data.get(d);
        }
        try {
            switch (d) {
                case MNIST -> {
                    if (!Mnist.isPresent(settings.mnist())) {
                        throw new IOException("MNIST not found in " + settings.mnist()
                                + "; run scripts/fetch-mnist.sh or pass --mnist DIR");
                    }
                    data.put(d, Mnist.load(settings.mnist(), Mnist.Split.TRAIN));
                }
                case CIFAR10 -> {
                    Path dir = cifarDirectory(settings.cifar());
                    if (!Files.isDirectory(dir)) {
                        throw new IOException("CIFAR-10 not found in " + dir + ": pass --cifar DIR (a folder with "
                                + "the binary version's data_batch_*.bin, which cannot be downloaded here)");
                    }
                    data.put(d, Cifar10.load(dir, Cifar10.Split.TRAIN));
                }
                case NONE -> throw new IllegalArgumentException("no data to load");
            }
        } catch (IOException ex) {
            dataErrors.put(d, ex.getMessage());
            log.println("skipping tests on " + d + ": " + ex.getMessage());
        }
        return data.get(d);
    }
}
