package org.rnnprop.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir
    Path tmp;

    @Test
    void readsUbyteFile() throws IOException {
        byte[] data = new byte[2 * 3 * 4];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (250 + i);
        }
        Path f = IdxTestFiles.write(tmp.resolve("a"), new int[] {2, 3, 4}, data);
        IdxReader.IdxFile idx = IdxReader.read(f);
        assertArrayEquals(new int[] {2, 3, 4}, idx.dims());
        assertEquals(3, idx.rank());
        assertEquals(2, idx.count());
        assertEquals(12, idx.itemSize());
        assertArrayEquals(data, idx.data());
        assertEquals(255, idx.data()[5] & 0xFF);
        assertEquals(0, idx.data()[6] & 0xFF);
        assertEquals(f, idx.path());
        // expected dims with wildcard
        assertEquals(2, IdxReader.read(f, IdxReader.ANY, 3, 4).count());
    }

    @Test
    void readsRankOneAndEmpty() throws IOException {
        Path f = IdxTestFiles.write(tmp.resolve("labels"), new int[] {3}, new byte[] {7, 2, 1});
        IdxReader.IdxFile idx = IdxReader.read(f, IdxReader.ANY);
        assertEquals(3, idx.count());
        assertEquals(1, idx.itemSize());
        Path e = IdxTestFiles.write(tmp.resolve("empty"), new int[] {0, 28, 28}, new byte[0]);
        assertEquals(0, IdxReader.read(e).data().length);
    }

    @Test
    void badMagic() throws IOException {
        byte[] b = IdxTestFiles.idx(8, new int[] {1}, new byte[] {1});
        b[0] = 1;
        Path f = Files.write(tmp.resolve("bad"), b);
        IOException e = assertThrows(IOException.class, () -> IdxReader.read(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("bad magic"), e.getMessage());
    }

    @Test
    void gzippedFileGetsHint() throws IOException {
        Path f = Files.write(tmp.resolve("gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0});
        IOException e = assertThrows(IOException.class, () -> IdxReader.read(f));
        assertTrue(e.getMessage().contains("gzip"), e.getMessage());
    }

    @Test
    void unsupportedDtype() throws IOException {
        Path f = Files.write(tmp.resolve("float"), IdxTestFiles.idx(0x0D, new int[] {1}, new byte[4]));
        IOException e = assertThrows(IOException.class, () -> IdxReader.read(f));
        assertTrue(e.getMessage().contains("dtype 0x0D"), e.getMessage());
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    }

    @Test
    void truncatedData() throws IOException {
        byte[] full = IdxTestFiles.idx(8, new int[] {2, 2, 2}, new byte[8]);
        Path f = Files.write(tmp.resolve("trunc"), Arrays.copyOf(full, full.length - 3));
        IOException e = assertThrows(IOException.class, () -> IdxReader.read(f));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertTrue(e.getMessage().contains("need 8 data bytes but only 5"), e.getMessage());
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    }

    @Test
    void truncatedHeader() throws IOException {
        Path tiny = Files.write(tmp.resolve("tiny"), new byte[] {0, 0});
        assertTrue(assertThrows(IOException.class, () -> IdxReader.read(tiny)).getMessage().contains("truncated"));
        byte[] full = IdxTestFiles.idx(8, new int[] {2, 2, 2}, new byte[0]);
        Path hdr = Files.write(tmp.resolve("hdr"), Arrays.copyOf(full, 9));
        IOException e = assertThrows(IOException.class, () -> IdxReader.read(hdr));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("3 dimensions"), e.getMessage());
    }

    @Test
    void trailingBytes() throws IOException {
        byte[] full = IdxTestFiles.idx(8, new int[] {2}, new byte[2]);
        Path f = Files.write(tmp.resolve("long"), Arrays.copyOf(full, full.length + 2));
        IOException e = assertThrows(IOException.class, () -> IdxReader.read(f));
        assertTrue(e.getMessage().contains("2 unexpected trailing bytes"), e.getMessage());
    }

    @Test
    void wrongDims() throws IOException {
        Path f = IdxTestFiles.write(tmp.resolve("img"), new int[] {2, 28, 27}, new byte[2 * 28 * 27]);
        IOException e = assertThrows(IOException.class, () -> IdxReader.read(f, IdxReader.ANY, 28, 28));
        assertTrue(e.getMessage().contains("wrong dimensions [2, 28, 27]; expected [*, 28, 28]"), e.getMessage());
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertThrows(IOException.class, () -> IdxReader.read(f, IdxReader.ANY));
    }

    @Test
    void negativeOrHugeDims() throws IOException {
        Path neg = Files.write(tmp.resolve("neg"), IdxTestFiles.idx(8, new int[] {-1}, new byte[0]));
        assertTrue(assertThrows(IOException.class, () -> IdxReader.read(neg)).getMessage().contains("negative"));
        Path huge = Files.write(tmp.resolve("huge"), IdxTestFiles.idx(8, new int[] {65536, 65536}, new byte[0]));
        assertTrue(assertThrows(IOException.class, () -> IdxReader.read(huge)).getMessage().contains("too large"));
    }

    @Test
    void missingFile() {
        Path f = tmp.resolve("nope");
        IOException e = assertThrows(NoSuchFileException.class, () -> IdxReader.read(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    }
}
