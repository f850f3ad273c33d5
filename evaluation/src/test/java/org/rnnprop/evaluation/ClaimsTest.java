package org.rnnprop.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
        return new ExperimentResult.ContenderResult(new Contender(role.id() + "#0", role.label(), null, 0, null), role,
                losses(mean, 20), curve, 1);
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

    @Test
    void claimNineComparesIterationsToReachAdam() {
        List<TrainingLogs.Validation> with = List.of(new TrainingLogs.Validation(100, 0.8, 0.3),
                new TrainingLogs.Validation(200, 0.28, 0.3));
        List<TrainingLogs.Validation> without = List.of(new TrainingLogs.Validation(100, 0.9, 0.3),
                new TrainingLogs.Validation(200, 0.5, 0.3), new TrainingLogs.Validation(300, 0.29, 0.3));
        TrainingLogs.Comparison c = new TrainingLogs.Comparison(
                new TrainingLogs.Run("rnnprop", Path.of("runs/rnnprop"), with, 200),
                new TrainingLogs.Run("rnnprop-no-convex", Path.of("runs/rnnprop-no-convex"), without, 300));
        Claims.Claim c9 = claim(Claims.evaluate(map(), c), 9);
        assertEquals(Claims.Status.CONFIRMED, c9.status(), c9.evidence());
        assertTrue(c9.evidence().contains("200 with the convex term, 300 without"), c9.evidence());

        TrainingLogs.Comparison half = new TrainingLogs.Comparison(c.with(),
                new TrainingLogs.Run("rnnprop-no-convex", Path.of("x"), List.of(), -1));
        assertEquals(Claims.Status.NOT_RUN, claim(Claims.evaluate(map(), half), 9).status());
    }
}
