package org.rnnprop.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10Test {
    @TempDir
    Path tmp;

    /** n records; record r has label (start + r) % 10 and pixel (c, h, w) = (start + r + c * 7 + h + w) % 256. */
    private static byte[] batch(int n, int start) {
        byte[] b = new byte[n * Cifar10.RECORD_SIZE];
        for (int r = 0; r < n; r++) {
            int off = r * Cifar10.RECORD_SIZE;
            b[off] = (byte) ((start + r) % 10);
            for (int c = 0; c < 3; c++) {
                for (int h = 0; h < 32; h++) {
                    for (int w = 0; w < 32; w++) {
                        b[off + 1 + c * 1024 + h * 32 + w] = (byte) ((start + r + c * 7 + h + w) % 256);
                    }
                }
            }
        }
        return b;
    }

    private static float expected(int rec, int c, int h, int w) {
        return ((rec + c * 7 + h + w) % 256) / 255f - 0.5f;
    }

    private void writeTrain(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (int k = 1; k <= 5; k++) {
            Files.write(dir.resolve("data_batch_" + k + ".bin"), batch(2, 2 * (k - 1)));
        }
    }

    @Test
    void loadsTrainAndTest() throws IOException {
        writeTrain(tmp);
        Files.write(tmp.resolve("test_batch.bin"), batch(3, 0));
        LabeledImages train = Cifar10.load(tmp, Cifar10.Split.TRAIN);
        assertEquals(10, train.numExamples());
        assertEquals(3072, train.imageSize());
        assertEquals(3, train.channels());
        assertEquals(32, train.height());
        assertEquals(32, train.width());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, train.labels());
        for (int rec : new int[] {0, 3, 9}) {
            for (int[] chw : new int[][] {{0, 0, 0}, {1, 5, 7}, {2, 31, 31}}) {
                int idx = rec * 3072 + chw[0] * 1024 + chw[1] * 32 + chw[2];
                assertEquals(expected(rec, chw[0], chw[1], chw[2]), train.images()[idx], 1e-7f);
            }
        }
        LabeledImages test = Cifar10.load(tmp, Cifar10.Split.TEST);
        assertEquals(3, test.numExamples());
        assertArrayEquals(new int[] {0, 1, 2}, test.labels());
    }

    @Test
    void scaling() throws IOException {
        byte[] b = new byte[Cifar10.RECORD_SIZE];
        b[0] = 3;
        b[1] = (byte) 255;
        b[2] = 0;
        Path f = Files.write(tmp.resolve("one.bin"), b);
        LabeledImages d = Cifar10.loadFiles(List.of(f));
        assertEquals(0.5f, d.images()[0]);
        assertEquals(-0.5f, d.images()[1]);
        assertEquals(3, d.label(0));
    }

    @Test
    void usesTarballSubfolder() throws IOException {
        writeTrain(tmp.resolve(Cifar10.TARBALL_FOLDER));
        assertEquals(10, Cifar10.load(tmp, Cifar10.Split.TRAIN).numExamples());
    }

    @Test
    void missingFileIsNamed() throws IOException {
        writeTrain(tmp);
        Files.delete(tmp.resolve("data_batch_4.bin"));
        IOException e = assertThrows(IOException.class, () -> Cifar10.load(tmp, Cifar10.Split.TRAIN));
        assertTrue(e.getMessage().contains(tmp.resolve("data_batch_4.bin").toString()), e.getMessage());
        e = assertThrows(IOException.class, () -> Cifar10.load(tmp, Cifar10.Split.TEST));
        assertTrue(e.getMessage().contains("test_batch.bin"), e.getMessage());
    }

    @Test
    void truncatedFile() throws IOException {
        byte[] b = batch(2, 0);
        Path f = Files.write(tmp.resolve("test_batch.bin"), java.util.Arrays.copyOf(b, b.length - 1));
        IOException e = assertThrows(IOException.class, () -> Cifar10.load(tmp, Cifar10.Split.TEST));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void badLabel() throws IOException {
        byte[] b = batch(2, 0);
        b[Cifar10.RECORD_SIZE] = 10;
        Files.write(tmp.resolve("test_batch.bin"), b);
        IOException e = assertThrows(IOException.class, () -> Cifar10.load(tmp, Cifar10.Split.TEST));
        assertTrue(e.getMessage().contains("record 1 has label 10"), e.getMessage());
    }
}
