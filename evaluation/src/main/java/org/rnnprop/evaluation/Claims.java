package org.rnnprop.evaluation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The paper's ten claims (docs/SPEC.md §5), each decided from our numbers by a stated rule. The rules:
 * <ul>
 *   <li><b>beats</b>: no diverged run, and lower mean final loss than the best tuned baseline with paired
 *       t-test p &lt; {@value #ALPHA};</li>
 *   <li><b>comparable</b>: no diverged run, and mean final loss at most {@value #COMPARABLE} times the best
 *       tuned baseline's;</li>
 *   <li><b>fails</b>: mean at least {@value #FAILS} times the best tuned baseline's, or any run diverged.</li>
 * </ul>
 * The best tuned baseline is {@link ExperimentResult#bestTuned()}: the lowest tuning score.
 * A claim with several parts is refuted if any part that ran is refuted, not run if no part ran, and otherwise
 * confirmed (saying which parts did not run).
 */
public final class Claims {
    /** Significance level of the paired t-tests. */
    public static final double ALPHA = 0.05;
    /** "Comparable": within 10% of the best tuned baseline. */
    public static final double COMPARABLE = 1.10;
    /** "Fails": 50% worse than the best tuned baseline. */
    public static final double FAILS = 1.5;
    /** "No progress": the best mean final loss is above this fraction of the initial loss. */
    public static final double NO_PROGRESS = 0.95;
    /** "Narrow band": Adam's winning learning rates span at most two octaves (4 grid steps). */
    public static final int NARROW_BAND = 4;
    /** Claim 9 needs at least this many validations at iterations both meta-training runs logged. */
    public static final int CONVEX_MIN_COMMON = 3;
    /** Claim 9: a run has reached the target once it stays at or below it for this many common validations. */
    public static final int CONVEX_CONSECUTIVE = 2;
    /** Claim 10: learned variants are compared only if their meta-training iterations are within 10% of RNNprop's. */
    public static final double BUDGET_TOLERANCE = 0.10;

    /** A claim's verdict. */
    public enum Status {
        CONFIRMED("confirmed"), REFUTED("refuted"), NOT_RUN("not run");

        private final String text;

        Status(String text) {
            this.text = text;
        }

        /** The word in the report. */
        public String text() {
            return text;
        }
    }

    /**
     * One claim and its verdict.
     *
     * @param number 1 to 10, as in the specification
     * @param text what the paper claims
     * @param status the verdict
     * @param evidence our numbers, or what is missing
     */
    public record Claim(int number, String text, Status status, String evidence) {
    }

    /** One part of a claim: its verdict and its numbers. */
    private record Part(Status status, String evidence) {
        static Part notRun(String why) {
            return new Part(Status.NOT_RUN, why);
        }

        static Part of(boolean holds, String evidence) {
            return new Part(holds ? Status.CONFIRMED : Status.REFUTED, evidence);
        }
    }

    private final Map<String, ExperimentResult> results;
    private final TrainingLogs.Comparison convex;

    private Claims(Map<String, ExperimentResult> results, TrainingLogs.Comparison convex) {
        this.results = results;
        this.convex = convex;
    }

    /** Decides every claim from the tests that ran and the meta-training logs (null if not read). */
    public static List<Claim> evaluate(Map<String, ExperimentResult> results, TrainingLogs.Comparison convex) {
        Claims c = new Claims(results, convex);
        List<Claim> out = new ArrayList<>();
        out.add(c.combine(1, "Base MLP, 100 steps: DMoptimizer and RNNprop both beat every tuned traditional "
                + "algorithm.", c.beatsEvery("mnist-sigmoid-100", LearnedRole.RNNPROP),
                c.beatsEvery("mnist-sigmoid-100", LearnedRole.DM_OPTIMIZER)));
        out.add(c.combine(2, "Base MLP, 2,000 steps: RNNprop is comparable with the tuned algorithms; "
                + "DMoptimizer fails.", c.comparable("mnist-sigmoid-2000", LearnedRole.RNNPROP),
                c.fails("mnist-sigmoid-2000", LearnedRole.DM_OPTIMIZER)));
        out.add(c.combine(3, "Base MLP, 10,000 steps: RNNprop keeps decreasing the loss, but some tuned algorithms "
                + "overtake it; DMoptimizer's loss rises sharply.", c.keepsDecreasing("mnist-sigmoid-10000"),
                c.overtaken("mnist-sigmoid-10000"), c.rises("mnist-sigmoid-10000")));
        out.add(c.combine(4, "Adam beats RNNprop at that horizon only in a narrow band of learning rates.",
                c.narrowBand("mnist-sigmoid-10000")));
        out.add(c.combine(5, "ReLU: RNNprop slightly beats the traditional algorithms; DMoptimizer fails. ELU and "
                + "tanh: RNNprop does well.", c.beatsEvery("mnist-relu-100", LearnedRole.RNNPROP),
                c.fails("mnist-relu-100", LearnedRole.DM_OPTIMIZER), c.comparable("mnist-elu-100", LearnedRole.RNNPROP),
                c.comparable("mnist-tanh-100", LearnedRole.RNNPROP)));
        out.add(c.combine(6, "Deeper MLPs: RNNprop beats Adam until the network is too deep for any of them to make "
                + "progress in 100 steps.", c.depth()));
        out.add(c.combine(7, "CNN c-c-p-f on MNIST: RNNprop beats the traditional algorithms; on the other two CNNs "
                + "only the best tuned algorithm beats it; DMoptimizer fails on all three.",
                c.beatsEvery("cnn-mnist-ccpf-100", LearnedRole.RNNPROP), c.onlyBestBeats("cnn-mnist-ccpccpff-100"),
                c.onlyBestBeats("cnn-cifar-ccpf-100"), c.fails("cnn-mnist-ccpf-100", LearnedRole.DM_OPTIMIZER),
                c.fails("cnn-mnist-ccpccpff-100", LearnedRole.DM_OPTIMIZER),
                c.fails("cnn-cifar-ccpf-100", LearnedRole.DM_OPTIMIZER)));
        out.add(c.combine(8, "LSTM task (all three settings): RNNprop comparable with or better than the traditional "
                + "algorithms.", c.comparable("lstm-sine-100", LearnedRole.RNNPROP),
                c.comparable("lstm-sine-2layers-100", LearnedRole.RNNPROP),
                c.comparable("lstm-sine-smallnoise-100", LearnedRole.RNNPROP)));
        out.add(c.combine(9, "The convex term makes meta-training reach a good optimizer in fewer iterations.",
                c.convexTerm()));
        out.add(c.combine(10, "Random Scaling is the most effective trick (ablation on the ReLU MLP).",
                c.randomScaling()));
        return out;
    }

    private Claim combine(int number, String text, Part... parts) {
        boolean refuted = false;
        boolean anyRun = false;
        boolean allRun = true;
        for (Part p : parts) {
            refuted |= p.status == Status.REFUTED;
            anyRun |= p.status != Status.NOT_RUN;
            allRun &= p.status != Status.NOT_RUN;
        }
        Status s = refuted ? Status.REFUTED : anyRun ? Status.CONFIRMED : Status.NOT_RUN;
        String evidence = java.util.Arrays.stream(parts).map(Part::evidence).collect(Collectors.joining("; "));
        if (s == Status.CONFIRMED && !allRun) {
            evidence = "(only the parts that ran) " + evidence;
        }
        return new Claim(number, text, s, evidence);
    }

    // ---- parts ----

    /**
     * The learned optimizer beats every tuned baseline, each on the paired comparison runs: the claims say
     * "every", and which baseline the tuning runs rank best can be a close call.
     */
    private Part beatsEvery(String test, LearnedRole role) {
        return withLearned(test, role, (r, l, best) -> {
            Stats.Paired p = Stats.paired(l.finalLosses(), best.finalLosses());
            List<String> notBeaten = r.tuned().stream().filter(t -> !beats(l, t)).map(t -> t.label()).toList();
            return Part.of(notBeaten.isEmpty(), test + ": " + versus(l, best, p) + divergedNote(l)
                    + (notBeaten.isEmpty() ? "" : "; not beaten: " + String.join(", ", notBeaten)));
        });
    }

    /**
     * Whether {@code l} beats {@code other}: significantly lower on the paired runs, and no diverged run (the
     * t-test leaves diverged runs out, so it alone would not count them against {@code l}).
     */
    private static boolean beats(ExperimentResult.ContenderResult l, ExperimentResult.ContenderResult other) {
        return l.diverged() == 0 && Stats.paired(l.finalLosses(), other.finalLosses()).aSignificantlyLower(ALPHA);
    }

    private static String divergedNote(ExperimentResult.ContenderResult l) {
        return l.diverged() == 0 ? "" : " (" + l.label() + " diverged in " + l.diverged() + " of "
                + l.finalLosses().length + " runs, so it does not count as beating it)";
    }

    private Part comparable(String test, LearnedRole role) {
        return withLearned(test, role, (r, l, best) -> Part.of(
                l.diverged() == 0 && l.mean() <= COMPARABLE * best.mean(),
                test + ": " + versus(l, best, Stats.paired(l.finalLosses(), best.finalLosses()))));
    }

    private Part fails(String test, LearnedRole role) {
        return withLearned(test, role, (r, l, best) -> Part.of(failed(l, best),
                test + ": " + versus(l, best, Stats.paired(l.finalLosses(), best.finalLosses()))));
    }

    private static boolean failed(ExperimentResult.ContenderResult l, ExperimentResult.ContenderResult best) {
        return l.diverged() > 0 || l.mean() >= FAILS * best.mean();
    }

    private Part keepsDecreasing(String test) {
        return withLearned(test, LearnedRole.RNNPROP, (r, l, best) -> {
            float[] c = l.meanCurve();
            double middle = segmentMean(c, 0.4, 0.6);
            double end = segmentMean(c, 0.9, 1.0);
            return Part.of(end < middle, String.format(Locale.ROOT,
                    "%s: RNNprop's mean training loss %.4g over steps 40-60%% and %.4g over the last 10%%", test,
                    middle, end));
        });
    }

    private Part overtaken(String test) {
        return withLearned(test, LearnedRole.RNNPROP, (r, l, best) -> {
            List<String> ahead = new ArrayList<>();
            for (ExperimentResult.ContenderResult t : r.tuned()) {
                if (beats(t, l)) {
                    ahead.add(t.label());
                }
            }
            return Part.of(!ahead.isEmpty(), test + ": tuned algorithms that beat RNNprop: "
                    + (ahead.isEmpty() ? "none" : String.join(", ", ahead)) + " (best: "
                    + versus(best, l, Stats.paired(best.finalLosses(), l.finalLosses())) + ")");
        });
    }

    private Part rises(String test) {
        return withLearned(test, LearnedRole.DM_OPTIMIZER, (r, l, best) -> {
            float[] c = l.meanCurve();
            double min = Double.POSITIVE_INFINITY;
            for (float v : c) {
                if (Float.isFinite(v)) { // a NaN would make every Math.min NaN
                    min = Math.min(min, v);
                }
            }
            double end = segmentMean(c, 0.9, 1.0);
            boolean diverged = l.diverged() > 0;
            return Part.of(diverged || end >= FAILS * min, String.format(Locale.ROOT,
                    "%s: DMoptimizer's mean training loss %.4g at its lowest, %.4g over the last 10%%, %d of %d runs "
                    + "diverged", test, min, end, l.diverged(), l.finalLosses().length));
        });
    }

    private Part narrowBand(String test) {
        return withLearned(test, LearnedRole.RNNPROP, (r, l, best) -> {
            List<ExperimentResult.GridPoint> grid = r.grids().getOrDefault(Baseline.ADAM, List.of());
            List<Integer> wins = grid.stream().filter(g -> g.score() < l.mean())
                    .map(ExperimentResult.GridPoint::halfExponent).toList();
            String where = wins.isEmpty() ? "at no learning rate"
                    : "at " + wins.size() + " of " + grid.size() + " grid points, from "
                    + Baseline.formatRate(wins.get(0)) + " to " + Baseline.formatRate(wins.get(wins.size() - 1));
            String evidence = String.format(Locale.ROOT, "%s: Adam (tuning runs) is below RNNprop's %.4g %s", test,
                    l.mean(), where);
            int lo = grid.stream().mapToInt(ExperimentResult.GridPoint::halfExponent).min().orElse(0);
            int hi = grid.stream().mapToInt(ExperimentResult.GridPoint::halfExponent).max().orElse(0);
            boolean contiguous = !wins.isEmpty() && wins.get(wins.size() - 1) - wins.get(0) + 1 == wins.size();
            boolean wideInside = contiguous && wins.get(wins.size() - 1) - wins.get(0) > NARROW_BAND;
            if ((wins.contains(lo) || wins.contains(hi)) && !wideInside) {
                // The band may go on past the grid, so its width is unknown (a band already wider than
                // NARROW_BAND inside the grid can only be wider, and is judged below).
                return Part.notRun(evidence + ", which includes an edge of the evaluated grid ("
                        + Baseline.formatRate(lo) + " to " + Baseline.formatRate(hi) + "): inconclusive, the band "
                        + "may continue beyond it");
            }
            boolean narrow = contiguous && !wideInside;
            return Part.of(narrow, wideInside ? evidence + ", already wider than two octaves" : evidence);
        });
    }

    private Part depth() {
        List<ExperimentResult> ran = results.values().stream().filter(ExperimentResult::ran)
                .filter(r -> r.experiment().group() == Experiment.Group.DEPTH
                        || r.experiment().id().equals("mnist-sigmoid-100"))
                .sorted(Comparator.comparingInt(r -> r.experiment().depth())).toList();
        List<String> items = new ArrayList<>();
        boolean holds = true;
        int deepestProgress = 0;
        int shallowestStuck = Integer.MAX_VALUE;
        for (ExperimentResult r : ran) {
            Optional<ExperimentResult.ContenderResult> l = r.learned(LearnedRole.RNNPROP);
            Optional<ExperimentResult.ContenderResult> adam = r.baseline(Baseline.ADAM);
            if (l.isEmpty() || adam.isEmpty()) {
                continue;
            }
            double bestMean = r.contenders().stream().mapToDouble(ExperimentResult.ContenderResult::mean)
                    .filter(Double::isFinite).min().orElse(Double.NaN);
            boolean stuck = bestMean > NO_PROGRESS * r.initialLoss();
            int d = r.experiment().depth();
            Stats.Paired p = Stats.paired(l.get().finalLosses(), adam.get().finalLosses());
            if (stuck) {
                shallowestStuck = Math.min(shallowestStuck, d);
                items.add(layers(d) + ": no progress (best " + fmt(bestMean) + ", start " + fmt(r.initialLoss())
                        + ")");
            } else {
                deepestProgress = Math.max(deepestProgress, d);
                holds &= beats(l.get(), adam.get());
                items.add(layers(d) + ": " + versus(l.get(), adam.get(), p) + divergedNote(l.get()));
            }
        }
        // The base MLP is depth 1 of the figure; the claim is about the deeper ones.
        if (ran.stream().noneMatch(r -> r.experiment().group() == Experiment.Group.DEPTH) || deepestProgress == 0) {
            return Part.notRun("needs a deeper MLP test (2 or more hidden layers) and a depth where RNNprop or Adam "
                    + "made progress" + (items.isEmpty() ? "" : ": " + String.join("; ", items)));
        }
        holds &= deepestProgress < shallowestStuck;
        return Part.of(holds, String.join("; ", items));
    }

    private static String layers(int depth) {
        return depth + (depth == 1 ? " hidden layer" : " hidden layers");
    }

    private Part onlyBestBeats(String test) {
        return withLearned(test, LearnedRole.RNNPROP, (r, l, best) -> {
            // "Beats" as everywhere else: significantly lower on the paired runs, with no diverged run.
            List<String> beaters = r.tuned().stream().filter(t -> beats(t, l)).map(t -> t.label()).toList();
            boolean onlyBest = beaters.size() == 1 && beaters.get(0).equals(best.label());
            return Part.of(onlyBest, test + ": " + versus(l, best, Stats.paired(l.finalLosses(), best.finalLosses()))
                    + "; tuned algorithms that beat it: " + (beaters.isEmpty() ? "none" : String.join(", ", beaters)));
        });
    }

    private Part convexTerm() {
        if (convex == null || !convex.complete()) {
            String why = convex == null ? "meta-training logs not read"
                    : TrainingLogs.describe(convex.with()) + "; " + TrainingLogs.describe(convex.without());
            return Part.notRun("needs validation logs of both meta-training runs: " + why);
        }
        List<Long> common = convex.commonIterations();
        if (common.size() < CONVEX_MIN_COMMON) {
            return Part.notRun("only " + common.size() + " validation iteration(s) logged by both meta-training runs, "
                    + "need " + CONVEX_MIN_COMMON + ": " + TrainingLogs.describe(convex.with()) + "; "
                    + TrainingLogs.describe(convex.without()));
        }
        double target = convex.threshold();
        long with = convex.reachedAt(convex.with(), target, CONVEX_CONSECUTIVE);
        long without = convex.reachedAt(convex.without(), target, CONVEX_CONSECUTIVE);
        String rule = String.format(Locale.ROOT, "rule: only the %d validations logged by both runs (iterations %d "
                + "to %d) count; a run reaches the target at the first of %d consecutive such validations at or "
                + "below it; confirmed if the run with the convex term reaches it and the other does not reach it "
                + "or reaches it later; if neither reaches it, by the mean validation loss over those validations",
                common.size(), common.get(0), common.get(common.size() - 1), CONVEX_CONSECUTIVE);
        String reach = String.format(Locale.ROOT, "iteration at which each run reached Adam 2^-5's validation loss "
                + "%.4g: %s with the convex term, %s without", target, with < 0 ? "not reached" : with,
                without < 0 ? "not reached" : without);
        if (with >= 0 || without >= 0) {
            return Part.of(with >= 0 && (without < 0 || with < without), reach + " (" + rule + ")");
        }
        double sw = 0;
        double so = 0;
        for (long it : common) {
            sw += TrainingLogs.Comparison.at(convex.with(), it);
            so += TrainingLogs.Comparison.at(convex.without(), it);
        }
        if (!Double.isFinite(sw) && !Double.isFinite(so)) {
            return Part.notRun(reach + "; neither run has finite validation losses at every common iteration");
        }
        // A non-finite validation (a diverged validation run) counts as the worst loss, not as no comparison.
        sw = Double.isFinite(sw) ? sw : Double.POSITIVE_INFINITY;
        so = Double.isFinite(so) ? so : Double.POSITIVE_INFINITY;
        return Part.of(sw < so, String.format(Locale.ROOT, "%s; mean validation loss over the %d common validations: "
                + "%.4g with, %.4g without (%s)", reach, common.size(), sw / common.size(), so / common.size(), rule));
    }

    private Part randomScaling() {
        String test = Experiments.CONTROL;
        ExperimentResult r = results.get(test);
        if (r == null || !r.ran()) {
            return Part.notRun(test + " not run");
        }
        List<String> missing = new ArrayList<>();
        for (LearnedRole role : List.of(LearnedRole.RNNPROP, LearnedRole.RNNPROP_NO_SCALING,
                LearnedRole.RNNPROP_NO_CONVEX)) {
            if (r.learned(role).isEmpty()) {
                missing.add(role.id());
            }
        }
        if (!missing.isEmpty()) {
            return Part.notRun("weights not shipped: " + String.join(", ", missing));
        }
        ExperimentResult.ContenderResult full = r.learned(LearnedRole.RNNPROP).orElseThrow();
        ExperimentResult.ContenderResult noScaling = r.learned(LearnedRole.RNNPROP_NO_SCALING).orElseThrow();
        ExperimentResult.ContenderResult noConvex = r.learned(LearnedRole.RNNPROP_NO_CONVEX).orElseThrow();
        Stats.Paired ps = Stats.paired(noScaling.finalLosses(), full.finalLosses());
        Stats.Paired pc = Stats.paired(noConvex.finalLosses(), full.finalLosses());
        Stats.Paired between = Stats.paired(noScaling.finalLosses(), noConvex.finalLosses());
        String evidence = String.format(Locale.ROOT, "%s: removing Random Scaling costs %+.4g (p = %s), removing the "
                + "convex term %+.4g (p = %s); without Random Scaling vs without the convex term %+.4g (p = %s)%s",
                test, ps.meanDifference(), p(ps.p()), pc.meanDifference(), p(pc.p()), between.meanDifference(),
                p(between.p()), noScaling.diverged() + noConvex.diverged() == 0 ? "" : String.format(Locale.ROOT,
                        "; diverged runs: %d without Random Scaling, %d without the convex term",
                        noScaling.diverged(), noConvex.diverged()));
        Optional<ExperimentResult.ContenderResult> dm = r.learned(LearnedRole.DM_OPTIMIZER);
        Optional<ExperimentResult.ContenderResult> dmTricks = r.learned(LearnedRole.DM_OPTIMIZER_WITH_TRICKS);
        if (dm.isPresent() && dmTricks.isPresent()) {
            Optional<String> unequal = unequalBudgets(dmTricks.get(), dm.get());
            Stats.Paired pd = Stats.paired(dmTricks.get().finalLosses(), dm.get().finalLosses());
            evidence += unequal.isPresent() ? "; DMoptimizer with and without the tricks: inconclusive, "
                    + unequal.get() : String.format(Locale.ROOT, "; the tricks change DMoptimizer's loss by %+.4g "
                    + "(p = %s)", pd.meanDifference(), p(pd.p()));
        }
        // A variant meta-trained for longer or shorter differs by more than its trick.
        List<String> unequal = new ArrayList<>();
        unequalBudgets(noScaling, full).ifPresent(unequal::add);
        unequalBudgets(noConvex, full).ifPresent(unequal::add);
        if (!unequal.isEmpty()) {
            return Part.notRun("inconclusive, the variants were not meta-trained for as long as RNNprop: "
                    + String.join("; ", unequal) + " (" + evidence + ")");
        }
        // Paired, the difference of the two costs is the difference of the two variants. Diverged runs are a cost
        // too: the t-test leaves them out, so they are counted apart.
        boolean higherLoss = between.aSignificantlyHigher(ALPHA) && noScaling.diverged() >= noConvex.diverged();
        boolean moreDivergence = noScaling.diverged() > noConvex.diverged() && !between.aSignificantlyLower(ALPHA);
        return Part.of(higherLoss || moreDivergence, evidence);
    }

    // ---- helpers ----

    /**
     * Why {@code variant} cannot be compared with {@code reference}: their meta-training budgets (from the
     * weights' provenance: the iterations the selection chose among) differ by more than
     * {@link #BUDGET_TOLERANCE} of the reference's, or are unknown; empty when they can.
     */
    static Optional<String> unequalBudgets(ExperimentResult.ContenderResult variant,
            ExperimentResult.ContenderResult reference) {
        if (variant.contender().weights() == null || reference.contender().weights() == null) {
            return Optional.of("meta-training iterations of " + variant.label() + " or " + reference.label()
                    + " unknown");
        }
        long v = variant.contender().weights().provenance().budget();
        long ref = reference.contender().weights().provenance().budget();
        if (Math.abs(v - ref) <= BUDGET_TOLERANCE * ref) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "%s %d meta-training iterations vs %s %d (budgets more than "
                + "%.0f%% apart)", variant.label(), v, reference.label(), ref, BUDGET_TOLERANCE * 100));
    }

    @FunctionalInterface
    private interface Check {
        Part apply(ExperimentResult r, ExperimentResult.ContenderResult learned, ExperimentResult.ContenderResult best);
    }

    /** Runs a check when the test ran with the learned optimizer and a tuned baseline; else "not run". */
    private Part withLearned(String test, LearnedRole role, Check check) {
        ExperimentResult r = results.get(test);
        if (r == null) {
            return Part.notRun(test + " not selected");
        }
        if (!r.ran()) {
            return Part.notRun(test + " skipped: " + r.skipped());
        }
        Optional<ExperimentResult.ContenderResult> l = r.learned(role);
        Optional<ExperimentResult.ContenderResult> best = r.bestTuned();
        if (l.isEmpty()) {
            return Part.notRun(test + ": no " + role.label() + " weights");
        }
        if (best.isEmpty()) {
            return Part.notRun(test + ": no tuned baseline has a finite tuning score");
        }
        return check.apply(r, l.get(), best.get());
    }

    /** "RNNprop 0.312 ± 0.004 vs Adam 2^-5 0.356 ± 0.005: diff -0.044 ± 0.003, p = 1.2e-30". */
    static String versus(ExperimentResult.ContenderResult a, ExperimentResult.ContenderResult b, Stats.Paired p) {
        return String.format(Locale.ROOT, "%s %s vs %s %s: diff %+.4g ± %.2g, p = %s", a.label(), meanSe(a),
                b.label(), meanSe(b), p.meanDifference(), p.standardError(), p(p.p()));
    }

    static String meanSe(ExperimentResult.ContenderResult c) {
        double se = c.standardError();
        String s = Double.isNaN(se) ? fmt(c.mean()) : fmt(c.mean()) + " ± " + String.format(Locale.ROOT, "%.2g", se);
        return c.diverged() > 0 ? s + " (" + c.diverged() + " diverged)" : s;
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    static String p(double p) {
        return Double.isNaN(p) ? "n/a" : p < 1e-4 ? String.format(Locale.ROOT, "%.1e", p)
                : String.format(Locale.ROOT, "%.3g", p);
    }

    /** Mean of the finite curve points in the fraction [from, to) of the curve. */
    static double segmentMean(float[] c, double from, double to) {
        int a = (int) Math.floor(from * c.length);
        int b = Math.max(a + 1, (int) Math.ceil(to * c.length));
        double s = 0;
        int n = 0;
        for (int i = a; i < Math.min(b, c.length); i++) {
            if (Float.isFinite(c[i])) {
                s += c[i];
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }
}
