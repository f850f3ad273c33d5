package org.rnnprop.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProvenanceTest {
    @Test
    void theBudgetIsTheRecordedSearchOrElseTheIterations() {
        assertEquals(1300, provenance(1300, Map.of()).budget());
        assertEquals(1200, provenance(200, Map.of(Provenance.BUDGET, "1200")).budget());
    }

    @Test
    void aMalformedBudgetIsRefusedByName() {
        IllegalArgumentException notANumber = assertThrows(IllegalArgumentException.class,
                () -> provenance(200, Map.of(Provenance.BUDGET, "1,200")).budget());
        assertTrue(notANumber.getMessage().contains("provenance.details.budget"), notANumber.getMessage());
        IllegalArgumentException tooSmall = assertThrows(IllegalArgumentException.class,
                () -> provenance(200, Map.of(Provenance.BUDGET, "100")).budget());
        assertTrue(tooSmall.getMessage().contains("less than provenance.iterations (200)"), tooSmall.getMessage());
    }

    private static Provenance provenance(long iterations, Map<String, String> details) {
        return new Provenance(true, "rnnprop", "test", 1, iterations, "none", "test", "2026-01-01T00:00:00Z",
                details);
    }
}
