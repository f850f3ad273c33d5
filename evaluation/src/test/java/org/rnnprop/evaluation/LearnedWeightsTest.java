package org.rnnprop.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Resolving the learned roles' weights, and scaling their alpha. */
class LearnedWeightsTest {

    @Test
    void alphaScaleMultipliesTheStepBoundOfThatRoleOnlyAndGivesItAnotherCacheKey() throws IOException {
        LearnedWeights plain = LearnedWeights.resolve(Map.of());
        LearnedWeights scaled = LearnedWeights.resolve(Map.of(), Map.of("rnnprop", 0.5));
        LearnedWeights.Choice before = plain.chosen().get(LearnedRole.RNNPROP);
        LearnedWeights.Choice after = scaled.chosen().get(LearnedRole.RNNPROP);

        assertEquals(before.weights().hyperparameters().alpha() * 0.5, after.weights().hyperparameters().alpha());
        assertEquals(before.weights().checksum(), after.weights().checksum(), "same network");
        assertTrue(after.source().endsWith(" with alpha x0.5 (0.05)"), after.source());
        assertNotEquals(Contender.learnedKey(LearnedRole.RNNPROP, before.weights()),
                Contender.learnedKey(LearnedRole.RNNPROP, after.weights()));
        LearnedWeights.Choice dm = scaled.chosen().get(LearnedRole.DM_OPTIMIZER);
        assertEquals(plain.chosen().get(LearnedRole.DM_OPTIMIZER).weights().hyperparameters(),
                dm.weights().hyperparameters(), "other roles keep their alpha");
    }

    @Test
    void aFactorThatIsNotFiniteAndPositiveOrAnUnknownRoleIsRefusedByName() {
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LearnedWeights.resolve(Map.of(), Map.of("rnnprop", bad)));
            assertTrue(e.getMessage().contains("--alpha-scale rnnprop"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> LearnedWeights.resolve(Map.of(), Map.of("rnnprp", 0.5)));
    }
}
