package org.rnnprop.djl;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UTFDataFormatException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.rnnprop.core.Hyperparameters;
import org.rnnprop.core.StatePrecision;
import org.rnnprop.core.internal.AtomicFiles;
import org.rnnprop.core.internal.NonClosingOutputStream;
import org.rnnprop.core.OptimizerKind;

/**
 * The saved state of a {@link RnnpropOptimizer}: binary, big-endian ({@link DataOutputStream} encoding),
 * format version {@value #VERSION}.
 *
 * <pre>
 * magic        8 bytes   "RNNPSTAT" (ASCII)
 * version      int32     2
 * kind         UTF       optimizer kind id, "rnnprop" or "dm-optimizer" ({@link DataOutputStream#writeUTF})
 * weights      UTF       SHA-256 of the optimizer weights ({@code OptimizerWeights.checksum()})
 * width        int32     values of state per coordinate (82 for RNNprop, 80 for DMoptimizer)
 * precision    UTF       how the LSTM values are stored: "float32", "float16" or "bfloat16" ({@link StatePrecision})
 * count        int32     number of parameters that follow
 * count times:
 *   name       UTF       the parameter's name in its block ({@code block.getParameters()} key)
 *   steps      int64     the step count t of the parameter's last update (0: never updated)
 *   skipped    int64     gradient coordinates skipped so far because they were not finite
 *   n          int64     coordinates (elements) of the parameter
 *   rows       n rows    the state in the core's row layout, one row per coordinate: [m, v,] h1, c1, h2, c2
 *                        (m and v for RNNprop only). float32: width float32 values. float16 and bfloat16:
 *                        m and v as float32, then the width - 2 (DMoptimizer: width) LSTM values as 16-bit
 *                        patterns, uint16 (168 bytes per RNNprop coordinate instead of 328)
 * crc32        int64     CRC-32 of every preceding byte
 * </pre>
 *
 * Version 1 is the same without {@code precision}: float32 rows. It is still read.
 *
 * Reading checks everything and throws {@link StateFileException} naming the source and the field at fault.
 * Every size is checked before anything is allocated for it: against the bytes left in a file, and for a stream
 * (whose length is unknown) the state grows only as its bytes arrive. The CRC is checked before any value is
 * used; then each parameter must have a unique, non-empty name, a step count the optimizer can continue from
 * ({@code 0 <= steps < 2^31 - 1}), {@code 0 <= skipped <= steps * n}, and no NaN in its rows (infinities are
 * kept: the second moment of a gradient beyond about 1.8e19 overflows float32 in every implementation). Nothing
 * may follow the checksum.
 */
public final class StateFile {
    /** The first eight bytes of every state file. */
    public static final String MAGIC = "RNNPSTAT";
    /** The format version this code writes; it reads this one and version 1. */
    public static final int VERSION = 2;

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
     * @param width values of state per coordinate
     * @param precision how the file stores the LSTM values; the entries' rows hold them as floats either way
     *     (exactly: they are rounded to this precision when written)
     * @param entries one per parameter
     */
    public record Snapshot(OptimizerKind kind, String weightsChecksum, int width, StatePrecision precision,
            List<Entry> entries) {
        /** Copies the entry list. */
        public Snapshot {
            Objects.requireNonNull(precision, "precision");
            entries = List.copyOf(entries);
        }

        /** A snapshot of float32 state. */
        public Snapshot(OptimizerKind kind, String weightsChecksum, int width, List<Entry> entries) {
            this(kind, weightsChecksum, width, StatePrecision.FLOAT32, entries);
        }

        /** Values per row stored as float32 before the 16-bit ones: the moments, or the whole row in float32. */
        int floatsPerRow() {
            return precision.isCompact() ? moments(kind, width) : width;
        }
    }

    /** RNNprop's moments m, v lead each row; DMoptimizer has none. */
    static int moments(OptimizerKind kind, int width) {
        return kind == OptimizerKind.RNNPROP ? Math.min(2, width) : 0;
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
        d.writeUTF(s.precision().id());
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
            float[] rows = e.rows();
            int floats = s.floatsPerRow();
            for (int r = 0; r < rows.length; r += s.width()) {
                for (int k = 0; k < floats; k++) {
                    d.writeInt(Float.floatToRawIntBits(rows[r + k]));
                }
                for (int k = floats; k < s.width(); k++) {
                    d.writeShort(s.precision().encode(rows[r + k]));
                }
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

    /**
     * Reads and validates a state file on disk. Sizes are checked against the file's length before anything is
     * allocated for them.
     */
    public static Snapshot read(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            throw new StateFileException(path.toString(), null, "is a directory, not an optimizer state file");
        }
        if (!Files.exists(path)) {
            throw new StateFileException(path.toString(), null, "file not found");
        }
        try (InputStream in = Files.newInputStream(path)) {
            return new Reader(in, path.toString(), Files.size(path)).read();
        }
    }

    /**
     * Reads and validates a snapshot from a stream, to its end; {@code source} names the stream in errors. The
     * stream's length is unknown, so each parameter's state is allocated as its bytes arrive, never far ahead.
     */
    public static Snapshot read(InputStream in, String source) throws IOException {
        return new Reader(in, source, -1).read();
    }

    /** One read of one file: each step names the field it reads, for the error if it fails. */
    private static final class Reader {
        /** Largest state width: that of the widest network a weight file may hold. */
        private static final int MAX_WIDTH = 4 * Hyperparameters.MAX_WIDTH + 2;
        /** Bytes moved per block read of rows; also the first allocation of a stream's rows. */
        private static final int BLOCK = 1 << 16;

        private final String source;
        private final long length;
        private final Counted counted;
        private final CheckedInputStream checked;
        private final DataInputStream d;
        private String field = "magic";

        Reader(InputStream in, String source, long length) {
            this.source = source;
            this.length = length;
            this.counted = new Counted(new BufferedInputStream(in, BLOCK));
            this.checked = new CheckedInputStream(counted, new CRC32());
            this.d = new DataInputStream(checked);
        }

        Snapshot read() throws IOException {
            try {
                byte[] magic = new byte[MAGIC.length()];
                d.readFully(magic);
                if (!Arrays.equals(magic, MAGIC.getBytes(StandardCharsets.US_ASCII))) {
                    throw error("not an optimizer state file (expected '" + MAGIC + "' at the start)");
                }
                field = "version";
                int version = d.readInt();
                if (version != 1 && version != VERSION) {
                    throw error("unsupported version " + version + " (this library reads versions 1 and " + VERSION
                            + ")");
                }
                field = "kind";
                OptimizerKind kind;
                try {
                    kind = OptimizerKind.fromId(utf());
                } catch (IllegalArgumentException e) {
                    throw error(e.getMessage());
                }
                field = "weights";
                String checksum = utf();
                if (!checksum.matches("[0-9a-f]{64}")) {
                    throw error("not a SHA-256 in hex: '" + abbreviate(checksum) + "'");
                }
                field = "width";
                int width = d.readInt();
                if (width <= 0 || width > MAX_WIDTH) {
                    throw error("must be in [1, " + MAX_WIDTH + "], got " + width);
                }
                StatePrecision precision = StatePrecision.FLOAT32;
                if (version >= 2) {
                    field = "precision";
                    try {
                        precision = StatePrecision.fromId(utf());
                    } catch (IllegalArgumentException e) {
                        throw error(e.getMessage());
                    }
                }
                Snapshot shape = new Snapshot(kind, checksum, width, precision, List.of());
                field = "count";
                int count = d.readInt();
                if (count < 0) {
                    throw error("negative: " + count);
                }
                List<Entry> entries = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    entries.add(entry(i, shape));
                }
                field = "crc32";
                long expected = checked.getChecksum().getValue();
                long stored = d.readLong();
                if (stored != expected) {
                    throw error("checksum mismatch (the file was changed or corrupted)");
                }
                if (d.read() != -1) {
                    throw new StateFileException(source, null, "unexpected bytes after the checksum");
                }
                Set<String> names = new HashSet<>();
                for (int i = 0; i < entries.size(); i++) {
                    checkValues(i, entries.get(i), width);
                    if (!names.add(entries.get(i).name())) {
                        throw new StateFileException(source, "parameters[" + i + "].name", "'"
                                + abbreviate(entries.get(i).name()) + "' appears twice");
                    }
                }
                return new Snapshot(kind, checksum, width, precision, entries);
            } catch (EOFException e) {
                throw new StateFileException(source, field, "file ends early (truncated?)", e);
            }
        }

        /** Reads one parameter, checking every size against what is left before allocating for it. */
        private Entry entry(int i, Snapshot shape) throws IOException {
            int width = shape.width();
            field = "parameters[" + i + "].name";
            String name = utf();
            String p = "parameters[" + i + "] ('" + abbreviate(name) + "').";
            field = p + "steps";
            long steps = d.readLong();
            field = p + "skipped";
            long skipped = d.readLong();
            field = p + "coordinates";
            long n = d.readLong();
            if (n < 0 || n > Integer.MAX_VALUE / width) {
                throw error(n + " coordinates x " + width + " floats is more than an entry holds ("
                        + Integer.MAX_VALUE + " floats)");
            }
            int floats = shape.floatsPerRow();
            int rowBytes = 4 * floats + 2 * (width - floats);
            long bytes = n * rowBytes;
            if (length >= 0 && bytes > remaining()) {
                throw tooFew(n, bytes, remaining());
            }
            long start = counted.count;
            try {
                return new Entry(name, steps, skipped, n, rows((int) n, shape, rowBytes));
            } catch (EOFException e) {
                throw tooFew(n, bytes, counted.count - start);
            }
        }

        private StateFileException tooFew(long n, long bytes, long left) {
            return error(n + " coordinates need " + bytes + " bytes of state, but the file ends " + left
                    + " bytes later: it is truncated, or this count is damaged");
        }

        /**
         * Reads {@code n} rows of {@code rowBytes} bytes into floats, decoding 16-bit values; from a stream of
         * unknown length the array grows as the bytes arrive.
         */
        private float[] rows(int n, Snapshot shape, int rowBytes) throws IOException {
            int width = shape.width();
            int floats = shape.floatsPerRow();
            int count = n * width;
            int perBlock = Math.max(1, BLOCK / width); // rows per block read: about BLOCK values
            float[] rows = new float[length >= 0 ? count : Math.min(count, perBlock * width)];
            byte[] block = new byte[rowBytes * Math.min(n, perBlock)];
            for (int done = 0; done < n;) {
                int k = Math.min(perBlock, n - done);
                d.readFully(block, 0, rowBytes * k);
                int at = done * width;
                while (at + k * width > rows.length) {
                    rows = Arrays.copyOf(rows, (int) Math.min(count, 2L * rows.length));
                }
                ByteBuffer b = ByteBuffer.wrap(block, 0, rowBytes * k);
                if (floats == width) {
                    b.asFloatBuffer().get(rows, at, k * width);
                } else {
                    for (int r = 0; r < k; r++) {
                        for (int j = 0; j < floats; j++) {
                            rows[at++] = b.getFloat();
                        }
                        for (int j = floats; j < width; j++) {
                            rows[at++] = shape.precision().decode(b.getShort() & 0xFFFF);
                        }
                    }
                }
                done += k;
            }
            return rows;
        }

        /** Checks the values of an entry whose bytes the checksum has vouched for. */
        private void checkValues(int i, Entry e, int width) throws StateFileException {
            String p = "parameters[" + i + "] ('" + abbreviate(e.name()) + "').";
            if (e.name().isEmpty()) {
                throw new StateFileException(source, "parameters[" + i + "].name", "empty");
            }
            if (e.steps() < 0 || e.steps() >= Integer.MAX_VALUE) {
                throw new StateFileException(source, p + "steps", e.steps() + " is outside [0, "
                        + (Integer.MAX_VALUE - 1) + "], the step counts an optimizer can continue from");
            }
            // steps < 2^31 and coordinates < 2^31 here, so the product cannot overflow
            if (e.skipped() < 0 || e.skipped() > e.steps() * e.coordinates()) {
                throw new StateFileException(source, p + "skipped", e.skipped() + " is outside [0, steps x "
                        + "coordinates = " + e.steps() * e.coordinates() + "]");
            }
            float[] rows = e.rows();
            for (int k = 0; k < rows.length; k++) {
                if (Float.isNaN(rows[k])) {
                    throw new StateFileException(source, p + "rows", "coordinate " + k / width + ", value "
                            + k % width + " is NaN");
                }
            }
        }

        private String utf() throws IOException {
            try {
                return d.readUTF();
            } catch (UTFDataFormatException e) {
                throw new StateFileException(source, field, "not a valid string (" + e.getMessage() + ")", e);
            }
        }

        private long remaining() {
            return length - counted.count;
        }

        private StateFileException error(String problem) {
            return new StateFileException(source, field, problem);
        }

        private static String abbreviate(String s) {
            return s.length() > 60 ? s.substring(0, 60) + "..." : s;
        }
    }

    /** Counts the bytes read through it. */
    private static final class Counted extends FilterInputStream {
        long count;

        Counted(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count += Math.max(0, n);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long k = super.skip(n);
            count += k;
            return k;
        }
    }
}
