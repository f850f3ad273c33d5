package org.rnnprop.djl;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.StatePrecision;
import org.rnnprop.pretrained.Pretrained;

/**
 * Save and restore for {@link RnnpropOptimizer}: turns its {@link ParameterStates} into the {@link StateFile}
 * snapshot that {@code saveState} writes, and checks a snapshot that {@code loadState} read against the
 * optimizer and the model before anything is replaced. Parameters are keyed by their names in the model's
 * block, since parameter ids change from run to run.
 */
final class StateSnapshots {
    private StateSnapshots() {
    }

    /**
     * The state of every parameter updated so far, or restored and not updated since, sorted by name.
     *
     * @param precision the optimizer's state precision, which the file records and stores its rows in
     * @param idToName parameter id to the name it is saved under
     * @throws IllegalArgumentException if there is state for a parameter that {@code idToName} lacks
     * @throws IllegalStateException if one parameter's state is more than a state file entry holds
     */
    static StateFile.Snapshot take(ParameterStates states, OptimizerWeights weights, StatePrecision precision,
            Map<String, String> idToName) {
        int width = weights.stateWidth();
        List<StateFile.Entry> entries = new ArrayList<>();
        for (Map.Entry<String, ParameterStates.Slot> e : states.live().entrySet()) {
            String name = idToName.get(e.getKey());
            if (name == null) {
                throw new IllegalArgumentException("the optimizer holds state for parameter id " + e.getKey()
                        + ", which is not among the given parameters: pass the block being trained");
            }
            ParameterStates.Slot s = e.getValue();
            if (s.coordinates * width > Integer.MAX_VALUE) {
                throw new IllegalStateException("parameter '" + name + "': " + s.coordinates + " coordinates x "
                        + width + " floats of state is more than a state file entry holds (" + Integer.MAX_VALUE
                        + " floats, " + Integer.MAX_VALUE / width + " coordinates); nothing was written");
            }
            entries.add(new StateFile.Entry(name, s.steps, s.skippedCount(), s.coordinates, states.rowsOf(s)));
        }
        states.pending().values().forEach(r -> entries.add(r.entry()));
        entries.sort(Comparator.comparing(StateFile.Entry::name));
        return new StateFile.Snapshot(weights.kind(), weights.checksum(), width, precision, entries);
    }

    /**
     * The restored state of each parameter a snapshot names, checked against the optimizer's weights and the
     * parameters; the caller replaces its state with it only if this returns. The snapshot's precision need not
     * be the optimizer's: its values are converted when a parameter takes them up (exactly from 16 bits to
     * float32, rounded to nearest even the other way).
     *
     * @param source names the snapshot's file or stream in errors
     * @param idToName parameter id to the name it was saved under
     * @param sizes parameter id to its number of elements, for the parameters whose size is known now
     * @throws StateFileException naming the source and field, if the snapshot was saved by the other optimizer
     *     kind or with other weights, or names a parameter that is missing or has another size
     */
    static Map<String, ParameterStates.Restored> check(StateFile.Snapshot s, String source, OptimizerWeights weights,
            Map<String, String> idToName, Map<String, Long> sizes) throws StateFileException {
        if (s.kind() != weights.kind()) {
            throw new StateFileException(source, "kind", "state of a '" + s.kind().id()
                    + "' optimizer; this optimizer is '" + weights.kind().id() + "'");
        }
        if (!s.weightsChecksum().equals(weights.checksum())) {
            String shipped = Pretrained.withChecksum(s.weightsChecksum())
                    .map(name -> " (the shipped '" + name + "': build the optimizer with optPretrained(\"" + name
                            + "\") to resume from it)").orElse("");
            throw new StateFileException(source, "weights", "state produced by optimizer weights "
                    + s.weightsChecksum() + shipped + "; this optimizer runs other weights (" + weights.checksum()
                    + ")");
        }
        if (s.width() != weights.stateWidth()) {
            throw new StateFileException(source, "width", s.width() + " floats per coordinate, expected "
                    + weights.stateWidth());
        }
        Map<String, String> nameToId = new HashMap<>();
        idToName.forEach((id, name) -> nameToId.put(name, id));
        Map<String, ParameterStates.Restored> loaded = new HashMap<>();
        for (int i = 0; i < s.entries().size(); i++) {
            StateFile.Entry e = s.entries().get(i);
            String field = "parameters[" + i + "] ('" + e.name() + "')";
            String id = nameToId.get(e.name());
            if (id == null) {
                throw new StateFileException(source, field, "no parameter of that name among "
                        + abbreviate(idToName.values()));
            }
            Long size = sizes.get(id);
            if (size != null && size != e.coordinates()) {
                throw new StateFileException(source, field, e.coordinates() + " coordinates saved, but the "
                        + "parameter has " + size);
            }
            loaded.put(id, new ParameterStates.Restored(e, source));
        }
        return loaded;
    }

    /**
     * The snapshot's values as an optimizer with {@code precision} state keeps them: LSTM values rounded to it
     * (to nearest even) when the snapshot has more bits; the snapshot itself when nothing changes.
     */
    static StateFile.Snapshot inPrecision(StateFile.Snapshot s, StatePrecision precision) {
        if (!precision.isCompact() || s.precision() == precision) {
            return s;
        }
        int moments = StateFile.moments(s.kind(), s.width());
        List<StateFile.Entry> entries = new ArrayList<>();
        for (StateFile.Entry e : s.entries()) {
            float[] rows = e.rows().clone();
            for (int i = 0; i < rows.length; i++) {
                if (i % s.width() >= moments) {
                    rows[i] = precision.round(rows[i]);
                }
            }
            entries.add(new StateFile.Entry(e.name(), e.steps(), e.skipped(), e.coordinates(), rows));
        }
        return new StateFile.Snapshot(s.kind(), s.weightsChecksum(), s.width(), precision, entries);
    }

    /** Parameter id to name, for every parameter of a block ({@code block.getParameters()}). */
    static Map<String, String> parameterNames(Block block) {
        Map<String, String> names = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            names.put(p.getValue().getId(), p.getKey());
        }
        return names;
    }

    /** Parameter id to number of elements, for every initialised parameter of a block. */
    static Map<String, Long> sizes(Block block) {
        Map<String, Long> sizes = new HashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().isInitialized()) {
                sizes.put(p.getValue().getId(), p.getValue().getArray().size());
            }
        }
        return sizes;
    }

    private static String abbreviate(Collection<String> names) {
        List<String> l = new ArrayList<>(names);
        return l.size() <= 8 ? l.toString() : l.subList(0, 8) + " and " + (l.size() - 8) + " more";
    }
}
