package org.rnnprop.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A corpus of damaged versions of a good file, for the tests of every reader: each case is the damaged content
 * and the field its error must name. The readers' tests write each case, read it, and assert a clear error that
 * names the file and the field, and that the reader's previous state is unchanged.
 */
public final class DamagedFiles {
    private final List<Case> cases = new ArrayList<>();
    private final byte[] good;

    /**
     * One damaged file.
     *
     * @param name what was done to the file (also its file name in the test folder)
     * @param content the damaged bytes, or null for a directory in place of the file
     * @param field what the error message must contain besides the file name: the field at fault, or for a
     *     file unusable as a whole the problem
     */
    public record Case(String name, byte[] content, String field) {
        /** Writes the case into {@code dir} (a directory for {@code content == null}) and returns its path. */
        public Path write(Path dir) throws IOException {
            Path p = dir.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_"));
            if (content == null) {
                Files.createDirectories(p);
            } else {
                Files.write(p, content);
            }
            return p;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Starts a corpus of damaged versions of {@code good}. */
    public DamagedFiles(byte[] good) {
        this.good = good.clone();
    }

    /** The cases added so far. */
    public List<Case> cases() {
        return List.copyOf(cases);
    }

    /** The good file's first {@code length} bytes. */
    public DamagedFiles truncated(int length, String field) {
        return add("truncated-at-" + length, Arrays.copyOf(good, length), field);
    }

    /** The good file with bit {@code bit} of byte {@code offset} flipped. */
    public DamagedFiles bitFlip(String name, int offset, int bit, String field) {
        byte[] b = good.clone();
        b[offset] ^= (byte) (1 << bit);
        return add("bit-flip-" + name + "-" + offset + "." + bit, b, field);
    }

    /** The good file with bytes {@code [offset, offset + bytes.length)} overwritten. */
    public DamagedFiles overwritten(String name, int offset, byte[] bytes, String field) {
        byte[] b = good.clone();
        System.arraycopy(bytes, 0, b, offset, bytes.length);
        return add(name, b, field);
    }

    /** The good file (as UTF-8 text) with the first occurrence of {@code from} replaced by {@code to}. */
    public DamagedFiles edited(String name, String from, String to, String field) {
        String text = new String(good, StandardCharsets.UTF_8);
        int at = text.indexOf(from);
        if (at < 0) {
            throw new IllegalArgumentException("'" + from + "' is not in the file");
        }
        return add(name, (text.substring(0, at) + to + text.substring(at + from.length()))
                .getBytes(StandardCharsets.UTF_8), field);
    }

    /** The good file with {@code bytes} inserted at {@code offset} (e.g. bytes that are not UTF-8). */
    public DamagedFiles inserted(String name, int offset, byte[] bytes, String field) {
        byte[] b = new byte[good.length + bytes.length];
        System.arraycopy(good, 0, b, 0, offset);
        System.arraycopy(bytes, 0, b, offset, bytes.length);
        System.arraycopy(good, offset, b, offset + bytes.length, good.length - offset);
        return add(name, b, field);
    }

    /** Any content. */
    public DamagedFiles add(String name, byte[] content, String field) {
        cases.add(new Case(name, content, field));
        return this;
    }

    /** A directory where the file should be. */
    public DamagedFiles directory(String field) {
        return add("directory", null, field);
    }

    /** The offset of the first occurrence of {@code text} (UTF-8) in the good file. */
    public int offsetOf(String text) {
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        outer:
        for (int i = 0; i + t.length <= good.length; i++) {
            for (int k = 0; k < t.length; k++) {
                if (good[i + k] != t[k]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException("'" + text + "' is not in the file");
    }

    /** Makes {@code file} {@code length} bytes long without writing them (a sparse file), for size limits. */
    public static Path sparse(Path file, long length) throws IOException {
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(length);
        }
        return file;
    }

    /** Asserts that an error's message names the file and the case's field. */
    public static void assertNamed(Throwable error, Path file, Case c) {
        String m = String.valueOf(error.getMessage());
        assertTrue(m.contains(file.toString()), c + ": the message must name the file: " + m);
        assertTrue(m.contains(c.field()), c + ": the message must name '" + c.field() + "': " + m);
    }
}
