package org.rnnprop.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.Provenance;
import org.rnnprop.pretrained.Pretrained;

/** The verdict rules on made-up results. */
class ClaimsTest {

    /** Losses around {@code mean} with small run-to-run noise shared by every optimizer (the pairing). */
    static double[] losses(double mean, int runs) {
        double[] x = new double[runs];
        for (int i = 0; i < runs; i++) {
            x[i] = mean + 0.01 * Math.sin(i) + 0.001 * Math.cos(7.0 * i * mean);
        }
        return x;
    }

    static ExperimentResult.ContenderResult tuned(Baseline b, int k, double mean) {
        return new ExperimentResult.ContenderResult(Contender.baseline(b, k), null, losses(mean, 20),
                new float[] {2.3f, (float) mean}, 1);
    }

    static ExperimentResult.ContenderResult learned(LearnedRole role, double mean, float[] curve) {
        return learned(role, losses(mean, 20), curve, 1000);
    }

    /** A learned optimizer whose weights say they were meta-trained for {@code iterations}. */
    static ExperimentResult.ContenderResult learned(LearnedRole role, double[] finals, float[] curve, long iterations) {
        return learned(role, finals, curve, weights(iterations));
    }

    static ExperimentResult.ContenderResult learned(LearnedRole role, double[] finals, float[] curve,
            OptimizerWeights weights) {
        return new ExperimentResult.ContenderResult(new Contender(role.id() + "#0", role.label(), null, 0, weights,
                null), role, finals, curve, 1);
    }

    static OptimizerWeights weights(long iterations) {
        return weights(iterations, Map.of());
    }

    static OptimizerWeights weights(long iterations, Map<String, String> details) {
        try {
            return Pretrained.load("rnnprop-untrained").withProvenance(new Provenance(true, "rnnprop", "test", 1,
                    iterations, "none", "test", "2025-01-01T00:00:00Z", details));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code c} with comparison run {@code i} diverged. */
    static ExperimentResult.ContenderResult divergedAt(ExperimentResult.ContenderResult c, int i) {
        double[] f = c.finalLosses().clone();
        f[i] = Double.NaN;
        return new ExperimentResult.ContenderResult(c.contender(), c.role(), f, c.meanCurve(), c.window());
    }

    /** {@code r} with the contender of {@code role} replaced. */
    static ExperimentResult replace(ExperimentResult r, LearnedRole role, ExperimentResult.ContenderResult c) {
        List<ExperimentResult.ContenderResult> cs = new ArrayList<>(r.contenders());
        cs.replaceAll(x -> x.role() == role ? c : x);
        return new ExperimentResult(r.experiment(), r.steps(), r.runs(), r.tuneRuns(), null, cs, r.grids(), 0, 0, 0);
    }

    /** A test in which every tuned baseline but Adam sits at 1.0, Adam at {@code adam}, and the learned ones given. */
    static ExperimentResult result(String id, double adam, Map<LearnedRole, Double> learned) {
        List<ExperimentResult.ContenderResult> cs = new ArrayList<>();
        Map<Baseline, List<ExperimentResult.GridPoint>> grids = new EnumMap<>(Baseline.class);
        for (Baseline b : Baseline.values()) {
            double m = b == Baseline.ADAM ? adam : 1.0;
            cs.add(tuned(b, -10, m));
            grids.put(b, List.of(new ExperimentResult.GridPoint(-12, m + 0.2, 3, 0),
                    new ExperimentResult.GridPoint(-10, m, 3, 0), new ExperimentResult.GridPoint(-8, m + 0.2, 3, 0)));
        }
        learned.forEach((role, m) -> cs.add(learned(role, m, new float[] {2.3f, m.floatValue()})));
        return new ExperimentResult(Experiments.byId(id), 100, 20, 3, null, cs, grids, 0, 0, 0);
    }

    static Map<String, ExperimentResult> map(ExperimentResult... rs) {
        Map<String, ExperimentResult> m = new LinkedHashMap<>();
        for (ExperimentResult r : rs) {
            m.put(r.experiment().id(), r);
        }
        return m;
    }

    static Claims.Claim claim(List<Claims.Claim> cs, int n) {
        return cs.get(n - 1);
    }

    @Test
    void claimOneNeedsBothLearnedOptimizersSignificantlyBelowTheBestTunedBaseline() {
        List<Claims.Claim> yes = Claims.evaluate(map(result("mnist-sigmoid-100", 0.5,
                Map.of(LearnedRole.RNNPROP, 0.4, LearnedRole.DM_OPTIMIZER, 0.3))), null);
        assertEquals(Claims.Status.CONFIRMED, claim(yes, 1).status(), claim(yes, 1).evidence());
        assertTrue(claim(yes, 1).evidence().contains("vs Adam 2^-5"), claim(yes, 1).evidence());

        List<Claims.Claim> no = Claims.evaluate(map(result("mnist-sigmoid-100", 0.5,
                Map.of(LearnedRole.RNNPROP, 0.4, LearnedRole.DM_OPTIMIZER, 0.6))), null);
        assertEquals(Claims.Status.REFUTED, claim(no, 1).status());
        // everything else was not selected
        assertEquals(Claims.Status.NOT_RUN, claim(no, 2).status());
        assertTrue(claim(no, 2).evidence().contains("not selected"));
    }

    @Test
    void partsThatDidNotRunAreNamedAndDoNotRefute() {
        ExperimentResult lstm = result("lstm-sine-100", 0.5, Map.of(LearnedRole.RNNPROP, 0.53));
        ExperimentResult skipped = ExperimentResult.skipped(Experiments.byId("lstm-sine-2layers-100"), 100, "why not");
        List<Claims.Claim> cs = Claims.evaluate(map(lstm, skipped), null);
        Claims.Claim c8 = claim(cs, 8);
        assertEquals(Claims.Status.CONFIRMED, c8.status(), c8.evidence()); // 0.53 is within 10% of 0.5
        assertTrue(c8.evidence().startsWith("(only the parts that ran)"), c8.evidence());
        assertTrue(c8.evidence().contains("lstm-sine-2layers-100 skipped: why not"), c8.evidence());

        ExperimentResult worse = result("lstm-sine-100", 0.5, Map.of(LearnedRole.RNNPROP, 0.6));
        assertEquals(Claims.Status.REFUTED, claim(Claims.evaluate(map(worse), null), 8).status());
    }

    @Test
    void claimTwoDmFailsWhenFiftyPercentWorse() {
        Map<LearnedRole, Double> l = Map.of(LearnedRole.RNNPROP, 0.21, LearnedRole.DM_OPTIMIZER, 0.5);
        assertEquals(Claims.Status.CONFIRMED,
                claim(Claims.evaluate(map(result("mnist-sigmoid-2000", 0.2, l)), null), 2).status());
        Map<LearnedRole, Double> dmFine = Map.of(LearnedRole.RNNPROP, 0.21, LearnedRole.DM_OPTIMIZER, 0.22);
        assertEquals(Claims.Status.REFUTED,
                claim(Claims.evaluate(map(result("mnist-sigmoid-2000", 0.2, dmFine)), null), 2).status());
    }

    @Test
    void claimFourLooksForANarrowBandOfAdamRates() {
        // Adam's grid: 0.9 (-12), 0.7 (-10), 0.9 (-8); RNNprop 0.8: Adam wins only at -10
        ExperimentResult r = result("mnist-sigmoid-10000", 0.7, Map.of(LearnedRole.RNNPROP, 0.8));
        Claims.Claim c4 = claim(Claims.evaluate(map(r), null), 4);
        assertEquals(Claims.Status.CONFIRMED, c4.status(), c4.evidence());
        assertTrue(c4.evidence().contains("at 1 of 3 grid points, from 2^-5 to 2^-5"), c4.evidence());
        // RNNprop better than every Adam rate: Adam never beats it, so the claim is refuted
        ExperimentResult never = result("mnist-sigmoid-10000", 0.7, Map.of(LearnedRole.RNNPROP, 0.5));
        assertEquals(Claims.Status.REFUTED, claim(Claims.evaluate(map(never), null), 4).status());
    }

    @Test
    void claimFourAtTheGridsEdgeIsRefutedOnlyWhenTheBandIsAlreadyWideInsideIt() {
        ExperimentResult r = result("mnist-sigmoid-10000", 0.7, Map.of(LearnedRole.RNNPROP, 0.8));
        // Adam below RNNprop's 0.8 from the grid's lowest point (-18) over 7 points: three octaves, not narrow
        Claims.Claim wide = claim(Claims.evaluate(map(withAdamGrid(r, -18, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.9,
                0.9)), null), 4);
        assertEquals(Claims.Status.REFUTED, wide.status(), wide.evidence());
        assertTrue(wide.evidence().contains("already wider than two octaves"), wide.evidence());
        // below it at the edge over 2 points only: the band may go on past the grid, so no verdict
        Claims.Claim edge = claim(Claims.evaluate(map(withAdamGrid(r, -18, 0.5, 0.5, 0.9, 0.9, 0.9)), null), 4);
        assertEquals(Claims.Status.NOT_RUN, edge.status(), edge.evidence());
    }

    /** {@code r} with Adam's tuning grid replaced by {@code means} at half-exponents from {@code first}. */
    private static ExperimentResult withAdamGrid(ExperimentResult r, int first, double... means) {
        Map<Baseline, List<ExperimentResult.GridPoint>> grids = new EnumMap<>(r.grids());
        List<ExperimentResult.GridPoint> adam = new ArrayList<>();
        for (int i = 0; i < means.length; i++) {
            adam.add(new ExperimentResult.GridPoint(first + i, means[i], 3, 0));
        }
        grids.put(Baseline.ADAM, adam);
        return new ExperimentResult(r.experiment(), 100, 20, 3, null, r.contenders(), grids, 0, 0, 0);
    }

    @Test
    void claimTenNeedsTheAblationWeights() {
        ExperimentResult r = result(Experiments.CONTROL, 0.5, Map.of(LearnedRole.RNNPROP, 0.4));
        Claims.Claim c10 = claim(Claims.evaluate(map(r), null), 10);
        assertEquals(Claims.Status.NOT_RUN, c10.status());
        assertTrue(c10.evidence().contains("rnnprop-no-scaling, rnnprop-no-convex"), c10.evidence());

        ExperimentResult full = result(Experiments.CONTROL, 0.5, Map.of(LearnedRole.RNNPROP, 0.4,
                LearnedRole.RNNPROP_NO_SCALING, 0.9, LearnedRole.RNNPROP_NO_CONVEX, 0.45));
        assertEquals(Claims.Status.CONFIRMED, claim(Claims.evaluate(map(full), null), 10).status());
        ExperimentResult convexMatters = result(Experiments.CONTROL, 0.5, Map.of(LearnedRole.RNNPROP, 0.4,
                LearnedRole.RNNPROP_NO_SCALING, 0.45, LearnedRole.RNNPROP_NO_CONVEX, 0.9));
        assertEquals(Claims.Status.REFUTED, claim(Claims.evaluate(map(convexMatters), null), 10).status());
    }

    static TrainingLogs.Run run(String recipe, long[] iterations, double... learned) {
        List<TrainingLogs.Validation> rows = new ArrayList<>();
        for (int i = 0; i < learned.length; i++) {
            rows.add(new TrainingLogs.Validation(iterations[i], learned[i], 0.3));
        }
        return new TrainingLogs.Run(recipe, Path.of("runs", recipe), rows, iterations[learned.length - 1]);
    }

    static long[] every100(int n) {
        long[] its = new long[n];
        for (int i = 0; i < n; i++) {
            its[i] = 100L * (i + 1);
        }
        return its;
    }

    static Claims.Claim claimNine(TrainingLogs.Run with, TrainingLogs.Run without) {
        return claim(Claims.evaluate(map(), new TrainingLogs.Comparison(with, without)), 9);
    }

    @Test
    void claimNineComparesWhenEachRunStaysBelowAdam() {
        // with: below 0.3 from 300 on; without: from 400 on
        Claims.Claim c9 = claimNine(run("rnnprop", every100(5), 0.8, 0.5, 0.28, 0.27, 0.26),
                run("rnnprop-no-convex", every100(5), 0.9, 0.6, 0.4, 0.29, 0.28));
        assertEquals(Claims.Status.CONFIRMED, c9.status(), c9.evidence());
        assertTrue(c9.evidence().contains("300 with the convex term, 400 without"), c9.evidence());
        assertTrue(c9.evidence().contains("rule: only the 5 validations logged by both runs"), c9.evidence());

        TrainingLogs.Comparison half = new TrainingLogs.Comparison(run("rnnprop", every100(3), 0.8, 0.5, 0.28),
                new TrainingLogs.Run("rnnprop-no-convex", Path.of("x"), List.of(), -1));
        assertEquals(Claims.Status.NOT_RUN, claim(Claims.evaluate(map(), half), 9).status());
    }

    @Test
    void claimNineIgnoresOneNoisyValidationRow() {
        // with dips below 0.3 once at 200, but stays below only from 400; without stays below from 300
        Claims.Claim c9 = claimNine(run("rnnprop", every100(5), 0.8, 0.29, 0.5, 0.28, 0.27),
                run("rnnprop-no-convex", every100(5), 0.9, 0.6, 0.29, 0.28, 0.27));
        assertEquals(Claims.Status.REFUTED, c9.status(), c9.evidence());
        assertTrue(c9.evidence().contains("400 with the convex term, 300 without"), c9.evidence());
    }

    @Test
    void claimNineOnlyCountsIterationsBothRunsLogged() {
        // without the convex term, only 3 validations, all better than with; with reaches Adam later, at 800
        Claims.Claim c9 = claimNine(run("rnnprop", every100(9), 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.35, 0.28, 0.27),
                run("rnnprop-no-convex", every100(3), 0.7, 0.6, 0.5));
        assertEquals(Claims.Status.REFUTED, c9.status(), c9.evidence());
        assertTrue(c9.evidence().contains("not reached with the convex term, not reached without"), c9.evidence());
        assertTrue(c9.evidence().contains("mean validation loss over the 3 common validations: 0.8000 with, 0.6000 "
                + "without"), c9.evidence());
    }

    @Test
    void claimNineNeedsThreeCommonValidations() {
        Claims.Claim c9 = claimNine(run("rnnprop", new long[] {100, 200}, 0.8, 0.28),
                run("rnnprop-no-convex", new long[] {100, 200, 300}, 0.9, 0.5, 0.29));
        assertEquals(Claims.Status.NOT_RUN, c9.status(), c9.evidence());
        assertTrue(c9.evidence().contains("only 2 validation iteration(s) logged by both"), c9.evidence());
    }

    @Test
    void claimTenNeedsEqualMetaTrainingBudgets() {
        ExperimentResult r = result(Experiments.CONTROL, 0.5, Map.of(LearnedRole.RNNPROP, 0.4,
                LearnedRole.RNNPROP_NO_SCALING, 0.9, LearnedRole.RNNPROP_NO_CONVEX, 0.45));
        ExperimentResult.ContenderResult noScaling = r.learned(LearnedRole.RNNPROP_NO_SCALING).orElseThrow();
        // 1,080 iterations against RNNprop's 1,000: within 10%, still judged
        ExperimentResult close = replace(r, LearnedRole.RNNPROP_NO_SCALING, learned(LearnedRole.RNNPROP_NO_SCALING,
                noScaling.finalLosses(), noScaling.meanCurve(), 1080));
        assertEquals(Claims.Status.CONFIRMED, claim(Claims.evaluate(map(close), null), 10).status());
        // 600 iterations: the variant had less meta-training, so its loss says nothing about the trick
        ExperimentResult shorter = replace(r, LearnedRole.RNNPROP_NO_SCALING, learned(LearnedRole.RNNPROP_NO_SCALING,
                noScaling.finalLosses(), noScaling.meanCurve(), 600));
        Claims.Claim c10 = claim(Claims.evaluate(map(shorter), null), 10);
        assertEquals(Claims.Status.NOT_RUN, c10.status(), c10.evidence());
        assertTrue(c10.evidence().contains("inconclusive"), c10.evidence());
        assertTrue(c10.evidence().contains("RNNprop without Random Scaling 600 meta-training iterations vs RNNprop "
                + "1000"), c10.evidence());
    }

    @Test
    void claimTenComparesBudgetsNotTheIterationASelectionChose() {
        ExperimentResult r = result(Experiments.CONTROL, 0.5, Map.of(LearnedRole.RNNPROP, 0.4,
                LearnedRole.RNNPROP_NO_SCALING, 0.9, LearnedRole.RNNPROP_NO_CONVEX, 0.45));
        ExperimentResult.ContenderResult noScaling = r.learned(LearnedRole.RNNPROP_NO_SCALING).orElseThrow();
        // validation chose the snapshot at 200 of a 1,000-iteration run: the same budget as RNNprop's
        OptimizerWeights early = weights(200, Map.of(Provenance.BUDGET, "1000"));
        ExperimentResult chosenEarly = replace(r, LearnedRole.RNNPROP_NO_SCALING, learned(
                LearnedRole.RNNPROP_NO_SCALING, noScaling.finalLosses(), noScaling.meanCurve(), early));
        Claims.Claim c10 = claim(Claims.evaluate(map(chosenEarly), null), 10);
        assertEquals(Claims.Status.CONFIRMED, c10.status(), c10.evidence());
    }

    @Test
    void claimNineCountsANonFiniteValidationAsTheWorst() {
        // neither run reaches Adam; the run without the convex term has a diverged validation
        Claims.Claim c9 = claimNine(run("rnnprop", every100(3), 0.5, 0.45, 0.4),
                run("rnnprop-no-convex", every100(3), 0.35, Double.NaN, 0.33));
        assertEquals(Claims.Status.CONFIRMED, c9.status(), c9.evidence());
    }

    @Test
    void claimSixNeedsAnMlpDeeperThanTheBaseOne() {
        ExperimentResult base = result("mnist-sigmoid-100", 0.5, Map.of(LearnedRole.RNNPROP, 0.4));
        Claims.Claim alone = claim(Claims.evaluate(map(base), null), 6);
        assertEquals(Claims.Status.NOT_RUN, alone.status(), alone.evidence());
        assertTrue(alone.evidence().contains("2 or more hidden layers"), alone.evidence());

        ExperimentResult deeper = result("mnist-layers-2-100", 0.5, Map.of(LearnedRole.RNNPROP, 0.4));
        Claims.Claim both = claim(Claims.evaluate(map(base, deeper), null), 6);
        assertEquals(Claims.Status.CONFIRMED, both.status(), both.evidence());
    }

    /** {@code r} with tuned baseline {@code b}'s comparison runs replaced (its tuning grid, and so its rank, kept). */
    static ExperimentResult withBaselineRuns(ExperimentResult r, Baseline b, double[] finals) {
        List<ExperimentResult.ContenderResult> cs = new ArrayList<>(r.contenders());
        cs.replaceAll(c -> c.contender().tuned() && c.contender().baseline() == b
                ? new ExperimentResult.ContenderResult(c.contender(), null, finals, c.meanCurve(), c.window()) : c);
        return new ExperimentResult(r.experiment(), r.steps(), r.runs(), r.tuneRuns(), null, cs, r.grids(), 0, 0, 0);
    }

    @Test
    void claimSevenCountsOnlyTuningBaselinesThatSignificantlyBeatRnnprop() {
        String test = "cnn-mnist-ccpccpff-100";
        ExperimentResult r = result(test, 0.4, Map.of(LearnedRole.RNNPROP, 0.5));
        double[] rnnprop = r.learned(LearnedRole.RNNPROP).orElseThrow().finalLosses();
        // SGD a little lower than RNNprop on average, but far from significant: it does not beat it
        double[] noisy = new double[rnnprop.length];
        for (int i = 0; i < noisy.length; i++) {
            noisy[i] = rnnprop[i] - 0.001 + (i % 2 == 0 ? 0.05 : -0.05);
        }
        Claims.Claim onlyAdam = claim(Claims.evaluate(map(withBaselineRuns(r, Baseline.SGD, noisy)), null), 7);
        assertTrue(onlyAdam.evidence().contains(test + ": RNNprop"), onlyAdam.evidence());
        assertTrue(onlyAdam.evidence().contains("tuned algorithms that beat it: Adam 2^-5"), onlyAdam.evidence());
        assertEquals(Claims.Status.CONFIRMED, onlyAdam.status(), onlyAdam.evidence());
        // SGD clearly lower too: two tuned algorithms beat RNNprop
        double[] lower = rnnprop.clone();
        for (int i = 0; i < lower.length; i++) {
            lower[i] -= 0.05;
        }
        Claims.Claim two = claim(Claims.evaluate(map(withBaselineRuns(r, Baseline.SGD, lower)), null), 7);
        assertEquals(Claims.Status.REFUTED, two.status(), two.evidence());
    }

    @Test
    void claimOneNeedsEveryTunedBaselineBeatenNotOnlyTheBest() {
        ExperimentResult r = result("mnist-sigmoid-100", 0.5, Map.of(LearnedRole.RNNPROP, 0.4,
                LearnedRole.DM_OPTIMIZER, 0.3));
        double[] rnnprop = r.learned(LearnedRole.RNNPROP).orElseThrow().finalLosses();
        // Momentum ranked below Adam on the tuning runs, but on the comparison runs as low as RNNprop
        double[] close = new double[rnnprop.length];
        for (int i = 0; i < close.length; i++) {
            close[i] = rnnprop[i] + 0.001 + (i % 2 == 0 ? 0.05 : -0.05);
        }
        Claims.Claim c1 = claim(Claims.evaluate(map(withBaselineRuns(r, Baseline.MOMENTUM, close)), null), 1);
        assertEquals(Claims.Status.REFUTED, c1.status(), c1.evidence());
        assertTrue(c1.evidence().contains("vs Adam 2^-5"), c1.evidence());
        assertTrue(c1.evidence().contains("not beaten: Momentum"), c1.evidence());
    }

    @Test
    void claimThreeDoesNotCountABaselineWithDivergedRunsAsOvertaking() {
        String test = "mnist-sigmoid-10000";
        ExperimentResult r = result(test, 0.5, Map.of(LearnedRole.RNNPROP, 0.45));
        double[] lower = r.baseline(Baseline.ADAM).orElseThrow().finalLosses().clone();
        for (int i = 0; i < lower.length; i++) {
            lower[i] = i == 4 ? Double.NaN : lower[i] - 0.2;
        }
        Claims.Claim c3 = claim(Claims.evaluate(map(withBaselineRuns(r, Baseline.ADAM, lower)), null), 3);
        assertTrue(c3.evidence().contains("tuned algorithms that beat RNNprop: none"), c3.evidence());
    }

    @Test
    void claimTenCountsDivergedRunsOfAVariantAsACost() {
        ExperimentResult r = result(Experiments.CONTROL, 0.5, Map.of(LearnedRole.RNNPROP, 0.4,
                LearnedRole.RNNPROP_NO_SCALING, 0.45, LearnedRole.RNNPROP_NO_CONVEX, 0.45));
        // equal losses where both ran, but without Random Scaling three runs diverged
        ExperimentResult.ContenderResult noScaling = r.learned(LearnedRole.RNNPROP_NO_SCALING).orElseThrow();
        for (int i : new int[] {2, 5, 11}) {
            noScaling = divergedAt(noScaling, i);
        }
        Claims.Claim c10 = claim(Claims.evaluate(map(replace(r, LearnedRole.RNNPROP_NO_SCALING, noScaling)), null), 10);
        assertEquals(Claims.Status.CONFIRMED, c10.status(), c10.evidence());
        assertTrue(c10.evidence().contains("diverged runs: 3 without Random Scaling, 0 without the convex term"),
                c10.evidence());
        assertEquals(Claims.Status.REFUTED, claim(Claims.evaluate(map(r), null), 10).status(), "equal, no divergence");
    }

    @Test
    void claimFourIsInconclusiveWhenAdamWinsAtAnEdgeOfTheGrid() {
        // Adam's grid: 0.9 (-12), 0.7 (-10), 0.9 (-8); RNNprop 0.95: Adam wins everywhere, up to both edges
        ExperimentResult r = result("mnist-sigmoid-10000", 0.7, Map.of(LearnedRole.RNNPROP, 0.95));
        Claims.Claim c4 = claim(Claims.evaluate(map(r), null), 4);
        assertEquals(Claims.Status.NOT_RUN, c4.status(), c4.evidence());
        assertTrue(c4.evidence().contains("edge of the evaluated grid"), c4.evidence());
    }

    @Test
    void aLearnedOptimizerWithADivergedRunDoesNotBeatABaseline() {
        ExperimentResult r = result("mnist-sigmoid-100", 0.5, Map.of(LearnedRole.RNNPROP, 0.4,
                LearnedRole.DM_OPTIMIZER, 0.3));
        ExperimentResult diverged = replace(r, LearnedRole.RNNPROP,
                divergedAt(r.learned(LearnedRole.RNNPROP).orElseThrow(), 7));
        Claims.Claim c1 = claim(Claims.evaluate(map(diverged), null), 1);
        assertEquals(Claims.Status.REFUTED, c1.status(), c1.evidence());
        assertTrue(c1.evidence().contains("RNNprop diverged in 1 of 20 runs, so it does not count as beating it"),
                c1.evidence());
    }

    @Test
    void oneDivergedRunIsAFailure() {
        ExperimentResult r = result("mnist-sigmoid-2000", 0.2, Map.of(LearnedRole.RNNPROP, 0.21,
                LearnedRole.DM_OPTIMIZER, 0.22));
        assertEquals(Claims.Status.REFUTED, claim(Claims.evaluate(map(r), null), 2).status(), "DM within 10%");
        ExperimentResult diverged = replace(r, LearnedRole.DM_OPTIMIZER,
                divergedAt(r.learned(LearnedRole.DM_OPTIMIZER).orElseThrow(), 3));
        assertEquals(Claims.Status.CONFIRMED, claim(Claims.evaluate(map(diverged), null), 2).status());
    }

    /** Claim 3 with RNNprop decreasing and overtaken by Adam, so DMoptimizer's curve decides. */
    static Claims.Claim claimThree(ExperimentResult.ContenderResult dm) {
        float[] decreasing = new float[20];
        for (int i = 0; i < decreasing.length; i++) {
            decreasing[i] = 2f - 0.05f * i;
        }
        ExperimentResult r = result("mnist-sigmoid-10000", 0.5, Map.of());
        List<ExperimentResult.ContenderResult> cs = new ArrayList<>(r.contenders());
        cs.add(new ExperimentResult.ContenderResult(learned(LearnedRole.RNNPROP, 0.6, decreasing).contender(),
                LearnedRole.RNNPROP, losses(0.6, 20), decreasing, 1));
        cs.add(dm);
        return claim(Claims.evaluate(map(new ExperimentResult(r.experiment(), 10_000, 20, 3, null, cs, r.grids(), 0,
                0, 0)), null), 3);
    }

    @Test
    void claimThreeRisesSkipsNaNPointsAndCountsAnyDivergedRun() {
        // lowest 0.65, last 10% at 1.0; a NaN point (every run non-finite there) must not hide the minimum
        float[] rising = new float[20];
        for (int i = 0; i < rising.length; i++) {
            rising[i] = i < 10 ? 2f - 0.15f * i : 1f;
        }
        rising[3] = Float.NaN;
        Claims.Claim risesWithNaN = claimThree(learned(LearnedRole.DM_OPTIMIZER, losses(1.0, 20), rising, 1000));
        assertEquals(Claims.Status.CONFIRMED, risesWithNaN.status(), risesWithNaN.evidence());

        float[] flat = new float[20];
        java.util.Arrays.fill(flat, 0.7f);
        Claims.Claim steady = claimThree(learned(LearnedRole.DM_OPTIMIZER, losses(0.7, 20), flat, 1000));
        assertEquals(Claims.Status.REFUTED, steady.status(), steady.evidence());
        Claims.Claim oneDiverged = claimThree(divergedAt(learned(LearnedRole.DM_OPTIMIZER, losses(0.7, 20), flat,
                1000), 0));
        assertEquals(Claims.Status.CONFIRMED, oneDiverged.status(), oneDiverged.evidence());
    }

    @Test
    void theBestTunedBaselineIsChosenByItsTuningScore() {
        ExperimentResult r = result("mnist-sigmoid-100", 0.5, Map.of(LearnedRole.RNNPROP, 0.45));
        // Adam's tuning score is the lowest; one of its comparison runs diverged: it stays the best tuned baseline
        List<ExperimentResult.ContenderResult> cs = new ArrayList<>(r.contenders());
        cs.replaceAll(c -> c.contender().baseline() == Baseline.ADAM ? divergedAt(c, 2) : c);
        ExperimentResult adamDiverged = new ExperimentResult(r.experiment(), 100, 20, 3, null, cs, r.grids(), 0, 0,
                0);
        assertEquals(Baseline.ADAM, adamDiverged.bestTuned().orElseThrow().contender().baseline());
        Claims.Claim c1 = claim(Claims.evaluate(map(adamDiverged), null), 1);
        assertTrue(c1.evidence().contains("vs Adam 2^-5 "), c1.evidence());
        assertTrue(c1.evidence().contains("(1 diverged)"), "the divergence is reported: " + c1.evidence());

        // a lower mean on the comparison runs does not make SGD the best: its tuning score is higher
        cs.replaceAll(c -> c.contender().baseline() == Baseline.SGD ? tuned(Baseline.SGD, -10, 0.3) : c);
        ExperimentResult sgdLuckier = new ExperimentResult(r.experiment(), 100, 20, 3, null, cs, r.grids(), 0, 0, 0);
        assertEquals(Baseline.ADAM, sgdLuckier.bestTuned().orElseThrow().contender().baseline());

        // no finite tuning score at all: no best tuned baseline, not an arbitrary one
        Map<Baseline, List<ExperimentResult.GridPoint>> diverging = new EnumMap<>(Baseline.class);
        r.grids().forEach((b, g) -> diverging.put(b, g.stream()
                .map(x -> new ExperimentResult.GridPoint(x.halfExponent(), x.mean(), x.runs(), 1)).toList()));
        ExperimentResult none = new ExperimentResult(r.experiment(), 100, 20, 3, null, r.contenders(), diverging, 0,
                0, 0);
        assertTrue(none.bestTuned().isEmpty());
        Claims.Claim c1none = claim(Claims.evaluate(map(none), null), 1);
        assertEquals(Claims.Status.NOT_RUN, c1none.status());
        assertTrue(c1none.evidence().contains("no tuned baseline has a finite tuning score"), c1none.evidence());
    }
}
