package org.rnnprop.tasks.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.training.tracker.ParameterTracker;
import org.junit.jupiter.api.Test;

class AlphaScheduleTest {

    @Test
    void cosineIsDjlsTrackerFromOneToItsDefaultFinalValueOverThePlannedSteps() {
        ParameterTracker c = AlphaSchedule.COSINE.over(1000);
        // 1-based steps, as the plugins count them
        assertEquals(0.01 + 0.99 * (1 + Math.cos(Math.PI / 1000)) / 2, c.getNewValue("alpha", 1), 1e-6);
        assertEquals(0.505, c.getNewValue("alpha", 500), 1e-6);
        assertEquals(0.01, c.getNewValue("alpha", 1000), 1e-6);
    }

    @Test
    void constantIsOneEverywhere() {
        ParameterTracker c = AlphaSchedule.CONSTANT.over(10);
        for (int t = 1; t <= 20; t++) {
            assertEquals(1f, c.getNewValue("alpha", t));
        }
    }

    @Test
    void namesRoundTripAndOthersAreRefusedByName() {
        for (AlphaSchedule s : AlphaSchedule.values()) {
            assertEquals(s, AlphaSchedule.of(s.id()));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AlphaSchedule.of("linear"));
        assertTrue(e.getMessage().contains("'linear'") && e.getMessage().contains("cosine"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AlphaSchedule.COSINE.over(0));
    }
}
