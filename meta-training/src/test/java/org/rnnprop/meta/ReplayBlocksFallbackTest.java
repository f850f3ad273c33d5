package org.rnnprop.meta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.rnnprop.core.OptimizerKind;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.StepKernels;

/**
 * A JVM without {@code jdk.incubator.vector} replays in plain Java and says so once, naming the flag. The build
 * runs this class in a JVM of its own started without the flag (meta-training/pom.xml, execution
 * "without-vector-module"), where nothing else makes a replay first.
 */
class ReplayBlocksFallbackTest {

    @Test
    void withoutTheModuleTheReplayIsPlainAndLogsTheFlagOnce() {
        assumeFalse(StepKernels.vectorEnabled(), "this JVM reads jdk.incubator.vector; the fallback is tested by "
                + "the build's test execution without " + StepKernels.VECTOR_FLAG);
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger("org.rnnprop.meta");
        logger.addHandler(handler);
        HandReplay first;
        try {
            first = new HandReplay(2);
            assertFalse(new HandReplay(1).vector());
        } finally {
            logger.removeHandler(handler);
        }
        assertFalse(first.vector());
        assertEquals(1, records.size(), "one log line for two replays");
        assertTrue(records.get(0).getMessage().contains(StepKernels.VECTOR_FLAG), records.get(0).getMessage());
        assertThrows(UnsupportedOperationException.class, () -> new HandReplay(1, true));

        OptimizerWeights w = HandReplayTest.perturbed(OptimizerKind.RNNPROP, 3);
        HandReplayTest.Period p = HandReplayTest.period(w, Recipe.Objective.MEAN_LOSS, 70, 4, 2, 5);
        Map<String, float[]> expected = new HandReplay(1, false).gradient(w, p.state0(), p.gradients(),
                p.lossWeights(), p.t0());
        first.gradient(w, p.state0(), p.gradients(), p.lossWeights(), p.t0())
                .forEach((k, g) -> assertArrayEquals(expected.get(k), g, k));
    }
}
