package org.rnnprop.examples.compare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ComparisonResultTest {
    private static TrainingRun run(float... losses) {
        return new TrainingRun(losses, Double.NaN, 1);
    }

    private final Candidate rnnprop = Candidate.rnnprop();
    private final Candidate slow = Candidate.adam(1e-4);
    private final Candidate good = Candidate.adam(1e-3);
    private final Candidate diverged = Candidate.adam(1e-1);

    /** Scores (window 2): RNNprop 1.0 and 2.0; Adam 1e-4 3, 3; Adam 1e-3 1.5, 2.5; Adam 1e-1 NaN, 0.1. */
    private ComparisonResult result() {
        TrainingRun[][] runs = {
            {run(9, 1, 1), run(9, 2, 2)},
            {run(9, 3, 3), run(9, 3, 3)},
            {run(9, 1, 2), run(9, 2, 3)},
            {run(9, Float.NaN, 1), run(9, 0.1f, 0.1f)},
        };
        return new ComparisonResult("m", List.of(rnnprop, slow, good, diverged), new long[] {1, 2}, 2, runs);
    }

    @Test
    void scoresAreTheMeanOfTheLastWindow() {
        ComparisonResult r = result();
        assertArrayEquals(new double[] {1, 2}, r.finalLosses(rnnprop));
        assertEquals(1.5, r.meanFinalLoss(rnnprop));
        assertEquals(-0.5, r.paired(rnnprop, good).mean(), 1e-12);
        assertEquals(2, r.paired(rnnprop, good).test().aWins());
    }

    @Test
    void theBestAdamIgnoresDivergedRates() {
        assertEquals(good, result().bestAdam());
        assertEquals(List.of(rnnprop), List.copyOf(result().learned()));
    }

    @Test
    void theVerdictComparesWithAdam1e3AndTheBestRate() {
        String v = result().verdict();
        assertTrue(v.contains("RNNprop - Adam 1e-3 (best of the sweep): -0.5000"), v);
        assertTrue(v.contains("lower in 2 of 2"), v);
        assertTrue(v.contains("LOWER: better"), "the same difference on both seeds: " + v);
        assertTrue(v.contains("picked on these same runs"), v);
    }

    @Test
    void aDivergedRunShowsInTheTableAndMakesTheMeanNaN() {
        ComparisonResult r = result();
        assertTrue(Double.isNaN(r.meanFinalLoss(diverged)));
        assertTrue(r.table().contains("(1 not finite, left out)"), r.table());
    }

    @Test
    void unknownCandidatesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> result().finalLosses(Candidate.adam(0.5)));
    }
}
