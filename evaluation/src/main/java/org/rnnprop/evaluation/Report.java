package org.rnnprop.evaluation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.rnnprop.core.internal.AtomicFiles;
import org.rnnprop.core.Provenance;
import org.rnnprop.tasks.CnnTask;

/**
 * Writes the results: {@code RESULTS.md}, CSV files and PNG figures. The Markdown links the figures relative
 * to its own folder.
 */
public final class Report {

    /**
     * How the results were produced.
     *
     * @param command the command line
     * @param quick whether this was the quick mode
     * @param threads worker threads
     * @param wallSeconds wall time of this invocation
     * @param date when it finished
     * @param codeVersion the git version of the code
     * @param weights the learned optimizers used
     * @param runsDir where meta-training logs were looked for
     * @param learnedOnly whether the baselines were left out ({@code --learned-only})
     */
    public record RunInfo(String command, boolean quick, int threads, double wallSeconds, String date,
            String codeVersion, LearnedWeights weights, Path runsDir, boolean learnedOnly) {

        /** A run that tuned and ran the baselines. */
        public RunInfo(String command, boolean quick, int threads, double wallSeconds, String date,
                String codeVersion, LearnedWeights weights, Path runsDir) {
            this(command, quick, threads, wallSeconds, date, codeVersion, weights, runsDir, false);
        }
    }

    /** Section headings, in order (tests check for them). */
    public static final List<String> SECTIONS = List.of("## Setup", "## The paper's claims", "## Every test",
            "## Spread", "## Tuned learning rates", "## Activations", "## Deeper MLPs", "## CNNs", "## LSTM",
            "## Beyond the paper", "## Control experiment", "## Learning-rate sensitivity", "## Loss curves",
            "## Skipped tests", "## Method", "## Files");

    /** A run whose final loss is above this many times its optimizer's median counts as an outlier. */
    static final double OUTLIER_FACTOR = 2;

    private static final String CONTENDER_COLUMNS = "SGD | Momentum | Adagrad | Adadelta | RMSprop | Adam | Adam 1e-3 "
            + "| DMoptimizer | RNNprop";

    private final Path reportFile;
    private final Path outDir;
    private final String link; // the figures' folder as seen from the report
    private final RunInfo info;
    private final List<ExperimentResult> results;
    private final Map<String, ExperimentResult> byId = new LinkedHashMap<>();
    private final TrainingLogs.Comparison convex;
    private final List<Claims.Claim> claims;
    private final StringBuilder md = new StringBuilder();
    private final List<String> figures = new ArrayList<>();

    private Report(Path reportFile, Path outDir, RunInfo info, List<ExperimentResult> results,
            TrainingLogs.Comparison convex, List<Claims.Claim> claims) {
        this.reportFile = reportFile.toAbsolutePath();
        this.outDir = outDir.toAbsolutePath();
        Path rel = this.reportFile.getParent().relativize(this.outDir);
        this.link = rel.toString().isEmpty() ? "" : rel.toString().replace('\\', '/') + "/";
        this.info = info;
        this.results = results;
        results.forEach(r -> byId.put(r.experiment().id(), r));
        this.convex = convex;
        this.claims = claims;
    }

    /** Writes everything; returns the figure files written. */
    public static List<String> write(Path reportFile, Path outDir, RunInfo info, List<ExperimentResult> results,
            TrainingLogs.Comparison convex, List<Claims.Claim> claims) throws IOException {
        Report r = new Report(reportFile, outDir, info, results, convex, claims);
        Files.createDirectories(r.outDir);
        r.figures();
        r.csvFiles();
        r.markdown();
        writeAtomically(r.reportFile, r.md.toString());
        return r.figures;
    }

    // ---------------------------------------------------------------- figures

    private void figures() throws IOException {
        for (ExperimentResult r : ran()) {
            String id = r.experiment().id();
            List<ExperimentResult.ContenderResult> main = r.contenders().stream()
                    .filter(c -> c.role() == null || c.role().main()).toList();
            figure(id + "-curves.png",
                    f -> Plots.curves(main, id + ", " + r.steps() + " steps: mean training loss", f));
            figure(id + "-lr.png", f -> Plots.learningRates(r, f));
        }
        List<ExperimentResult> depth = depthResults();
        if (!depth.isEmpty()) {
            figure("depth.png", f -> Plots.depth(depth, f));
        }
        ExperimentResult control = byId.get(Experiments.CONTROL);
        if (control != null && control.ran()) {
            List<ExperimentResult.ContenderResult> which = new ArrayList<>();
            control.bestTuned().ifPresent(which::add);
            control.contenders().stream().filter(c -> c.role() != null).forEach(which::add);
            figure("control-relu.png", f -> Plots.curves(which, "Control experiment: learned variants on the ReLU MLP",
                    f));
        }
        if (convex != null && (convex.with().present() || convex.without().present())) {
            figure("convex-term-training.png", f -> Plots.convex(convex, f));
        }
    }

    @FunctionalInterface
    private interface Drawing {
        boolean draw(Path file) throws IOException;
    }

    private void figure(String name, Drawing d) throws IOException {
        if (d.draw(outDir.resolve(name))) {
            figures.add(name);
        }
    }

    private boolean hasFigure(String name) {
        return figures.contains(name);
    }

    // ---------------------------------------------------------------- CSV

    private void csvFiles() throws IOException {
        List<List<Object>> status = new ArrayList<>();
        List<List<Object>> summary = new ArrayList<>();
        List<List<Object>> grid = new ArrayList<>();
        for (ExperimentResult r : results) {
            String id = r.experiment().id();
            status.add(List.of(id, r.ran() ? "ran" : r.failed() ? "failed" : "skipped", r.ran() ? "" : r.skipped(),
                    r.steps(), r.runs(), r.tuneRuns(), r.computedRuns(), r.cachedRuns(),
                    String.format(Locale.ROOT, "%.1f", r.computeSeconds())));
            if (!r.ran()) {
                continue;
            }
            Optional<ExperimentResult.ContenderResult> best = r.bestTuned();
            for (ExperimentResult.ContenderResult c : r.contenders()) {
                Stats.Paired p = best.map(b -> Stats.paired(c.finalLosses(), b.finalLosses())).orElse(null);
                SpeedUp speedUp = r.speedUp(c);
                summary.add(List.of(id, r.steps(), r.runs(), c.contender().key(), c.label(),
                        c.contender().tuned() ? Baseline.learningRate(c.contender().halfExponent()) : "",
                        c.mean(), c.standardError(), c.diverged(), p == null ? "" : p.meanDifference(),
                        p == null ? "" : p.p(), speedUp.reached() ? speedUp.ratio() : "",
                        Double.isNaN(speedUp.reverse()) ? "" : speedUp.reverse(),
                        c.hasTestAccuracy() ? Stats.mean(c.testAccuracies()) : ""));
            }
            r.grids().forEach((b, pts) -> pts.forEach(g -> grid.add(List.of(id, b.id(), g.halfExponent(),
                    Baseline.learningRate(g.halfExponent()), g.runs(), g.mean(), g.diverged()))));
            curveCsv(r);
        }
        csv("status.csv", "test,status,reason,steps,runs,tuning_runs,computed_runs,cached_runs,compute_seconds",
                status);
        csv("summary.csv", "test,steps,runs,contender,label,learning_rate,mean_final_loss,standard_error,diverged,"
                + "diff_vs_best_tuned,p_vs_best_tuned,speed_up_vs_best_tuned,speed_up_to_best_tuned_lowest_if_not_"
                + "reached,mean_test_accuracy", summary);
        csv("lr-sensitivity.csv", "test,optimizer,half_exponent,learning_rate,tuning_runs,mean_final_loss,diverged",
                grid);
        List<List<Object>> claimRows = new ArrayList<>();
        for (Claims.Claim c : claims) {
            claimRows.add(List.of(c.number(), c.status().text(), c.text(), c.evidence()));
        }
        csv("claims.csv", "claim,status,text,evidence", claimRows);
    }

    private void curveCsv(ExperimentResult r) throws IOException {
        List<ExperimentResult.ContenderResult> cs = r.contenders();
        StringBuilder header = new StringBuilder("step");
        cs.forEach(c -> header.append(',').append(quote(c.label())));
        int n = cs.stream().mapToInt(c -> c.meanCurve().length).max().orElse(0);
        int window = cs.isEmpty() ? 1 : cs.get(0).window();
        List<List<Object>> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<Object> row = new ArrayList<>();
            row.add(Curves.stepOf(i, window));
            for (ExperimentResult.ContenderResult c : cs) {
                row.add(i < c.meanCurve().length ? c.meanCurve()[i] : "");
            }
            rows.add(row);
        }
        csv("curves-" + r.experiment().id() + ".csv", header.toString(), rows);
    }

    private void csv(String name, String header, List<List<Object>> rows) throws IOException {
        StringBuilder sb = new StringBuilder(header).append('\n');
        for (List<Object> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                sb.append(i == 0 ? "" : ",").append(quote(String.valueOf(row.get(i))));
            }
            sb.append('\n');
        }
        writeAtomically(outDir.resolve(name), sb.toString());
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        AtomicFiles.write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    // ---------------------------------------------------------------- Markdown

    private void markdown() {
        md.append("# Paper reproduction results\n\n");
        md.append("Lv, Jiang, Li, *Learning Gradient Descent: Better Generalization and Longer Horizons* (ICML 2017): "
                + "every test of `docs/SPEC.md` §4 and the ten claims of §5, run by this repository's evaluation suite. "
                + "This file is generated; do not edit it by hand.\n\n");
        if (info.quick()) {
            md.append("> **QUICK MODE.** Few runs and short tests (at most ").append(Suite.QUICK_STEPS)
                    .append(" steps, ").append(Suite.QUICK_RUNS).append(" comparison runs, ")
                    .append(Suite.QUICK_TUNE_RUNS).append(" tuning run per learning rate, test accuracy on the first ")
                    .append(Suite.QUICK_TEST_EXAMPLES).append(" test images): this checks that the "
                    + "suite works end to end. The numbers and verdicts below say nothing about the paper.\n\n");
        }
        if (info.learnedOnly()) {
            md.append("> **LEARNED OPTIMIZERS ONLY** (`--learned-only`). No baseline was tuned or run, Adam 1e-3 "
                    + "aside: this compares weights with each other (\"Other weights\" below: each candidate against "
                    + "RNNprop, paired). Every column and verdict that needs a tuned baseline is empty or \"not "
                    + "run\".\n\n");
        }
        if (info.weights().anyUntrained()) {
            md.append("> **UNTRAINED WEIGHTS.** At least one learned optimizer below uses weights straight from the "
                    + "specification's initialisation (never meta-trained); see Setup. Its numbers and the verdicts "
                    + "that depend on it say nothing about the paper.\n\n");
        }
        md.append("Command: `").append(info.command()).append("`  \n");
        double threadSeconds = results.stream().mapToDouble(ExperimentResult::computeSeconds).sum();
        // A resumed run's last invocation may compute little; the thread time is what the whole run cost.
        md.append(String.format(Locale.ROOT, "Finished %s, code version `%s`. Wall time of this invocation: %s on %d "
                + "worker thread(s); the runs behind these tables took %s of thread time in all (cached runs "
                + "included), about %s of wall time on %d threads without a stop.%n%n", info.date(),
                info.codeVersion(), duration(info.wallSeconds()), info.threads(), duration(threadSeconds),
                duration(threadSeconds / info.threads()), info.threads()));
        setup();
        claimsSection();
        everyTest();
        spread();
        tunedRates();
        activations();
        depth();
        cnns();
        lstm();
        beyond();
        control();
        sensitivity();
        curves();
        skipped();
        method();
        files();
    }

    private void setup() {
        md.append("## Setup\n\n");
        md.append("Learned optimizers:\n\n| role | weights | trained | recipe | meta-training budget, iterations "
                + "| checksum |\n"
                + "|---|---|---|---|---|---|\n");
        info.weights().chosen().forEach((role, c) -> {
            Provenance p = c.weights().provenance();
            md.append("| ").append(role.label()).append(" | `").append(c.source()).append("` | ")
                    .append(c.trained() ? "yes" : "**no**").append(" | ").append(p.recipe()).append(" | ")
                    .append(budget(p)).append(" | `").append(c.weights().checksum(), 0, 12).append("` |\n");
        });
        info.weights().missing().forEach((role, why) -> md.append("| ").append(role.label())
                .append(" | not available: ").append(why).append(" | | | | |\n"));
        info.weights().candidates().forEach((name, c) -> {
            Provenance p = c.weights().provenance();
            md.append("| candidate ").append(name).append(" | `").append(c.source()).append("` | ")
                    .append(c.trained() ? "yes" : "**no**").append(" | ").append(p.recipe()).append(" | ")
                    .append(budget(p)).append(" | `").append(c.weights().checksum(), 0, 12).append("` |\n");
        });
        if (results.stream().anyMatch(r -> r.cosine().isPresent())) {
            md.append("\n").append(Contender.COSINE_LABEL).append(": RNNprop's weights with the alpha scale decayed "
                    + "by DJL's cosine tracker over each run's steps, as a user sets it (see Method).\n");
        }
        md.append("\nRuns per test (comparison runs; tuning runs per learning rate) and steps:\n\n"
                + "| test | steps | runs | tuning runs | rollouts computed now | rollouts from the cache "
                + "| thread time |\n"
                + "|---|---|---|---|---|---|---|\n");
        for (ExperimentResult r : results) {
            md.append("| ").append(r.experiment().id()).append(" | ").append(r.steps());
            if (r.ran()) {
                md.append(" | ").append(r.runs()).append(" | ").append(r.tuneRuns()).append(" | ")
                        .append(r.computedRuns()).append(" | ").append(r.cachedRuns()).append(" | ")
                        .append(duration(r.computeSeconds())).append(" |\n");
            } else {
                md.append(" | skipped | | | | |\n");
            }
        }
        if (!info.quick()) {
            md.append("\nThe paper averaged 100 runs. We keep 100 where a run is cheap (MLPs and the LSTM at 100 "
                    + "steps) and use fewer where runs are long (CNNs 30, 2,000 steps 20, 10,000 steps 10); every "
                    + "comparison is paired, so its standard error (in the tables) is what decides significance. "
                    + "The tests beyond the paper's use 20 runs at 1,000 and 2,000 steps of the MLP and LSTM, 10 for "
                    + "the 5,000-step MLP, LeNet-5 and the 2,000-step CNN (see Beyond the paper).\n");
        }
        md.append('\n');
    }

    private void claimsSection() {
        md.append("## The paper's claims\n\n");
        if (info.quick() || info.weights().anyUntrained()) {
            md.append("*Verdicts are computed mechanically by the rules under Method; with ")
                    .append(info.quick() ? "quick mode" : "untrained weights").append(" they mean nothing.*\n\n");
        }
        md.append("| # | claim | verdict | our numbers |\n|---|---|---|---|\n");
        for (Claims.Claim c : claims) {
            md.append("| ").append(c.number()).append(" | ").append(cell(c.text())).append(" | **")
                    .append(c.status().text()).append("** | ").append(cell(c.evidence())).append(" |\n");
        }
        md.append('\n');
    }

    private void everyTest() {
        md.append("## Every test\n\nMean final loss ± standard error over the comparison runs (the specification's "
                + "metric: the final parameters' mean loss over every minibatch of the run). Tuned baselines at "
                + "their tuned learning rate (next table); \"(n diverged)\" counts comparison runs that diverged, "
                + "which the mean leaves out. In bold, the lowest mean of each row among the best tuned baseline "
                + "(chosen by its tuning score, see Method; the other tuned baselines are not candidates), Adam 1e-3 "
                + "and the learned optimizers, leaving out any with a diverged run. The next column is the paired "
                + "comparison of RNNprop with the best tuned baseline (difference of means, two-sided paired "
                + "t-test); the last, RNNprop's speed-up over it: the steps the best tuned baseline needs to reach "
                + "RNNprop's final loss, over RNNprop's steps, on their smoothed mean curves (above 1: RNNprop is "
                + "ahead; see Method).\n\n");
        md.append("| test | steps | runs | ").append(CONTENDER_COLUMNS)
                .append(" | RNNprop vs best tuned | speed-up |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (ExperimentResult r : ran()) {
            List<Optional<ExperimentResult.ContenderResult>> row = contenderRow(r);
            Optional<ExperimentResult.ContenderResult> bold = boldCell(r, row);
            md.append("| ").append(r.experiment().id()).append(" | ").append(r.steps()).append(" | ").append(r.runs());
            for (Optional<ExperimentResult.ContenderResult> c : row) {
                md.append(" | ").append(c.map(x -> bold.isPresent() && bold.get() == x ? "**" + Claims.meanSe(x)
                        + "**" : Claims.meanSe(x)).orElse("–"));
            }
            md.append(" | ").append(versusBest(r, LearnedRole.RNNPROP)).append(" | ")
                    .append(r.learned(LearnedRole.RNNPROP).map(l -> r.speedUp(l).format()).orElse("–"))
                    .append(" |\n");
        }
        md.append('\n');
    }

    /**
     * Medians and outlying runs of RNNprop and the best tuned baseline: a mean can hide a few runs that failed
     * (a network stuck at chance level) among many good ones, which the paired test then cannot tell from noise.
     */
    private void spread() {
        md.append("## Spread\n\nMedian final loss [quartiles] over the comparison runs, the worst run, and how many "
                + "runs ended above ").append(String.format(Locale.ROOT, "%.0f", OUTLIER_FACTOR))
                .append(" times the median (failed runs, such as a network stuck at chance level, which the means ")
                .append("above include).\n\n");
        md.append("| test | RNNprop | worst | runs above | best tuned | worst | runs above |\n"
                + "|---|---|---|---|---|---|---|\n");
        for (ExperimentResult r : ran()) {
            md.append("| ").append(r.experiment().id());
            for (Optional<ExperimentResult.ContenderResult> c : List.of(r.learned(LearnedRole.RNNPROP),
                    r.bestTuned())) {
                md.append(c.map(Report::spreadCells).orElse(" | – | – | –"));
            }
            md.append(" |\n");
        }
        md.append('\n');
    }

    /** " | median [q1, q3] | worst | count above OUTLIER_FACTOR x median" of one contender. */
    static String spreadCells(ExperimentResult.ContenderResult c) {
        double[] f = c.finalLosses();
        double median = Stats.quantile(f, 0.5);
        long above = Arrays.stream(Stats.finite(f)).filter(x -> x > OUTLIER_FACTOR * median).count();
        String label = c.contender().tuned() ? c.label() + ": " : "";
        return " | " + label + Claims.fmt(median) + " [" + Claims.fmt(Stats.quantile(f, 0.25)) + ", "
                + Claims.fmt(Stats.quantile(f, 0.75)) + "] | " + Claims.fmt(Stats.quantile(f, 1)) + " | " + above
                + (c.diverged() > 0 ? " (+" + c.diverged() + " diverged)" : "");
    }

    /**
     * The cell in bold: the lowest mean among the best tuned baseline (the same choice the claims use), Adam
     * 1e-3 and the learned optimizers, without a diverged run.
     */
    static Optional<ExperimentResult.ContenderResult> boldCell(ExperimentResult r,
            List<Optional<ExperimentResult.ContenderResult>> row) {
        Optional<ExperimentResult.ContenderResult> best = r.bestTuned();
        return row.stream().flatMap(Optional::stream)
                .filter(c -> !c.contender().tuned() || best.isPresent() && best.get() == c)
                .filter(c -> c.diverged() == 0 && Double.isFinite(c.mean()))
                .min(java.util.Comparator.comparingDouble(ExperimentResult.ContenderResult::mean));
    }

    private List<Optional<ExperimentResult.ContenderResult>> contenderRow(ExperimentResult r) {
        List<Optional<ExperimentResult.ContenderResult>> row = new ArrayList<>();
        for (Baseline b : Baseline.values()) {
            row.add(r.baseline(b));
        }
        row.add(r.byKey(Contender.ADAM_DEFAULT_KEY));
        row.add(r.learned(LearnedRole.DM_OPTIMIZER));
        row.add(r.learned(LearnedRole.RNNPROP));
        return row;
    }

    private String versusBest(ExperimentResult r, LearnedRole role) {
        return versus(r.learned(role), r.bestTuned(), true);
    }

    /** "+0.0123 vs Adam 2^-5 (p = 0.01)" (with the other's label if asked), or "–" if either is missing. */
    private static String versus(Optional<ExperimentResult.ContenderResult> a,
            Optional<ExperimentResult.ContenderResult> b, boolean name) {
        if (a.isEmpty() || b.isEmpty()) {
            return "–";
        }
        Stats.Paired p = Stats.paired(a.get().finalLosses(), b.get().finalLosses());
        return String.format(Locale.ROOT, "%+.3g%s (p = %s)", p.meanDifference(), name ? " vs " + b.get().label() : "",
                Claims.p(p.p()));
    }

    private void tunedRates() {
        md.append("## Tuned learning rates\n\nThe learning rate each baseline was compared at: the best mean final "
                + "loss over the tuning runs on the grid 2^(k/2), widened until the best was inside the grid (a † "
                + "marks a best value at the grid's limit, 2^-20 or 2^10). Next to it, what the paper's reference "
                + "code found best.\n\n| test | SGD | Momentum | Adagrad | Adadelta | RMSprop | Adam | grid points "
                + "run | paper's best |\n|---|---|---|---|---|---|---|---|---|\n");
        for (ExperimentResult r : ran()) {
            md.append("| ").append(r.experiment().id());
            int points = 0;
            for (Baseline b : Baseline.values()) {
                Optional<ExperimentResult.ContenderResult> c = r.baseline(b);
                int k = c.map(x -> x.contender().halfExponent()).orElse(0);
                boolean limit = k == LrGrid.MIN || k == LrGrid.MAX;
                md.append(" | ").append(c.isPresent() ? Baseline.formatRate(k) + (limit ? " †" : "") : "–");
                points += r.grids().getOrDefault(b, List.of()).size();
            }
            md.append(" | ").append(points).append(" | ");
            if (r.experiment().group() == Experiment.Group.BEYOND) {
                md.append("– (not in the paper)");
            } else {
                md.append(r.experiment().paperBest().label()).append(' ')
                        .append(Baseline.formatRate(r.experiment().paperBestHalfExponent()));
            }
            md.append(" |\n");
        }
        md.append('\n');
    }

    private void activations() {
        md.append("## Activations\n\nThe paper's Table 2: the base MLP with each activation, 100 steps (mean final "
                + "loss ± standard error; Adam at its tuned rate).\n\n");
        table(List.of("activation", "Adam", "DMoptimizer", "RNNprop"),
                List.of(new String[] {"sigmoid", "mnist-sigmoid-100"}, new String[] {"ReLU", "mnist-relu-100"},
                        new String[] {"ELU", "mnist-elu-100"}, new String[] {"tanh", "mnist-tanh-100"}),
                r -> List.of(r.baseline(Baseline.ADAM), r.learned(LearnedRole.DM_OPTIMIZER),
                        r.learned(LearnedRole.RNNPROP)));
    }

    private void depth() {
        md.append("## Deeper MLPs\n\nThe paper's depth figure: MLPs with 1 to 10 hidden layers of 20 sigmoid units, "
                + "100 steps; Adam at its tuned rate (the paper lists only Adam, the best of the tuned algorithms "
                + "there).\n\n");
        if (hasFigure("depth.png")) {
            md.append("![final loss against depth](").append(link).append("depth.png)\n\n");
        }
        List<String[]> rows = new ArrayList<>();
        for (ExperimentResult r : depthResults()) {
            rows.add(new String[] {String.valueOf(r.experiment().depth()), r.experiment().id()});
        }
        table(List.of("hidden layers", "Adam", "DMoptimizer", "RNNprop", "best tuned"), rows,
                r -> List.of(r.baseline(Baseline.ADAM), r.learned(LearnedRole.DM_OPTIMIZER),
                        r.learned(LearnedRole.RNNPROP), r.bestTuned()));
    }

    private void cnns() {
        md.append("## CNNs\n\nThe paper's CNN figure, as final losses after 100 steps.\n\n");
        List<String[]> rows = new ArrayList<>();
        for (ExperimentResult r : results) {
            if (r.experiment().group() == Experiment.Group.CNN) {
                rows.add(new String[] {r.experiment().id(), r.experiment().id()});
            }
        }
        table(List.of("test", "best tuned", "DMoptimizer", "RNNprop"), rows,
                r -> List.of(r.bestTuned(), r.learned(LearnedRole.DM_OPTIMIZER), r.learned(LearnedRole.RNNPROP)));
    }

    private void lstm() {
        md.append("## LSTM\n\nThe paper's Table 3: the sine-prediction task, 100 steps (Adam and Adagrad at their "
                + "tuned rates).\n\n");
        table(List.of("experiment", "Adam", "Adagrad", "DMoptimizer", "RNNprop"),
                List.of(new String[] {"default", "lstm-sine-100"}, new String[] {"2 layers", "lstm-sine-2layers-100"},
                        new String[] {"small noise", "lstm-sine-smallnoise-100"}),
                r -> List.of(r.baseline(Baseline.ADAM), r.baseline(Baseline.ADAGRAD),
                        r.learned(LearnedRole.DM_OPTIMIZER), r.learned(LearnedRole.RNNPROP)));
    }

    /**
     * The tests beyond the paper's and the long horizons: final losses with RNNprop's cosine-decayed variant and
     * the speed-ups; test accuracies where measured; other weights compared on every test.
     */
    private void beyond() {
        md.append("## Beyond the paper\n\nNetworks, initialisations and horizons that users run, with the same "
                + "paired protocol, tuned baselines and Adam 1e-3 (mean final loss ± standard error), and the "
                + "horizon-aware user-level baseline ").append(Contender.COSINE_LABEL).append(": RNNprop with its "
                + "alpha scale decayed by a cosine over the run's steps (see Method). Speed-ups over the best tuned "
                + "baseline as in the table of every test; p from the paired t-test against it.\n\n");
        for (Experiment e : Experiments.all()) {
            if (e.group() == Experiment.Group.BEYOND) {
                md.append(String.format(Locale.ROOT, "- `%s` (%d steps; full suite: %d runs, tuning runs per rate: "
                        + "%d): %s.%n", e.id(), e.steps(), e.runs(), e.tuneRuns(), e.title()));
            }
        }
        md.append('\n');
        List<ExperimentResult> rows = ran().stream().filter(r -> r.experiment().group() == Experiment.Group.BEYOND
                || r.cosine().isPresent()).toList();
        if (rows.isEmpty()) {
            md.append("Not run: none of these tests was selected, or none ran (see Skipped tests).\n\n");
        } else {
            md.append("| test | steps | runs | best tuned | Adam 1e-3 | RNNprop | vs best tuned | speed-up | "
                    + Contender.COSINE_LABEL + " | vs best tuned | speed-up |\n"
                    + "|---|---|---|---|---|---|---|---|---|---|---|\n");
            for (ExperimentResult r : rows) {
                Optional<ExperimentResult.ContenderResult> best = r.bestTuned();
                Optional<ExperimentResult.ContenderResult> l = r.learned(LearnedRole.RNNPROP);
                Optional<ExperimentResult.ContenderResult> cos = r.cosine();
                md.append("| ").append(r.experiment().id()).append(" | ").append(r.steps()).append(" | ")
                        .append(r.runs()).append(" | ").append(best.map(b -> b.label() + " " + Claims.meanSe(b))
                                .orElse("–"))
                        .append(" | ").append(r.byKey(Contender.ADAM_DEFAULT_KEY).map(Claims::meanSe).orElse("–"));
                for (Optional<ExperimentResult.ContenderResult> c : List.of(l, cos)) {
                    md.append(" | ").append(c.map(Claims::meanSe).orElse("–")).append(" | ")
                            .append(versus(c, best, false)).append(" | ")
                            .append(c.map(x -> r.speedUp(x).format()).orElse("–"));
                }
                md.append(" |\n");
            }
            md.append('\n');
        }
        testAccuracies();
        candidates();
    }

    /** Mean test-set accuracy of each optimizer, for the tests that measure it. */
    private void testAccuracies() {
        List<ExperimentResult> rows = ran().stream()
                .filter(r -> r.contenders().stream().anyMatch(ExperimentResult.ContenderResult::hasTestAccuracy))
                .toList();
        if (rows.isEmpty()) {
            return;
        }
        md.append("### Test accuracy\n\nAccuracy of the final parameters on the MNIST test set")
                .append(info.quick() ? " (quick mode: its first " + Suite.QUICK_TEST_EXAMPLES + " images)" : "")
                .append(", mean ± standard error over the comparison runs.\n\n"
                        + "| test | optimizer | test accuracy |\n|---|---|---|\n");
        for (ExperimentResult r : rows) {
            for (ExperimentResult.ContenderResult c : r.contenders()) {
                boolean shown = !c.contender().tuned() || r.bestTuned().map(b -> b == c).orElse(false);
                if (shown && c.hasTestAccuracy() && (c.role() == null || c.role().main())) {
                    md.append("| ").append(r.experiment().id()).append(" | ").append(c.label()).append(" | ")
                            .append(percent(c.testAccuracies())).append(" |\n");
                }
            }
        }
        md.append('\n');
    }

    /** "98.12% ± 0.05%", over the runs where it was measured. */
    static String percent(double[] accuracies) {
        return String.format(Locale.ROOT, "%.2f%% ± %.2f%%", 100 * Stats.mean(accuracies),
                100 * Stats.standardError(accuracies));
    }

    /** Other weights (--candidate) on every test that ran, against RNNprop, its cosine variant and the best tuned. */
    private void candidates() {
        if (info.weights().candidates().isEmpty()) {
            return;
        }
        md.append("### Other weights\n\nWeights compared beside the roles on every test (`--candidate`, and the "
                + "plugins' default, marked " + LearnedWeights.DEFAULT_SUFFIX.strip() + ", where it is not RNNprop's "
                + "weights): mean final loss ± standard error, paired differences (p) against the best tuned "
                + "baseline, the RNNprop role (see Setup) and ").append(Contender.COSINE_LABEL)
                .append(" where it ran, and the speed-up over the "
                + "best tuned baseline.\n\n| test | weights | final loss | vs best tuned | vs RNNprop | vs "
                + Contender.COSINE_LABEL + " | speed-up | test accuracy |\n|---|---|---|---|---|---|---|---|\n");
        for (ExperimentResult r : ran()) {
            for (ExperimentResult.ContenderResult c : r.candidates()) {
                Optional<ExperimentResult.ContenderResult> self = Optional.of(c);
                md.append("| ").append(r.experiment().id()).append(" | ").append(c.label()).append(" | ")
                        .append(Claims.meanSe(c)).append(" | ").append(versus(self, r.bestTuned(), true))
                        .append(" | ").append(versus(self, r.learned(LearnedRole.RNNPROP), false)).append(" | ")
                        .append(versus(self, r.cosine(), false)).append(" | ").append(r.speedUp(c).format())
                        .append(" | ").append(c.hasTestAccuracy() ? percent(c.testAccuracies()) : "–").append(" |\n");
            }
        }
        md.append('\n');
    }

    /** A table whose rows are tests ({label, id}) and whose cells are mean ± SE of the chosen contenders. */
    private void table(List<String> header, List<String[]> rows,
            Function<ExperimentResult, List<Optional<ExperimentResult.ContenderResult>>> cells) {
        md.append("| ").append(String.join(" | ", header)).append(" |\n|");
        header.forEach(h -> md.append("---|"));
        md.append('\n');
        for (String[] row : rows) {
            ExperimentResult r = byId.get(row[1]);
            md.append("| ").append(row[0]);
            if (r == null || !r.ran()) {
                md.append(" | ").append(r == null ? "not selected" : "skipped");
                md.append(" |".repeat(header.size() - 2)).append(" |\n");
                continue;
            }
            for (Optional<ExperimentResult.ContenderResult> c : cells.apply(r)) {
                md.append(" | ").append(c.map(Claims::meanSe).orElse("–"));
            }
            md.append(" |\n");
        }
        md.append('\n');
    }

    /** "1300", or "1300 (snapshot at 400)" when the selection chose an earlier snapshot than the budget. */
    static String budget(Provenance p) {
        return p.budget() == p.iterations() ? String.valueOf(p.budget())
                : p.budget() + " (snapshot at " + p.iterations() + ")";
    }

    private void control() {
        md.append("## Control experiment\n\n### Learned variants on the ReLU MLP\n\nThe paper's Figure 9: "
                + "optimizers meta-trained with and without the tricks, on `").append(Experiments.CONTROL)
                .append("`. Differences are paired against RNNprop, and only at equal meta-training budgets: where "
                + "a variant's meta-training budget (the iterations its snapshot was chosen among) differs from "
                + "RNNprop's by more than ")
                .append(String.format(Locale.ROOT, "%.0f%%", Claims.BUDGET_TOLERANCE * 100))
                .append(", the comparison is inconclusive and not shown.\n\n");
        ExperimentResult r = byId.get(Experiments.CONTROL);
        if (r == null || !r.ran()) {
            md.append("Not run: ").append(r == null ? "test not selected" : r.skipped()).append(".\n\n");
        } else {
            Optional<ExperimentResult.ContenderResult> full = r.learned(LearnedRole.RNNPROP);
            md.append("| optimizer | meta-training budget, iterations | final loss | vs RNNprop |\n"
                    + "|---|---|---|---|\n");
            for (LearnedRole role : LearnedRole.values()) {
                Optional<ExperimentResult.ContenderResult> c = r.learned(role);
                md.append("| ").append(role.label()).append(" | ");
                if (c.isEmpty()) {
                    md.append("– | skipped: ").append(cell(info.weights().missing().getOrDefault(role, "not run")))
                            .append(" | |\n");
                    continue;
                }
                md.append(c.get().contender().weights() == null ? "?"
                        : budget(c.get().contender().weights().provenance()));
                md.append(" | ").append(Claims.meanSe(c.get())).append(" | ");
                if (role != LearnedRole.RNNPROP && full.isPresent()) {
                    Optional<String> unequal = Claims.unequalBudgets(c.get(), full.get());
                    Stats.Paired p = Stats.paired(c.get().finalLosses(), full.get().finalLosses());
                    md.append(unequal.isPresent() ? "inconclusive: " + cell(unequal.get())
                            : String.format(Locale.ROOT, "%+.3g (p = %s)", p.meanDifference(), Claims.p(p.p())));
                }
                md.append(" |\n");
            }
            r.bestTuned().ifPresent(b -> md.append("| best tuned: ").append(b.label()).append(" | | ")
                    .append(Claims.meanSe(b)).append(" | |\n"));
            md.append('\n');
            if (hasFigure("control-relu.png")) {
                md.append("![control experiment](").append(link).append("control-relu.png)\n\n");
            }
        }
        md.append("### The convex term during meta-training\n\nThe paper's Table 4 compares RNNprop meta-trained with "
                + "and without the convex term after equal numbers of meta-training iterations. We read the "
                + "validation rows of the two meta-training runs (`")
                .append(convex != null ? convex.with().dir() : info.runsDir().resolve("rnnprop")).append("`, `")
                .append(convex != null ? convex.without().dir() : info.runsDir().resolve("rnnprop-no-convex"))
                .append("`): the base MLP for 100 steps, paired against Adam 2^-5, compared only at the iterations "
                + "both runs validated.\n\n");
        if (convex == null || !(convex.with().present() || convex.without().present())) {
            md.append("Not run: no validation log found.\n\n");
            return;
        }
        md.append("- ").append(TrainingLogs.describe(convex.with())).append("\n- ")
                .append(TrainingLogs.describe(convex.without())).append("\n\n");
        List<Long> its = convex.complete() ? convex.commonIterations()
                : (convex.with().present() ? convex.with() : convex.without()).rows().stream()
                        .map(TrainingLogs.Validation::iteration).toList();
        md.append("| iteration | RNNprop (with convex term) | RNNprop without it |\n|---|---|---|\n");
        int stride = Math.max(1, (its.size() + 11) / 12);
        for (int i = 0; i < its.size(); i += stride) {
            long it = its.get(i);
            md.append("| ").append(it).append(" | ").append(orDash(TrainingLogs.Comparison.at(convex.with(), it)))
                    .append(" | ").append(orDash(TrainingLogs.Comparison.at(convex.without(), it))).append(" |\n");
        }
        md.append('\n');
        if (hasFigure("convex-term-training.png")) {
            md.append("![convex term](").append(link).append("convex-term-training.png)\n\n");
        }
    }

    private void sensitivity() {
        md.append("## Learning-rate sensitivity\n\nFinal loss of each tuned baseline across its grid (tuning runs; "
                + "rates where a run diverged are left out), with the learned optimizers as horizontal lines. The "
                + "paper shows this for the base MLP at 10,000 steps. The loss axis ends at " + axisFactor()
                + " times the lowest value drawn (the title says where when something lies above it, such as a "
                + "learned optimizer far behind).\n\n");
        String main = "mnist-sigmoid-10000-lr.png";
        if (hasFigure(main)) {
            md.append("![learning-rate sensitivity](").append(link).append(main).append(")\n\n");
        }
        for (ExperimentResult r : ran()) {
            String f = r.experiment().id() + "-lr.png";
            if (hasFigure(f) && !f.equals(main)) {
                md.append("- [").append(r.experiment().id()).append("](").append(link).append(f).append(")\n");
            }
        }
        md.append('\n');
    }

    private static String axisFactor() {
        return String.format(Locale.ROOT, "%.0f", Plots.AXIS_FACTOR);
    }

    private void curves() {
        md.append("## Loss curves\n\nMean training loss per step over the comparison runs, every optimizer at its "
                + "tuned rate (a diverged run leaves the mean from where it diverged). The loss axis ends at "
                + axisFactor() + " times the highest first-step loss; the title says where when a curve leaves "
                + "it.\n\n");
        for (String id : List.of("mnist-sigmoid-100", "mnist-sigmoid-2000", "mnist-sigmoid-10000", Experiments.CONTROL,
                "mnist-layers-6-100")) {
            if (hasFigure(id + "-curves.png")) {
                md.append("![").append(id).append("](").append(link).append(id).append("-curves.png)\n\n");
            }
        }
        for (ExperimentResult r : ran()) {
            String f = r.experiment().id() + "-curves.png";
            if (hasFigure(f)) {
                md.append("- [").append(r.experiment().id()).append("](").append(link).append(f).append(")\n");
            }
        }
        md.append('\n');
    }

    private void skipped() {
        md.append("## Skipped tests\n\n");
        boolean any = false;
        for (ExperimentResult r : results) {
            if (!r.ran()) {
                md.append("- ").append(r.failed() ? "**FAILED** " : "").append(r.experiment().id()).append(": ")
                        .append(r.skipped()).append('\n');
                any = true;
            }
        }
        List<String> notSelected = Experiments.all().stream().map(Experiment::id)
                .filter(id -> !byId.containsKey(id)).toList();
        if (!notSelected.isEmpty()) {
            md.append("- not selected in this invocation: ").append(String.join(", ", notSelected)).append('\n');
            any = true;
        }
        md.append(any ? "\n" : "None.\n\n");
    }

    private void method() {
        md.append("## Method\n\n");
        md.append("- Optimizees exactly as `docs/SPEC.md` §4: batch 128, a fresh minibatch every step, initial "
                + "parameters N(0, 0.1^2). Each minibatch's examples are drawn uniformly with replacement from the "
                + "training set, independently at every step (not by shuffled epochs). Final loss: the final "
                + "parameters' mean loss over every minibatch of the run. MNIST training set; CIFAR-10 training set "
                + "(x/255 - 0.5) when given with --cifar or found in the data folder.\n");
        md.append("- Pairing: comparison run i of every optimizer in a test starts from the same parameters and sees "
                + "the same minibatches (seed " + Suite.COMPARISON_SEED_BASE + " + i); the optimizers of one run are "
                + "stepped side by side on one list of minibatches. A run whose training loss becomes NaN or "
                + "infinite is stopped and counted as diverged; means leave it out and the tables count it.\n");
        md.append("- Baselines: SGD, Momentum (0.9), Adagrad (initial accumulator 0.1), Adadelta (rho 0.95, eps "
                + "1e-8), RMSprop (decay 0.9, eps 1e-10, mean square starting at 1), Adam (0.9, 0.999, 1e-8, epsilon "
                + "added to the uncorrected root), all with TensorFlow 1.x semantics; plus Adam at 1e-3 untuned.\n");
        md.append("- Tuning: the grid 2^(k/2) starts at ").append(2 * (info.quick() ? 1 : 4) + 1)
                .append(" points around a per-algorithm guess (for the algorithm the paper found best, its rate) "
                + "and widens one point at a time until the best mean final loss has a worse neighbour on each "
                + "side. A rate at which any tuning run diverged scores as worst. Tuning runs use seeds "
                + Suite.TUNING_SEED_BASE + " + i, the comparison runs seeds " + Suite.COMPARISON_SEED_BASE
                + " + i (apart from each other and from meta-training's seeds), so the comparison is not biased by "
                + "the selection.\n");
        md.append("- Best tuned baseline: the tuned baseline with the lowest tuning score (mean final loss over the "
                + "tuning runs) at its tuned learning rate, chosen like the learning rates, before and apart from "
                + "the comparison runs. A baseline keeps its place if some of its comparison runs diverge; the "
                + "divergences are counted in the tables. The claims and the bold cells use this choice.\n");
        md.append("- Statistics: two-sided paired t-test on the per-run final losses (pairs where both are finite), "
                + "p from Student's t via the regularized incomplete beta function.\n");
        md.append(String.format(Locale.ROOT, "- Verdict rules: *beats* = no diverged run and a lower mean than the "
                + "other with p < %.2f (paired); *beats every tuned algorithm* (claims 1, 5, 7) = beats each tuned "
                + "baseline, not only the best; *comparable* = no diverged run and a mean at most %.0f%% above "
                + "the best tuned baseline's; *fails* = mean at least %.0f%% above it or any run diverged; *no "
                + "progress* (claim 6) = best mean above %.0f%% of the initial loss; claim 6: RNNprop beats Adam at "
                + "every depth where some optimizer made progress, and every such depth is shallower than any "
                + "without progress (not run without a test of 2 or more hidden layers); claim 7, *only the best "
                + "tuned algorithm beats it* = the best tuned baseline beats RNNprop and no other tuned baseline "
                + "does, *beats* as above; *narrow band* (claim 4) = the rates where Adam's mean over its tuning "
                + "runs is below RNNprop's mean over the comparison runs (not paired: the tuning runs use other "
                + "seeds) are contiguous and within two octaves, inconclusive (not run) if a winning rate is at an "
                + "edge of the evaluated grid unless the winning rates inside it already span more than two "
                + "octaves; claim 3: RNNprop's mean loss over the last 10%% of steps below that "
                + "over steps 40-60%%, a tuned algorithm beats it, DMoptimizer ending "
                + "%.0f%% above its lowest loss (or any run diverging); claim 9: only validations at iterations "
                + "both meta-training runs logged count (at least %d, else not run); a run reaches Adam 2^-5's "
                + "validation loss at the first of %d consecutive such validations at or below it; confirmed if "
                + "the run with the convex term reaches it and the other does not reach it or reaches it later; if "
                + "neither reaches it, lower mean validation loss over the common validations (a non-finite "
                + "validation counts as the worst); claim 10: removing Random Scaling costs significantly more "
                + "than removing the convex term, i.e. RNNprop without Random Scaling has a significantly higher "
                + "paired final loss than RNNprop without the convex term and diverged at least as often, or "
                + "diverged more often and is not significantly lower; judged only if both variants' "
                + "meta-training budgets are within %.0f%% of RNNprop's (else not run). A claim is refuted if any "
                + "part that ran is refuted; confirmed if every part that ran holds, marked \"(only the parts "
                + "that ran)\" when some did not run.%n", Claims.ALPHA, (Claims.COMPARABLE - 1) * 100,
                (Claims.FAILS - 1) * 100, Claims.NO_PROGRESS * 100, (Claims.FAILS - 1) * 100,
                Claims.CONVEX_MIN_COMMON, Claims.CONVEX_CONSECUTIVE, Claims.BUDGET_TOLERANCE * 100));
        md.append(String.format(Locale.ROOT, "- Speed-up (learned_optimization's normaliser, over the best tuned "
                + "baseline instead of an envelope of Adam curves): both mean training-loss curves are smoothed by a "
                + "moving average over %.0f%% of the run (centred; at the ends, over the points that exist); the "
                + "optimizer's final loss is its smoothed curve's last point; the baseline's curve is made "
                + "non-increasing (running minimum) and the step where it first reaches that loss is interpolated "
                + "between points; speed-up = that step over the optimizer's. \"never reached (> 1; x to its "
                + "lowest)\": the baseline never got there in the run, so the speed-up is above 1 by an unknown "
                + "amount; x is the optimizer's steps over the steps it needed to reach the baseline's lowest "
                + "smoothed loss.%n", SpeedUp.SMOOTHING * 100));
        md.append("- " + Contender.COSINE_LABEL + " (on the long horizons and the tests beyond the paper): the "
                + "RNNprop weights with their alpha scale following DJL's `Tracker.cosine().setBaseValue(1f)"
                + ".setMaxUpdates(steps)`, passed to `optAlphaScale(ParameterTracker)`: at 1-based step t the step "
                + "bound is alpha (0.01 + 0.99 (1 + cos(pi t / steps)) / 2), from alpha down to 1% of it at the "
                + "last step. A user-level, horizon-aware baseline that needs only the planned number of steps.\n");
        md.append("- Tests beyond the paper: `mnist-relu128-*` and LeNet-5 start from DL4J's default initialisation "
                + "(`WeightInit.XAVIER`: weights N(0, 2/(fan_in + fan_out)), a convolution's fans counting its "
                + "kernel area; biases 0) where the paper's tests use N(0, 0.1^2); LeNet-5 (" + CnnTask.LENET5
                + ", ReLU after each convolution, as every convolution of these CNNs) trains for 2 epochs of "
                + "shuffled MNIST (" + Experiments.MNIST_BATCHES_PER_EPOCH + " minibatches an epoch, the last of 96 "
                + "examples), as a framework's data iterator gives them, instead of independent minibatches, and "
                + "its comparison runs are scored on the MNIST test set; the 2,000-step CNN and LSTM are the "
                + "paper's optimizees at a longer horizon. The tuning grids of LeNet-5 and the 2,000-step CNN "
                + "start at 5 points instead of 9. DMoptimizer does not run on these tests: RNNprop is the learned "
                + "optimizer under test, and each learned optimizer costs more than all the baselines together.\n");
        md.append("- Differences from the paper: the CNNs flatten features in (channel, row, column) order where "
                + "TensorFlow uses (row, column, channel), the same optimizee up to a permutation of i.i.d. "
                + "initial weights; the paper dropped outlier runs from its plots, we report divergence counts "
                + "instead.\n\n");
    }

    private void files() {
        md.append("## Files\n\nIn `").append(reportFile.getParent().relativize(outDir)).append("/`: `status.csv` "
                + "(each test: ran or skipped, run counts, time), `summary.csv` (each test and optimizer: mean "
                + "final loss, standard error, divergences, paired comparison with the best tuned baseline), "
                + "`lr-sensitivity.csv` (every grid point), `curves-<test>.csv` (mean loss curves), `claims.csv`, "
                + "and the figures. The result cache (`--work`) keeps every run, so re-running the command resumes "
                + "or only rewrites this report.\n");
    }

    // ---------------------------------------------------------------- helpers

    private List<ExperimentResult> ran() {
        return results.stream().filter(ExperimentResult::ran).toList();
    }

    private List<ExperimentResult> depthResults() {
        return ran().stream().filter(r -> r.experiment().group() == Experiment.Group.DEPTH
                || r.experiment().id().equals("mnist-sigmoid-100")).toList();
    }

    private static String orDash(double v) {
        return Double.isNaN(v) ? "–" : Claims.fmt(v);
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh %02dm", s / 3600, s / 60 % 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60) : s + " s";
    }
}
