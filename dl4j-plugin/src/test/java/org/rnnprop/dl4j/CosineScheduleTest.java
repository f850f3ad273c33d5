package org.rnnprop.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.training.tracker.CosineTracker;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** CosineSchedule: its values, DJL's CosineTracker, its checks and its JSON. */
class CosineScheduleTest {

    @Test
    void valuesFollowTheFormulaFromStepOneAndStayAtTheFinalValue() {
        CosineSchedule s = new CosineSchedule(ScheduleType.ITERATION, 1, 0.01, 4);
        // 0.01 + 0.99 * (1 + cos(pi * t / 4)) / 2 at t = iteration + 1 = 1, 2, 3, 4; then 0.01.
        double[] expected = {0.855017856687341, 0.505, 0.15498214331265903, 0.01, 0.01, 0.01};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], s.valueAt(i, 7), 1e-15, "iteration " + i);
        }
        assertEquals(0.01, s.valueAt(3, 0), 0, "the last planned iteration runs at the final value exactly");
        assertEquals(0.01, s.valueAt(Integer.MAX_VALUE, 0), 0);

        CosineSchedule byEpoch = new CosineSchedule(ScheduleType.EPOCH, 1, 0.01, 4);
        for (int e = 0; e < expected.length; e++) {
            assertEquals(expected[e], byEpoch.valueAt(99, e), 1e-15, "epoch " + e);
        }
        // A rise works the same way: 0.25 + 1.75 * (1 + cos(pi / 3)) / 2 = 1.5625 at the first of 3 steps.
        CosineSchedule rise = new CosineSchedule(ScheduleType.ITERATION, 2, 0.25, 3);
        assertEquals(1.5625, rise.valueAt(0, 0), 1e-15);
    }

    /** Iteration i of DL4J is step i + 1 of the DJL plugin: the same values, to float rounding. */
    @Test
    void agreesWithDjlsCosineTrackerAtTheDjlPluginsStepCount() {
        for (int steps : new int[] {1, 7, 100, 2000}) {
            for (float finalValue : new float[] {0.01f, 0f, 0.3f}) { // 0.01: CosineTracker's default
                CosineTracker djl = CosineTracker.builder().setBaseValue(1f).optFinalValue(finalValue)
                        .setMaxUpdates(steps).build();
                CosineSchedule dl4j = new CosineSchedule(ScheduleType.ITERATION, 1, finalValue, steps);
                for (int i = 0; i < steps + 5; i++) {
                    assertEquals(djl.getNewValue(i + 1), dl4j.valueAt(i, 0), 1e-6,
                            "steps " + steps + ", final " + finalValue + ", iteration " + i);
                }
            }
        }
    }

    @Test
    void everyArgumentIsChecked() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CosineSchedule(ScheduleType.ITERATION, Double.NaN, 0, 10));
        assertTrue(e.getMessage().contains("initialValue"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new CosineSchedule(ScheduleType.ITERATION, 1, Double.NEGATIVE_INFINITY, 10));
        assertTrue(e.getMessage().contains("finalValue"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new CosineSchedule(ScheduleType.ITERATION, 1, 0, 0));
        assertTrue(e.getMessage().contains("maxIter"), e.getMessage());
        assertThrows(NullPointerException.class, () -> new CosineSchedule(null, 1, 0, 10));
    }

    @Test
    void valueSemantics() {
        CosineSchedule s = new CosineSchedule(ScheduleType.ITERATION, 1, 0.01, 100);
        assertEquals(s, new CosineSchedule(ScheduleType.ITERATION, 1, 0.01, 100));
        assertEquals(s.hashCode(), new CosineSchedule(ScheduleType.ITERATION, 1, 0.01, 100).hashCode());
        assertEquals(s, s.clone());
        assertNotEquals(s, new CosineSchedule(ScheduleType.EPOCH, 1, 0.01, 100));
        assertNotEquals(s, new CosineSchedule(ScheduleType.ITERATION, 1, 0.02, 100));
        assertNotEquals(s, new CosineSchedule(ScheduleType.ITERATION, 1, 0.01, 101));
        assertEquals("CosineSchedule(scheduleType=ITERATION, initialValue=1.0, finalValue=0.01, maxIter=100)",
                s.toString());
    }

    /** Through DL4J's own configuration mapper, as DL4J's schedules are written: with its class name. */
    @Test
    void jsonRoundTripThroughDl4jsMapper() throws Exception {
        ObjectMapper mapper = NeuralNetConfiguration.mapper();
        CosineSchedule s = new CosineSchedule(ScheduleType.EPOCH, 0.5, 0.005, 30);
        String json = mapper.writeValueAsString(s);
        assertTrue(json.contains("\"@class\" : \"org.rnnprop.dl4j.CosineSchedule\""), json);
        assertEquals(s, mapper.readValue(json, ISchedule.class));
        String bad = json.replace("30", "-3");
        Exception e = assertThrows(Exception.class, () -> mapper.readValue(bad, ISchedule.class));
        assertTrue(String.valueOf(e.getMessage()).contains("maxIter must be >= 1"), e.getMessage());
    }
}
