package org.rnnprop.meta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnnprop.tasks.Rng;

/** The curriculum's advance rule, its final phase and its persisted state. */
class CurriculumTest {

    private static LongHorizon settings(int patience) {
        return new LongHorizon(new int[] {100, 200, 500}, patience, 0, 10, 1, 1000);
    }

    private static Map<String, float[]> net(float v) {
        return Map.of("w", new float[] {v});
    }

    @Test
    void advancesAfterPatienceChecksWithoutImprovementAndGoesBackToTheStageBest() {
        Curriculum c = new Curriculum(settings(3));
        Rng rng = new Rng(1);
        assertEquals(100, c.trainingLength(rng, 20));
        assertArrayEquals(new int[] {200}, c.validationLengths(), "validated at the next stage's length");
        assertEquals(Curriculum.Decision.IMPROVED, c.record(1.0, 9, net(1)));
        assertEquals(Curriculum.Decision.IMPROVED, c.record(0.5, 19, net(2)));
        assertEquals(Curriculum.Decision.WAITING, c.record(0.6, 29, net(3)));
        assertEquals(Curriculum.Decision.WAITING, c.record(0.5, 39, net(4)), "a tie is no improvement");
        assertEquals(Curriculum.Decision.ADVANCED, c.record(0.7, 49, net(5)));
        assertEquals(2.0f, c.restartNetwork().get("w")[0], "back to the best network of the stage");
        assertEquals(1, c.stage());
        assertEquals(200, c.trainingLength(rng, 20));
        assertArrayEquals(new int[] {500}, c.validationLengths());
        assertEquals(Double.POSITIVE_INFINITY, c.best(), "a new stage starts with no best");
        assertNull(c.bestNetwork());
    }

    @Test
    void eachStageIsFirstCheckedOnTheNetworkItStartsFromAndKeepsItUnlessTrainingBeatsIt() {
        Curriculum c = new Curriculum(settings(2));
        assertTrue(c.startUnchecked(), "a new run: the warm start is checked first");
        assertEquals(Curriculum.Decision.IMPROVED, c.record(0.5, -1, net(0)));
        assertFalse(c.startUnchecked());
        assertEquals(Curriculum.Decision.WAITING, c.record(0.7, 9, net(1)));
        assertEquals(Curriculum.Decision.ADVANCED, c.record(0.6, 19, net(2)));
        assertEquals(0.0f, c.restartNetwork().get("w")[0], "training never beat the start: back to it");
        assertTrue(c.startUnchecked(), "the next stage checks its start network too");
        c.record(0.9, 19, net(0));
        assertFalse(c.startUnchecked());
        Curriculum nan = new Curriculum(settings(2));
        nan.record(Double.NaN, -1, net(0));
        assertFalse(nan.startUnchecked(), "a failed check is not repeated at every iteration");
    }

    @Test
    void anImprovementResetsThePatience() {
        Curriculum c = new Curriculum(settings(2));
        c.record(1.0, 0, net(1));
        assertEquals(Curriculum.Decision.WAITING, c.record(1.1, 1, net(2)));
        assertEquals(Curriculum.Decision.IMPROVED, c.record(0.9, 2, net(3)));
        assertEquals(Curriculum.Decision.WAITING, c.record(1.1, 3, net(4)));
        assertEquals(Curriculum.Decision.ADVANCED, c.record(1.1, 4, net(5)));
        assertEquals(3.0f, c.restartNetwork().get("w")[0]);
    }

    @Test
    void theLastStageLeadsToALogUniformFinalPhaseThatNeverAdvances() {
        Curriculum c = new Curriculum(settings(1));
        for (int stage = 0; stage < 3; stage++) {
            assertFalse(c.finalPhase());
            c.record(1.0, stage * 2, net(stage));
            assertEquals(Curriculum.Decision.ADVANCED, c.record(1.0, stage * 2 + 1, net(9)));
        }
        assertTrue(c.finalPhase());
        assertArrayEquals(new int[] {100, 500}, c.validationLengths(), "judged at both ends of the range");
        Rng rng = new Rng(3);
        int below200 = 0;
        for (int i = 0; i < 2000; i++) {
            int l = c.trainingLength(rng, 20);
            assertTrue(l >= 100 && l <= 500 && l % 20 == 0, "length " + l);
            below200 += l < 200 ? 1 : 0;
        }
        // log-uniform over [100, 500]: P(l < 200) = ln 2 / ln 5 = 0.43 (less a little for the rounding down)
        assertTrue(below200 > 800 && below200 < 950, below200 + " of 2000 below 200");
        c.record(1.0, 10, net(1));
        for (int i = 0; i < 5; i++) {
            assertEquals(Curriculum.Decision.WAITING, c.record(2.0, 11 + i, net(2)));
        }
    }

    @Test
    void checksFallDueEveryGivenNumberOfTrainingSteps() {
        Curriculum c = new Curriculum(settings(3));
        assertFalse(c.trained(400));
        assertFalse(c.trained(500));
        assertTrue(c.trained(100));
        assertFalse(c.trained(999));
        assertTrue(c.trained(5000), "one long trajectory can make a check due at once");
    }

    @Test
    void stateRoundTripsAndBadStatesAreRefused() {
        Curriculum c = new Curriculum(settings(3));
        c.record(0.4, 7, net(4));
        c.record(0.5, 8, net(5));
        c.trained(300);
        Curriculum d = new Curriculum(settings(3));
        d.restore(c.state());
        assertEquals(c.best(), d.best());
        assertEquals(1, d.sinceBest());
        assertEquals(7, d.bestIteration());
        assertEquals(4.0f, d.bestNetwork().get("w")[0]);
        assertFalse(d.trained(699));
        assertTrue(d.trained(1));
        assertThrows(IllegalArgumentException.class,
                () -> d.restore(new Curriculum.State(4, 0, 0, -1, null, 0)), "past the final phase");
        assertThrows(IllegalArgumentException.class, () -> d.restore(new Curriculum.State(0, 0, -1, -1, null, 0)));
    }

    @Test
    void settingsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new LongHorizon(new int[] {200, 100}, 3, 0, 10, 1, 10));
        assertThrows(IllegalArgumentException.class, () -> new LongHorizon(new int[] {}, 3, 0, 10, 1, 10));
        assertThrows(IllegalArgumentException.class, () -> new LongHorizon(new int[] {100}, 0, 0, 10, 1, 10));
        assertThrows(IllegalArgumentException.class, () -> new LongHorizon(new int[] {100}, 3, -1, 10, 1, 10));
        assertThrows(IllegalArgumentException.class, () -> new LongHorizon(new int[] {100}, 3, 0, 1, 1, 10));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingConfig.paper(Recipe.RNNPROP_LONG, 1).withSteps(120, 30));
        assertTrue(e.getMessage().contains("multiple of the unroll"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> TrainingConfig.paper(Recipe.RNNPROP, 1).withLongHorizon(LongHorizon.defaults()));
    }
}
