package org.rnnprop.datasets;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Reads IDX files (the format of the MNIST distribution): a 4-byte magic number
 * {@code 0x00 0x00 <dtype> <rank>}, then {@code rank} big-endian 32-bit dimension sizes, then the
 * data in row-major order. Only the unsigned-byte dtype ({@code 0x08}) is supported. Every error
 * names the file and says what is wrong with it.
 */
public final class IdxReader {

    /** IDX dtype code for unsigned bytes, the only one this reader accepts. */
    public static final int DTYPE_UBYTE = 0x08;

    /** Marks a dimension that may have any size in {@link #read(Path, int...)}. */
    public static final int ANY = -1;

    private IdxReader() {
    }

    /**
     * Contents of one IDX file of unsigned bytes.
     */
    public static final class IdxFile {
        private final Path path;
        private final int[] dims;
        private final byte[] data;

        IdxFile(Path path, int[] dims, byte[] data) {
            this.path = path;
            this.dims = dims;
            this.data = data;
        }

        /** The file this was read from. */
        public Path path() {
            return path;
        }

        /** A copy of the dimension sizes, outermost first. */
        public int[] dims() {
            return dims.clone();
        }

        /** Number of dimensions. */
        public int rank() {
            return dims.length;
        }

        /** Size of dimension {@code i}. */
        public int dim(int i) {
            return dims[i];
        }

        /** Size of the outermost dimension (the number of items). */
        public int count() {
            return dims[0];
        }

        /** Number of values per item: the product of all dimensions but the first. */
        public int itemSize() {
            int s = 1;
            for (int i = 1; i < dims.length; i++) {
                s *= dims[i];
            }
            return s;
        }

        /** The raw data bytes, row-major (not copied; read as unsigned with {@code b & 0xFF}). */
        public byte[] data() {
            return data;
        }
    }

    /**
     * Reads an IDX file of unsigned bytes and checks its dimensions.
     *
     * @param file         the file
     * @param expectedDims if given, the expected dimension sizes; {@link #ANY} matches any size
     * @return the file's dimensions and data
     * @throws NoSuchFileException if the file does not exist
     * @throws IOException         if the file is not a valid IDX file, is truncated or has extra
     *                             bytes, has an unsupported dtype, or its dimensions differ from
     *                             {@code expectedDims}
     */
    public static IdxFile read(Path file, int... expectedDims) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "IDX file does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException("IDX file " + file + " is not a regular file");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 4) {
                throw new IOException("IDX file " + file + " is truncated: " + size
                        + " bytes, too short for the 4-byte magic number");
            }
            ByteBuffer magic = readFully(ch, 4, file);
            int b0 = magic.get(0) & 0xFF;
            int b1 = magic.get(1) & 0xFF;
            int dtype = magic.get(2) & 0xFF;
            int rank = magic.get(3) & 0xFF;
            if (b0 != 0 || b1 != 0) {
                String hint = (b0 == 0x1F && b1 == 0x8B) ? " (it looks gzip-compressed; gunzip it first)" : "";
                throw new IOException(String.format(
                        "IDX file %s has bad magic number 0x%02X%02X%02X%02X: expected 0x0000 followed by "
                                + "dtype and rank%s", file, b0, b1, dtype, rank, hint));
            }
            if (dtype != DTYPE_UBYTE) {
                throw new IOException(String.format(
                        "IDX file %s has unsupported dtype 0x%02X (%s); only 0x08 (unsigned byte) is supported",
                        file, dtype, dtypeName(dtype)));
            }
            if (rank == 0) {
                throw new IOException("IDX file " + file
                        + " has rank 0 in its magic number; expected at least 1 dimension");
            }
            long headerSize = 4L + 4L * rank;
            if (size < headerSize) {
                throw new IOException("IDX file " + file + " is truncated: header declares " + rank
                        + " dimensions (" + headerSize + " header bytes) but the file has only " + size + " bytes");
            }
            ByteBuffer dimBuf = readFully(ch, 4 * rank, file).order(ByteOrder.BIG_ENDIAN);
            int[] dims = new int[rank];
            long total = 1;
            for (int i = 0; i < rank; i++) {
                dims[i] = dimBuf.getInt(4 * i);
                if (dims[i] < 0) {
                    throw new IOException("IDX file " + file + " has negative size " + (dims[i] & 0xFFFFFFFFL)
                            + " for dimension " + i);
                }
                total *= dims[i];
                if (total > Integer.MAX_VALUE - 16) {
                    throw new IOException("IDX file " + file + " declares dimensions " + dimsList(dims, i + 1)
                            + " which hold more than " + (Integer.MAX_VALUE - 16) + " values; too large to read");
                }
            }
            checkDims(file, dims, expectedDims);
            long expectedSize = headerSize + total;
            if (size < expectedSize) {
                throw new IOException("IDX file " + file + " is truncated: dimensions " + Arrays.toString(dims)
                        + " need " + total + " data bytes but only " + (size - headerSize) + " are present");
            }
            if (size > expectedSize) {
                throw new IOException("IDX file " + file + " has " + (size - expectedSize)
                        + " unexpected trailing bytes after the " + total + " data bytes of dimensions "
                        + Arrays.toString(dims));
            }
            byte[] data = new byte[(int) total];
            ByteBuffer dst = ByteBuffer.wrap(data);
            while (dst.hasRemaining()) {
                if (ch.read(dst) < 0) {
                    throw new EOFException("IDX file " + file + " ended early while reading data (file changed?)");
                }
            }
            return new IdxFile(file, dims, data);
        }
    }

    private static void checkDims(Path file, int[] dims, int[] expected) throws IOException {
        if (expected == null || expected.length == 0) {
            return;
        }
        boolean ok = dims.length == expected.length;
        for (int i = 0; ok && i < dims.length; i++) {
            ok = expected[i] == ANY || expected[i] == dims[i];
        }
        if (!ok) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < expected.length; i++) {
                sb.append(i > 0 ? ", " : "").append(expected[i] == ANY ? "*" : String.valueOf(expected[i]));
            }
            sb.append(']');
            throw new IOException("IDX file " + file + " has wrong dimensions " + Arrays.toString(dims)
                    + "; expected " + sb);
        }
    }

    private static ByteBuffer readFully(FileChannel ch, int n, Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(n);
        while (buf.hasRemaining()) {
            if (ch.read(buf) < 0) {
                throw new EOFException("IDX file " + file + " ended early while reading the header");
            }
        }
        buf.flip();
        return buf;
    }

    private static String dimsList(int[] dims, int n) {
        return Arrays.toString(Arrays.copyOf(dims, n)) + (n < dims.length ? "..." : "");
    }

    private static String dtypeName(int dtype) {
        switch (dtype) {
            case 0x08: return "unsigned byte";
            case 0x09: return "signed byte";
            case 0x0B: return "short";
            case 0x0C: return "int";
            case 0x0D: return "float";
            case 0x0E: return "double";
            default: return "unknown";
        }
    }
}
