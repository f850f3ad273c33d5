package org.rnnprop.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * A JVM without {@code jdk.incubator.vector} gets FastStep and one log line naming the flag. The build runs this
 * class in a JVM of its own started without the flag (core/pom.xml, execution "without-vector-module"), and
 * nothing else in that JVM asks for a kernel first.
 */
class StepKernelsFallbackTest {

    @Test
    void withoutTheModuleTheFactoryGivesFastStepAndLogsTheFlagOnce() {
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
        Logger logger = Logger.getLogger("org.rnnprop.core");
        logger.addHandler(handler);
        OptimizerWeights w = GoldenFixture.load(OptimizerKind.RNNPROP).weights();
        try (StepKernel own = StepKernels.best(w, 2)) {
            StepKernel shared = StepKernels.best(w);
            assertInstanceOf(FastStep.class, own);
            assertInstanceOf(FastStep.class, shared);
            GoldenFixture.load(OptimizerKind.RNNPROP).checkKernel(shared);
        } finally {
            logger.removeHandler(handler);
        }
        assertEquals(1, records.size(), "one log line for two kernels");
        assertTrue(records.get(0).getMessage().contains("--add-modules jdk.incubator.vector"),
                records.get(0).getMessage());
    }
}
