package org.rnnprop.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistTest {
    @TempDir
    Path tmp;

    @Test
    void loadsSmallSplits() throws IOException {
        IdxTestFiles.writeMnist(tmp, Mnist.Split.TRAIN, 12);
        IdxTestFiles.writeMnist(tmp, Mnist.Split.TEST, 3);
        assertTrue(Mnist.isPresent(tmp));
        LabeledImages train = Mnist.load(tmp, Mnist.Split.TRAIN);
        assertEquals(12, train.numExamples());
        assertEquals(784, train.imageSize());
        assertEquals(12 * 784, train.images().length);
        assertEquals(1, train.channels());
        assertEquals(28, train.height());
        assertEquals(28, train.width());
        assertEquals(10, train.numClasses());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1}, train.labels());
        // image 5, row 2, column 3 -> pixel value 10, stored row-major
        assertEquals(10 / 255f, train.images()[5 * 784 + 2 * 28 + 3]);
        assertEquals(10 / 255f, train.image(5)[2 * 28 + 3]);
        for (float v : train.images()) {
            assertTrue(v >= 0f && v <= 1f);
        }
        LabeledImages test = Mnist.load(tmp, Mnist.Split.TEST);
        assertEquals(3, test.numExamples());
        LabeledImages sub = train.subset(10, 12);
        assertEquals(2, sub.numExamples());
        assertArrayEquals(train.image(11), sub.image(1));
    }

    @Test
    void scalesFullRange() throws IOException {
        byte[] px = new byte[784];
        px[0] = (byte) 255;
        px[1] = (byte) 128;
        IdxTestFiles.write(tmp.resolve("test_data"), new int[] {1, 28, 28}, px);
        IdxTestFiles.write(tmp.resolve("test_labels"), new int[] {1}, new byte[] {9});
        LabeledImages d = Mnist.load(tmp, Mnist.Split.TEST);
        assertEquals(1f, d.images()[0]);
        assertEquals(128 / 255f, d.images()[1]);
        assertEquals(0f, d.images()[2]);
        assertEquals(9, d.label(0));
    }

    @Test
    void missingFolderSaysToRunScript() {
        Path dir = tmp.resolve("absent");
        assertFalse(Mnist.isPresent(dir));
        IOException e = assertThrows(IOException.class, () -> Mnist.load(dir, Mnist.Split.TRAIN));
        assertTrue(e.getMessage().contains("scripts/fetch-mnist.sh"), e.getMessage());
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    }

    @Test
    void missingFileSaysToRunScript() throws IOException {
        IdxTestFiles.writeMnist(tmp, Mnist.Split.TRAIN, 2);
        Files.delete(tmp.resolve("train_labels"));
        IOException e = assertThrows(IOException.class, () -> Mnist.load(tmp, Mnist.Split.TRAIN));
        assertTrue(e.getMessage().contains("train_labels"), e.getMessage());
        assertTrue(e.getMessage().contains("scripts/fetch-mnist.sh"), e.getMessage());
    }

    @Test
    void corruptFileSaysToRunScript() throws IOException {
        IdxTestFiles.writeMnist(tmp, Mnist.Split.TEST, 2);
        Path f = tmp.resolve("test_data");
        byte[] b = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(b, b.length - 100));
        IOException e = assertThrows(IOException.class, () -> Mnist.load(tmp, Mnist.Split.TEST));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("scripts/fetch-mnist.sh"), e.getMessage());
    }

    @Test
    void wrongImageDims() throws IOException {
        IdxTestFiles.write(tmp.resolve("test_data"), new int[] {2, 32, 32}, new byte[2 * 32 * 32]);
        IdxTestFiles.write(tmp.resolve("test_labels"), new int[] {2}, new byte[2]);
        IOException e = assertThrows(IOException.class, () -> Mnist.load(tmp, Mnist.Split.TEST));
        assertTrue(e.getMessage().contains("wrong dimensions"), e.getMessage());
    }

    @Test
    void countMismatchAndBadLabel() throws IOException {
        IdxTestFiles.write(tmp.resolve("test_data"), new int[] {2, 28, 28}, new byte[2 * 784]);
        IdxTestFiles.write(tmp.resolve("test_labels"), new int[] {3}, new byte[3]);
        IOException e = assertThrows(IOException.class, () -> Mnist.load(tmp, Mnist.Split.TEST));
        assertTrue(e.getMessage().contains("2 images") && e.getMessage().contains("3 labels"), e.getMessage());
        IdxTestFiles.write(tmp.resolve("test_labels"), new int[] {2}, new byte[] {1, 10});
        e = assertThrows(IOException.class, () -> Mnist.load(tmp, Mnist.Split.TEST));
        assertTrue(e.getMessage().contains("label 10"), e.getMessage());
    }

    @Test
    void defaultDirectoryEndsInMnist() {
        Path d = Mnist.defaultDirectory();
        assertEquals("mnist", d.getFileName().toString());
        String env = System.getenv("RNNPROP_DATA");
        if (env == null || env.isBlank()) {
            assertEquals(Path.of(System.getProperty("user.home"), ".cache", "rnnprop", "mnist"), d);
        } else {
            assertEquals(Path.of(env, "mnist"), d);
        }
    }

    /** Loads the real MNIST if scripts/fetch-mnist.sh has put it in the default folder; skipped otherwise. */
    @Test
    void realMnistIfPresent() throws IOException {
        Path dir = Mnist.defaultDirectory();
        assumeTrue(Mnist.isPresent(dir), "MNIST not found in " + dir + "; run scripts/fetch-mnist.sh");
        LabeledImages train = Mnist.load(dir, Mnist.Split.TRAIN);
        LabeledImages test = Mnist.load(dir, Mnist.Split.TEST);
        assertEquals(Mnist.TRAIN_SIZE, train.numExamples());
        assertEquals(Mnist.TEST_SIZE, test.numExamples());
        assertEquals(60000 * 784, train.images().length);
        assertEquals(10000 * 784, test.images().length);
        for (LabeledImages d : new LabeledImages[] {train, test}) {
            int[] hist = new int[10];
            for (int y : d.labels()) {
                assertTrue(y >= 0 && y < 10);
                hist[y]++;
            }
            for (int c = 0; c < 10; c++) {
                assertTrue(hist[c] > d.numExamples() / 20, "class " + c + " too rare: " + hist[c]);
            }
        }
        assertArrayEquals(new int[] {5, 0, 4, 1, 9, 2, 1, 3}, java.util.Arrays.copyOf(train.labels(), 8));
        assertArrayEquals(new int[] {7, 2, 1, 0, 4, 1, 4, 9}, java.util.Arrays.copyOf(test.labels(), 8));
        float max = 0;
        for (float v : test.images()) {
            assertTrue(v >= 0f && v <= 1f);
            max = Math.max(max, v);
        }
        assertEquals(1f, max);
    }
}
