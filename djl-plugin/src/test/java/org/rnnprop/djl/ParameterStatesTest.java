package org.rnnprop.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rnnprop.core.OptimizerKind;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.StatePrecision;
import org.rnnprop.pretrained.Pretrained;

/**
 * The optimizer's bookkeeping and its save/restore, apart from the update: slots per parameter, restored state
 * taken up at the next update, snapshots and their checks.
 */
class ParameterStatesTest {

    private static OptimizerWeights weights() throws IOException {
        return Pretrained.load("rnnprop-untrained");
    }

    @Test
    void aSlotStartsAtZeroAndCountsItsSteps() throws IOException {
        OptimizerWeights w = weights();
        try (NDManager m = NDManager.newBaseManager(); ParameterStates states = new ParameterStates(w, 3, 4, StatePrecision.FLOAT32)) {
            NDArray weight = m.zeros(new ai.djl.ndarray.types.Shape(2, 5));
            assertEquals(4, states.stepCount("p"));
            assertNull(states.stateRows("p"));
            ParameterStates.Slot slot = states.slot("p", weight);
            assertSame(slot, states.slot("p", weight), "one slot per parameter and device");
            assertEquals(10, slot.coordinates);
            assertArrayEquals(new float[10 * w.stateWidth()], states.stateRows("p"));
            states.stepped("p", slot, 5);
            assertEquals(5, states.stepCount("p"));
            assertEquals(0, states.skippedCoordinates());
            assertEquals(List.of("p"), List.copyOf(states.live().keySet()));
        }
    }

    @Test
    void autoGivesTheCoreKernelToCpuParametersOnly() throws IOException {
        try (ParameterStates auto = new ParameterStates(weights(), 3, 0, StatePrecision.FLOAT32, RnnpropOptimizer.Kernel.AUTO);
                ParameterStates core = new ParameterStates(weights(), 3, 0, StatePrecision.FLOAT32, RnnpropOptimizer.Kernel.CORE);
                ParameterStates nd = new ParameterStates(weights(), 3, 0, StatePrecision.FLOAT32, RnnpropOptimizer.Kernel.ND)) {
            assertTrue(auto.usesCore(Device.cpu()));
            assertFalse(auto.usesCore(Device.gpu()));
            assertTrue(core.usesCore(Device.gpu()));
            assertFalse(nd.usesCore(Device.cpu()));
        }
    }

    @ParameterizedTest
    @EnumSource(value = RnnpropOptimizer.Kernel.class, names = {"ND", "CORE"})
    void restoredStateIsTakenUpAtTheNextUpdateAndSnapshotsRoundTrip(RnnpropOptimizer.Kernel kernel)
            throws IOException {
        OptimizerWeights w = weights();
        int width = w.stateWidth();
        float[] rows = new float[7 * width];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i * 1e-3f;
        }
        StateFile.Snapshot saved = new StateFile.Snapshot(OptimizerKind.RNNPROP, w.checksum(), width,
                List.of(new StateFile.Entry("layer.weight", 9, 2, 7, rows)));
        Map<String, String> idToName = Map.of("id-1", "layer.weight");
        try (NDManager m = NDManager.newBaseManager();
                ParameterStates states = new ParameterStates(w, 3, 0, StatePrecision.FLOAT32, kernel)) {
            states.replaceAll(StateSnapshots.check(saved, "saved.state", w, idToName, Map.of("id-1", 7L)));
            assertEquals(9, states.stepCount("id-1"), "before the update: the saved count");
            assertEquals(2, states.skippedCoordinates());
            assertEquals(saved.entries(), StateSnapshots.take(states, w, StatePrecision.FLOAT32, idToName).entries(),
                    "state not yet taken up is saved as it was loaded");

            ParameterStates.Slot slot = states.slot("id-1", m.zeros(new ai.djl.ndarray.types.Shape(7)));
            assertEquals(kernel == RnnpropOptimizer.Kernel.CORE, slot.coreRows != null);
            assertEquals(9, slot.steps);
            assertArrayEquals(rows, states.stateRows("id-1"), "chunks of 3 rows, the last one shorter");
            StateFile.Snapshot again = StateSnapshots.take(states, w, StatePrecision.FLOAT32, idToName);
            assertArrayEquals(rows, again.entries().get(0).rows());
            assertEquals(2, again.entries().get(0).skipped());

            states.stepped("id-1", slot, 11);
            assertTrue(states.pending().isEmpty(), "dropped once every device has stepped");
            assertThrows(IllegalArgumentException.class, () -> StateSnapshots.take(states, w, StatePrecision.FLOAT32, Map.of()),
                    "state for a parameter the caller does not name");
        }
    }

    @Test
    void aSnapshotThatDoesNotFitIsRefusedNamingTheField() throws IOException {
        OptimizerWeights w = weights();
        int width = w.stateWidth();
        StateFile.Entry entry = new StateFile.Entry("b", 1, 0, 2, new float[2 * width]);
        StateFile.Snapshot good = new StateFile.Snapshot(OptimizerKind.RNNPROP, w.checksum(), width, List.of(entry));
        assertEquals(1, StateSnapshots.check(good, "s", w, Map.of("x", "b"), Map.of()).size());
        assertRefused(new StateFile.Snapshot(OptimizerKind.DM_OPTIMIZER, w.checksum(), width, List.of(entry)),
                w, Map.of("x", "b"), Map.of(), "kind");
        assertRefused(new StateFile.Snapshot(OptimizerKind.RNNPROP, "0".repeat(64), width, List.of(entry)),
                w, Map.of("x", "b"), Map.of(), "weights");
        assertRefused(good, w, Map.of("x", "c"), Map.of(), "parameters[0] ('b')");
        assertRefused(good, w, Map.of("x", "b"), Map.of("x", 3L), "2 coordinates saved, but the parameter has 3");
    }

    @Test
    void aRefusedLoadLeavesTheOptimizersStateAsItWas() throws IOException {
        try (NDManager m = NDManager.newBaseManager();
                RnnpropOptimizer opt = RnnpropOptimizer.builder().optPretrained("rnnprop-untrained").build();
                RnnpropOptimizer dm = RnnpropOptimizer.builder().optPretrained("dm-optimizer-untrained").build()) {
            NDArray weight = m.ones(new ai.djl.ndarray.types.Shape(6));
            opt.update("w", weight, m.arange(6f).sub(2f));
            dm.update("w", m.ones(new ai.djl.ndarray.types.Shape(6)), m.ones(new ai.djl.ndarray.types.Shape(6)));
            java.io.ByteArrayOutputStream other = new java.io.ByteArrayOutputStream();
            dm.saveState(other, Map.of("w", "w"));
            float[] rows = opt.stateRows("w");
            assertThrows(StateFileException.class, () -> opt.loadState(
                    new java.io.ByteArrayInputStream(other.toByteArray()), "dm.state", Map.of("w", "w")));
            assertArrayEquals(rows, opt.stateRows("w"));
            assertEquals(1, opt.stepCount("w"));
        }
    }

    private static void assertRefused(StateFile.Snapshot s, OptimizerWeights w, Map<String, String> idToName,
            Map<String, Long> sizes, String expected) {
        StateFileException e = assertThrows(StateFileException.class,
                () -> StateSnapshots.check(s, "file.state", w, idToName, sizes));
        assertTrue(e.getMessage().contains("file.state") && e.getMessage().contains(expected), e.getMessage());
    }
}
