package org.rnnprop.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads CIFAR-10 from its standard binary distribution ({@code cifar-10-binary.tar.gz}):
 * {@code data_batch_1.bin} .. {@code data_batch_5.bin} (train) and {@code test_batch.bin} (test),
 * each a sequence of 3073-byte records: one label byte then 3072 pixel bytes, channel-major
 * (R, G, B planes of 32x32). Images come back as floats {@code x / 255 - 0.5} in CHW order.
 * Nothing is downloaded: place the files yourself.
 */
public final class Cifar10 {

    /** Colour channels. */
    public static final int CHANNELS = 3;
    /** Image height in pixels. */
    public static final int HEIGHT = 32;
    /** Image width in pixels. */
    public static final int WIDTH = 32;
    /** Values per image (3072). */
    public static final int IMAGE_SIZE = CHANNELS * HEIGHT * WIDTH;
    /** Bytes per record: the label byte plus the pixels. */
    public static final int RECORD_SIZE = 1 + IMAGE_SIZE;
    /** Number of classes. */
    public static final int NUM_CLASSES = 10;

    /** Name of the folder the official tarball extracts to. */
    public static final String TARBALL_FOLDER = "cifar-10-batches-bin";

    /** The two CIFAR-10 splits and their files. */
    public enum Split {
        /** 50,000 training examples in five batches. */
        TRAIN(List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                "data_batch_5.bin")),
        /** 10,000 test examples. */
        TEST(List.of("test_batch.bin"));

        private final List<String> files;

        Split(List<String> files) {
            this.files = files;
        }

        /** File names of this split, in load order. */
        public List<String> files() {
            return files;
        }
    }

    private static final float[] SCALE = new float[256];

    static {
        for (int i = 0; i < 256; i++) {
            SCALE[i] = i / 255f - 0.5f;
        }
    }

    private Cifar10() {
    }

    /** {@code $RNNPROP_DATA/cifar10}, or {@code ~/.cache/rnnprop/cifar10} when {@code RNNPROP_DATA} is unset. */
    public static Path defaultDirectory() {
        return DataPaths.root().resolve("cifar10");
    }

    /** Loads {@code split} from {@link #defaultDirectory()}. */
    public static LabeledImages load(Split split) throws IOException {
        return load(defaultDirectory(), split);
    }

    /**
     * Loads one split from {@code dir}. If {@code dir} lacks the batch files but has a
     * {@code cifar-10-batches-bin} subfolder (as extracted from the official tarball), that is used.
     *
     * @throws IOException if a batch file is missing (the message names it) or is not a whole
     *                     number of records, or a label is outside 0..9
     */
    public static LabeledImages load(Path dir, Split split) throws IOException {
        Path base = dir;
        if (!Files.isRegularFile(dir.resolve(split.files().get(0)))
                && Files.isDirectory(dir.resolve(TARBALL_FOLDER))) {
            base = dir.resolve(TARBALL_FOLDER);
        }
        List<Path> paths = new ArrayList<>();
        for (String f : split.files()) {
            paths.add(base.resolve(f));
        }
        return loadFiles(paths);
    }

    /**
     * Loads and concatenates the given CIFAR-10 binary batch files, in order.
     *
     * @throws IOException if a file is missing (the message names it) or is not a whole
     *                     number of records, or a label is outside 0..9
     */
    public static LabeledImages loadFiles(List<Path> files) throws IOException {
        long total = 0;
        long[] counts = new long[files.size()];
        for (int k = 0; k < files.size(); k++) {
            Path p = files.get(k);
            if (!Files.isRegularFile(p)) {
                throw new IOException("CIFAR-10 file " + p + " is missing; download the binary version "
                        + "(cifar-10-binary.tar.gz) and extract its " + TARBALL_FOLDER + "/*.bin files there");
            }
            long size = Files.size(p);
            if (size == 0 || size % RECORD_SIZE != 0) {
                throw new IOException("CIFAR-10 file " + p + " is corrupt or truncated: its size " + size
                        + " is not a positive multiple of the " + RECORD_SIZE + "-byte record size");
            }
            counts[k] = size / RECORD_SIZE;
            total += counts[k];
        }
        if (total * IMAGE_SIZE > Integer.MAX_VALUE - 16) {
            throw new IOException("CIFAR-10 files hold " + total + " records, too many to load into one array");
        }
        int n = (int) total;
        float[] x = new float[n * IMAGE_SIZE];
        int[] y = new int[n];
        int i = 0;
        for (int k = 0; k < files.size(); k++) {
            Path p = files.get(k);
            byte[] bytes = Files.readAllBytes(p);
            if (bytes.length != counts[k] * RECORD_SIZE) {
                throw new IOException("CIFAR-10 file " + p + " changed size while being read");
            }
            for (int r = 0; r < counts[k]; r++, i++) {
                int off = r * RECORD_SIZE;
                int label = bytes[off] & 0xFF;
                if (label >= NUM_CLASSES) {
                    throw new IOException("CIFAR-10 file " + p + " is corrupt: record " + r + " has label " + label
                            + " (expected 0..9)");
                }
                y[i] = label;
                int dst = i * IMAGE_SIZE;
                for (int j = 0; j < IMAGE_SIZE; j++) {
                    x[dst + j] = SCALE[bytes[off + 1 + j] & 0xFF];
                }
            }
        }
        return new LabeledImages(x, y, CHANNELS, HEIGHT, WIDTH, NUM_CLASSES);
    }
}
