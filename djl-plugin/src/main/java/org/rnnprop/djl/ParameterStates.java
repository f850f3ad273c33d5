package org.rnnprop.djl;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rnnprop.core.OptimizerKind;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.StatePrecision;
import org.rnnprop.djl.internal.NdNetwork;
import org.rnnprop.djl.internal.NdState;
import org.rnnprop.djl.internal.NdWeights;

/**
 * The bookkeeping of a {@link RnnpropOptimizer}: per device, a manager the optimizer owns with the network
 * arranged on it; per parameter and device, the coordinates' state, step count and skipped-gradient counter in
 * persistent arrays of that manager (or, for the core kernel, state rows in CPU memory, {@link CoreRows}); and
 * state loaded from a file, which each parameter takes up at its first update on each device. Not thread-safe:
 * the optimizer serialises every call.
 */
final class ParameterStates implements AutoCloseable {
    private final OptimizerWeights weights;
    private final int chunkSize;
    private final long beginNumUpdate;
    /** Type of the LSTM state arrays: float32, or float16 for 16-bit state. */
    private final DataType lstmType;
    private final RnnpropOptimizer.Kernel kernel;
    private final Map<Device, DeviceContext> devices = new HashMap<>();
    /** parameter id -> device -> state. */
    private final Map<String, Map<Device, Slot>> slots = new HashMap<>();
    /**
     * parameter id -> state loaded from a file. Each device's slot of the parameter starts from it; it is
     * dropped once the parameter has been updated twice, when every device has had its first step.
     */
    private Map<String, Restored> restored = new HashMap<>();

    /**
     * @param weights the optimizer's network
     * @param chunkSize coordinates moved between the heap and native arrays at once
     * @param beginNumUpdate the step count of a parameter before its first update
     * @param precision how the LSTM states are stored: float32 or float16
     */
    ParameterStates(OptimizerWeights weights, int chunkSize, long beginNumUpdate, StatePrecision precision) {
        this(weights, chunkSize, beginNumUpdate, precision, RnnpropOptimizer.Kernel.ND);
    }

    /**
     * As above, with the kernel that steps each parameter ({@link #usesCore}).
     *
     * @throws IllegalArgumentException for the core kernel on 16-bit state, which only NdStep keeps
     */
    ParameterStates(OptimizerWeights weights, int chunkSize, long beginNumUpdate, StatePrecision precision,
            RnnpropOptimizer.Kernel kernel) {
        this.weights = weights;
        this.chunkSize = chunkSize;
        this.beginNumUpdate = beginNumUpdate;
        this.lstmType = switch (precision) {
            case FLOAT32 -> DataType.FLOAT32;
            case FLOAT16 -> DataType.FLOAT16;
            case BFLOAT16 -> throw new IllegalArgumentException("bfloat16 state is not supported in DJL");
        };
        if (kernel == RnnpropOptimizer.Kernel.CORE && precision != StatePrecision.FLOAT32) {
            throw new IllegalArgumentException("kernel CORE keeps float32 state; " + precision
                    + " state is kept by the ND kernel (Kernel.AUTO or Kernel.ND)");
        }
        this.kernel = kernel;
    }

    /**
     * Whether a parameter on {@code device} is stepped by the core kernel (else by NdStep on its device): with
     * float32 state, on the CPU under {@link RnnpropOptimizer.Kernel#AUTO} and everywhere under CORE; 16-bit
     * state is NdStep's alone.
     */
    boolean usesCore(Device device) {
        if (lstmType != DataType.FLOAT32) {
            return false;
        }
        return kernel == RnnpropOptimizer.Kernel.CORE
                || kernel == RnnpropOptimizer.Kernel.AUTO && Device.Type.CPU.equals(device.getDeviceType());
    }

    /** The optimizer's manager and arranged network on one device. */
    private record DeviceContext(NDManager manager, NdNetwork network) {
    }

    /** A parameter's saved state, waiting for its next update; {@code source} names the file in errors. */
    record Restored(StateFile.Entry entry, String source) {
    }

    /**
     * One parameter's state on one device; the arrays are persistent and updated in place. NdStep's slots have
     * {@code state}, {@code skipped} and {@code network}; the core kernel's have {@code coreRows} and count
     * skipped coordinates in {@code coreSkipped}.
     */
    static final class Slot {
        final NdState state;
        final NDArray skipped;
        final long coordinates;
        final NdNetwork network;
        final CoreRows coreRows;
        long coreSkipped;
        long steps;

        private Slot(NdState state, NDArray skipped, long coordinates, NdNetwork network, long steps) {
            this.state = state;
            this.skipped = skipped;
            this.coordinates = coordinates;
            this.network = network;
            this.coreRows = null;
            this.steps = steps;
        }

        private Slot(CoreRows coreRows, long steps) {
            this.state = null;
            this.skipped = null;
            this.coordinates = coreRows.coordinates;
            this.network = null;
            this.coreRows = coreRows;
            this.steps = steps;
        }

        /** Gradient coordinates skipped so far (reads NdStep's counter from its device). */
        long skippedCount() {
            return coreRows != null ? coreSkipped : skipped.getLong();
        }

        /** Coordinates stepped at once: the core kernel's state slabs, or {@code chunkSize} for NdStep. */
        long chunk(int chunkSize) {
            return coreRows != null ? coreRows.slabRows() : chunkSize;
        }

        /** Views of the state of coordinates {@code [from, to)}, attached to {@code part}; writes go through. */
        NdState rows(long from, long to, NDManager part) {
            NDList views = new NDList();
            for (NDArray a : state.toList()) {
                // Coordinates are the last dimension of every state array.
                views.add(a.get("..., " + from + ":" + to));
            }
            part.attachAll(views);
            return NdState.fromList(state.m() != null, views);
        }

        private void close() {
            if (coreRows != null) {
                coreRows.close();
                return;
            }
            state.toList().close();
            skipped.close();
        }
    }

    /**
     * The state of a parameter on the weight's device, made on its first update there: zeros, or the state
     * restored for it.
     *
     * @throws IllegalStateException if restored state has another number of coordinates than the weight
     */
    Slot slot(String parameterId, NDArray weight) {
        Device device = weight.getDevice();
        Map<Device, Slot> perDevice = slots.computeIfAbsent(parameterId, k -> new HashMap<>());
        Slot slot = perDevice.get(device);
        if (slot != null) {
            return slot;
        }
        long n = weight.size();
        if (usesCore(device)) {
            // The core kernel's state is CPU memory whatever the parameter's device.
            int slabRows = Math.min(chunkSize, CoreRows.maxSlabRows(weights.stateWidth()));
            slot = new Slot(CoreRows.zeros(n, weights.stateWidth(), slabRows, context(Device.cpu(), weight).manager),
                    beginNumUpdate);
        } else {
            DeviceContext ctx = context(device, weight);
            NdState state = NdState.zeros(kind(), weights.hyperparameters().hiddenSize(), n, ctx.manager, lstmType);
            NDArray skipped = ctx.manager.zeros(new Shape(), DataType.INT64);
            slot = new Slot(state, skipped, n, ctx.network, beginNumUpdate);
        }
        Restored r = restored.get(parameterId);
        if (r != null) {
            if (r.entry.coordinates() != n) {
                slot.close();
                throw new IllegalStateException(r.source + ": parameter '" + r.entry.name() + "' was saved with "
                        + r.entry.coordinates() + " coordinates but has " + n);
            }
            fill(slot, r.entry);
        }
        perDevice.put(device, slot);
        return slot;
    }

    /** The optimizer's manager and arranged network on {@code device}, made on first use. */
    private DeviceContext context(Device device, NDArray weight) {
        return devices.computeIfAbsent(device, d -> {
            NDManager m = NDManager.newBaseManager(d, weight.getManager().getEngine().getEngineName());
            m.setName("rnnprop-optimizer");
            return new DeviceContext(m, NdNetwork.of(NdWeights.of(weights, m), m));
        });
    }

    /** Records that a parameter's slot has taken step {@code t}. */
    void stepped(String parameterId, Slot slot, long t) {
        slot.steps = t;
        Restored r = restored.get(parameterId);
        if (r != null && t >= r.entry.steps() + 2) {
            restored.remove(parameterId);
        }
    }

    /** Gradient coordinates skipped so far, each parameter counted once however many devices it lives on. */
    long skippedCoordinates() {
        long n = 0;
        for (Map<Device, Slot> perDevice : slots.values()) {
            n += primary(perDevice).skippedCount();
        }
        for (Restored r : pending().values()) {
            n += r.entry.skipped();
        }
        return n;
    }

    /** The step count of a parameter's last update ({@code beginNumUpdate} before its first). */
    long stepCount(String parameterId) {
        Map<Device, Slot> perDevice = slots.get(parameterId);
        if (perDevice != null) {
            return primary(perDevice).steps;
        }
        Restored r = restored.get(parameterId);
        return r == null ? beginNumUpdate : r.entry.steps();
    }

    /** A copy of a parameter's state rows, or null if it has none. */
    float[] stateRows(String parameterId) {
        Map<Device, Slot> perDevice = slots.get(parameterId);
        if (perDevice != null) {
            return rowsOf(primary(perDevice));
        }
        Restored r = restored.get(parameterId);
        return r == null ? null : r.entry.rows().clone();
    }

    /** parameter id -> its state on the device that comes first by name (all devices see the same gradients). */
    Map<String, Slot> live() {
        Map<String, Slot> out = new LinkedHashMap<>();
        slots.forEach((id, perDevice) -> out.put(id, primary(perDevice)));
        return out;
    }

    /** parameter id -> restored state of the parameters that have not been updated since. */
    Map<String, Restored> pending() {
        Map<String, Restored> out = new LinkedHashMap<>();
        restored.forEach((id, r) -> {
            if (!slots.containsKey(id)) {
                out.put(id, r);
            }
        });
        return out;
    }

    /** Drops every parameter's state; each then starts from {@code loaded}, or afresh, at its next update. */
    void replaceAll(Map<String, Restored> loaded) {
        slots.values().forEach(m -> m.values().forEach(Slot::close));
        slots.clear();
        restored = new HashMap<>(loaded);
    }

    /**
     * A copy of a slot's state rows in the core's layout. Rows move in chunks of coordinates, like a step: one
     * native array of a large parameter's whole state would pass 2 GB, past what DJL can create or copy out.
     */
    float[] rowsOf(Slot slot) {
        int width = weights.stateWidth();
        float[] rows = new float[Math.toIntExact(slot.coordinates * width)];
        if (slot.coreRows != null) {
            slot.coreRows.copyTo(rows);
            return rows;
        }
        for (long from = 0; from < slot.coordinates; from += chunkSize) {
            long to = Math.min(slot.coordinates, from + chunkSize);
            try (NDManager part = NDManager.subManagerOf(slot.skipped)) {
                float[] chunk = slot.rows(from, to, part).toRows().toFloatArray();
                System.arraycopy(chunk, 0, rows, Math.toIntExact(from * width), chunk.length);
            }
        }
        return rows;
    }

    private void fill(Slot slot, StateFile.Entry entry) {
        int width = weights.stateWidth();
        float[] rows = entry.rows();
        slot.steps = entry.steps();
        if (slot.coreRows != null) {
            slot.coreRows.copyFrom(rows);
            slot.coreSkipped = entry.skipped();
            return;
        }
        for (long from = 0; from < slot.coordinates; from += chunkSize) {
            long to = Math.min(slot.coordinates, from + chunkSize);
            try (NDManager part = NDManager.subManagerOf(slot.skipped)) {
                NDArray saved = part.create(Arrays.copyOfRange(rows, Math.toIntExact(from * width),
                        Math.toIntExact(to * width)), new Shape(to - from, width));
                copyInto(slot.rows(from, to, part),
                        NdState.fromRows(kind(), weights.hyperparameters().hiddenSize(), saved));
            }
        }
        try (NDManager tmp = NDManager.subManagerOf(slot.skipped)) {
            tmp.tempAttachAll(slot.skipped);
            slot.skipped.set(all(), entry.skipped());
        }
    }

    /**
     * Copies {@code values} into the persistent arrays of {@code target}, element for element, converting to
     * their type (float32 to float16 rounds to nearest even); a converted copy belongs to the value's manager.
     */
    static void copyInto(NdState target, NdState values) {
        NDList to = target.toList();
        NDList from = values.toList();
        for (int i = 0; i < to.size(); i++) {
            to.get(i).set(all(), from.get(i).toType(to.get(i).getDataType(), false));
        }
    }

    /** "All elements" for in-place assignment (the PyTorch engine rejects an empty index). */
    static NDIndex all() {
        return new NDIndex("...");
    }

    private OptimizerKind kind() {
        return weights.kind();
    }

    private static Slot primary(Map<Device, Slot> perDevice) {
        return perDevice.entrySet().stream().min(Comparator.comparing(e -> e.getKey().toString()))
                .orElseThrow().getValue();
    }

    /** Frees every state and the network on every device. */
    @Override
    public void close() {
        replaceAll(Map.of());
        devices.values().forEach(d -> d.manager.close());
        devices.clear();
    }
}
