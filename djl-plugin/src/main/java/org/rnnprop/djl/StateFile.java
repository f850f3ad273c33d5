package org.rnnprop.djl;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.rnnprop.core.internal.AtomicFiles;
import org.rnnprop.core.internal.NonClosingOutputStream;
import org.rnnprop.core.OptimizerKind;

/**
 * The saved state of a {@link RnnpropOptimizer}: binary, big-endian ({@link DataOutputStream} encoding),
 * format version {@value #VERSION}.
 *
 * <pre>
 * magic        8 bytes   "RNNPSTAT" (ASCII)
 * version      int32     1
 * kind         UTF       optimizer kind id, "rnnprop" or "dm-optimizer" ({@link DataOutputStream#writeUTF})
 * weights      UTF       SHA-256 of the optimizer weights ({@code OptimizerWeights.checksum()})
 * width        int32     floats of state per coordinate (82 for RNNprop, 80 for DMoptimizer)
 * count        int32     number of parameters that follow
 * count times:
 *   name       UTF       the parameter's name in its block ({@code block.getParameters()} key)
 *   steps      int64     the step count t of the parameter's last update (0: never updated)
 *   skipped    int64     gradient coordinates skipped so far because they were not finite
 *   n          int64     coordinates (elements) of the parameter
 *   rows       n*width float32  the state in the core's row layout: one row per coordinate,
 *                        [m, v,] h1, c1, h2, c2 (m and v for RNNprop only)
 * crc32        int64     CRC-32 of every preceding byte
 * </pre>
 *
 * Reading checks everything, including that nothing follows the checksum, and throws
 * {@link StateFileException} naming the source and the field at fault.
 */
public final class StateFile {
    /** The first eight bytes of every state file. */
    public static final String MAGIC = "RNNPSTAT";
    /** The only format version this code reads and writes. */
    public static final int VERSION = 1;

    private StateFile() {
    }

    /**
     * The state of one parameter.
     *
     * @param name the parameter's name in its block
     * @param steps step count of the last update (the next update runs with {@code steps + 1})
     * @param skipped coordinates skipped so far for non-finite gradients
     * @param coordinates elements of the parameter
     * @param rows {@code coordinates * width} floats, row-major
     */
    public record Entry(String name, long steps, long skipped, long coordinates, float[] rows) {
    }

    /**
     * A whole state file.
     *
     * @param kind the optimizer kind
     * @param weightsChecksum SHA-256 of the optimizer weights that produced the state
     * @param width floats of state per coordinate
     * @param entries one per parameter
     */
    public record Snapshot(OptimizerKind kind, String weightsChecksum, int width, List<Entry> entries) {
        /** Copies the entry list. */
        public Snapshot {
            entries = List.copyOf(entries);
        }
    }

    /** Writes a snapshot to a stream (not closed). */
    public static void write(Snapshot s, OutputStream out) throws IOException {
        CheckedOutputStream checked = new CheckedOutputStream(
                new BufferedOutputStream(new NonClosingOutputStream(out), 1 << 16), new CRC32());
        DataOutputStream d = new DataOutputStream(checked);
        d.write(MAGIC.getBytes(StandardCharsets.US_ASCII));
        d.writeInt(VERSION);
        d.writeUTF(s.kind().id());
        d.writeUTF(s.weightsChecksum());
        d.writeInt(s.width());
        d.writeInt(s.entries().size());
        for (Entry e : s.entries()) {
            if (e.rows().length != e.coordinates() * s.width()) {
                throw new IllegalArgumentException("parameter '" + e.name() + "': " + e.rows().length
                        + " state floats, expected " + e.coordinates() + " x " + s.width());
            }
            d.writeUTF(e.name());
            d.writeLong(e.steps());
            d.writeLong(e.skipped());
            d.writeLong(e.coordinates());
            for (float v : e.rows()) {
                d.writeInt(Float.floatToRawIntBits(v));
            }
        }
        d.flush();
        d.writeLong(checked.getChecksum().getValue());
        d.flush();
    }

    /** Writes a snapshot atomically (temporary file, then rename), so a crash never leaves half a file. */
    public static void write(Snapshot s, Path path) throws IOException {
        AtomicFiles.write(path, out -> write(s, out));
    }

    /** Reads and validates a state file on disk. */
    public static Snapshot read(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new StateFileException(path.toString(), null, "file not found");
        }
        try (InputStream in = Files.newInputStream(path)) {
            return read(in, path.toString());
        }
    }

    /**
     * Reads and validates a snapshot from a stream, to its end; {@code source} names the stream in errors.
     */
    public static Snapshot read(InputStream in, String source) throws IOException {
        CheckedInputStream checked = new CheckedInputStream(new BufferedInputStream(in, 1 << 16), new CRC32());
        DataInputStream d = new DataInputStream(checked);
        String field = "magic";
        try {
            byte[] magic = new byte[MAGIC.length()];
            d.readFully(magic);
            if (!Arrays.equals(magic, MAGIC.getBytes(StandardCharsets.US_ASCII))) {
                throw new StateFileException(source, field, "not an optimizer state file (expected '" + MAGIC
                        + "' at the start)");
            }
            field = "version";
            int version = d.readInt();
            if (version != VERSION) {
                throw new StateFileException(source, field, "unsupported version " + version
                        + " (this library reads version " + VERSION + ")");
            }
            field = "kind";
            OptimizerKind kind;
            try {
                kind = OptimizerKind.fromId(d.readUTF());
            } catch (IllegalArgumentException e) {
                throw new StateFileException(source, field, e.getMessage());
            }
            field = "weights";
            String checksum = d.readUTF();
            field = "width";
            int width = d.readInt();
            if (width <= 0) {
                throw new StateFileException(source, field, "must be positive, got " + width);
            }
            field = "count";
            int count = d.readInt();
            if (count < 0) {
                throw new StateFileException(source, field, "negative: " + count);
            }
            List<Entry> entries = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                field = "parameters[" + i + "].name";
                String name = d.readUTF();
                String p = "parameters[" + i + "] ('" + name + "').";
                field = p + "steps";
                long steps = d.readLong();
                field = p + "skipped";
                long skipped = d.readLong();
                field = p + "coordinates";
                long n = d.readLong();
                if (steps < 0 || skipped < 0 || n < 0 || n * width > Integer.MAX_VALUE) {
                    throw new StateFileException(source, p.substring(0, p.length() - 1),
                            "implausible header: steps " + steps + ", skipped " + skipped + ", coordinates " + n);
                }
                field = p + "rows";
                float[] rows = new float[Math.toIntExact(n * width)];
                for (int k = 0; k < rows.length; k++) {
                    rows[k] = Float.intBitsToFloat(d.readInt());
                }
                entries.add(new Entry(name, steps, skipped, n, rows));
            }
            field = "crc32";
            long expected = checked.getChecksum().getValue();
            long stored = d.readLong();
            if (stored != expected) {
                throw new StateFileException(source, field, "checksum mismatch (the file was changed or corrupted)");
            }
            if (d.read() != -1) {
                throw new StateFileException(source, null, "unexpected bytes after the checksum");
            }
            return new Snapshot(kind, checksum, width, entries);
        } catch (EOFException e) {
            throw new StateFileException(source, field, "file ends early (truncated?)", e);
        }
    }
}
