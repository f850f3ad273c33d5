package org.rnnprop.evaluation;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.rnnprop.core.OptimizerWeights;
import org.rnnprop.core.StatePrecision;
import org.rnnprop.core.StepKernel;

/**
 * How {@link StatePrecisionCheck} keeps RNNprop's LSTM state: the library's {@link StatePrecision}s, stored as
 * the plugins store them, and blockwise 8-bit variants that are only simulated ({@link Int8StateStep}).
 */
enum StateFormat {
    FLOAT32("float32", StatePrecision.FLOAT32, null),
    FLOAT16("float16", StatePrecision.FLOAT16, null),
    BFLOAT16("bfloat16", StatePrecision.BFLOAT16, null),
    /** h in blockwise 8 bits, c in float16: simulated. */
    INT8_H("int8-h", null, Int8StateStep.Cells.FLOAT16),
    /** h and c in blockwise 8 bits: simulated. */
    INT8_HC("int8-hc", null, Int8StateStep.Cells.INT8);

    private final String id;
    private final StatePrecision precision;
    private final Int8StateStep.Cells cells;

    StateFormat(String id, StatePrecision precision, Int8StateStep.Cells cells) {
        this.id = id;
        this.precision = precision;
        this.cells = cells;
    }

    /** The name on the command line and in the report. */
    String id() {
        return id;
    }

    /** Parses {@link #id()}; throws naming the accepted values. */
    static StateFormat fromId(String id) {
        for (StateFormat f : values()) {
            if (f.id.equals(id)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown state precision '" + id + "' (expected one of "
                + Arrays.stream(values()).map(f -> "'" + f.id + "'").collect(Collectors.joining(", ")) + ")");
    }

    /** Whether this format is only simulated on float32 rows ({@link Int8StateStep}). */
    boolean isSimulated() {
        return cells != null;
    }

    /** The library's precision: float32 for the simulated formats, whose rows are float32. */
    StatePrecision precision() {
        return isSimulated() ? StatePrecision.FLOAT32 : precision;
    }

    /** Bytes of state per coordinate as stored (for a simulated format: as an 8-bit store would need). */
    int bytesPerCoordinate(OptimizerWeights w) {
        return isSimulated() ? Int8StateStep.bytesPerCoordinate(w, cells) : precision.bytesPerCoordinate(w);
    }

    /** 32-bit slots per coordinate, as DL4J would hold the state: bytes rounded up to whole floats. */
    int slots(OptimizerWeights w) {
        return isSimulated() ? (bytesPerCoordinate(w) + Float.BYTES - 1) / Float.BYTES : precision.slots(w);
    }

    /** For a simulated format, {@code kernel} (on float32 state) wrapped in the simulation; otherwise the kernel. */
    StepKernel wrap(StepKernel kernel) {
        return isSimulated() ? new Int8StateStep(kernel, cells) : kernel;
    }
}
