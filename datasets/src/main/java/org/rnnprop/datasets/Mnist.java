package org.rnnprop.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads MNIST from a folder holding the four raw (uncompressed) IDX files {@code train_data},
 * {@code train_labels}, {@code test_data} and {@code test_labels}, as written by
 * {@code scripts/fetch-mnist.sh}. Images come back as floats in {@code [0, 1]} (pixel / 255),
 * row-major, 784 per image; labels as ints in {@code [0, 10)}.
 */
public final class Mnist {

    /** Image height in pixels. */
    public static final int ROWS = 28;
    /** Image width in pixels. */
    public static final int COLS = 28;
    /** Pixels per image (784). */
    public static final int IMAGE_SIZE = ROWS * COLS;
    /** Number of classes (digits 0 to 9). */
    public static final int NUM_CLASSES = 10;
    /** Examples in the full training split. */
    public static final int TRAIN_SIZE = 60_000;
    /** Examples in the full test split. */
    public static final int TEST_SIZE = 10_000;

    static final String FETCH_HINT = "run scripts/fetch-mnist.sh of the rnnprop-java repository to download MNIST";

    /** The two MNIST splits and their file names. */
    public enum Split {
        /** 60,000 training examples: {@code train_data}, {@code train_labels}. */
        TRAIN("train_data", "train_labels"),
        /** 10,000 test examples: {@code test_data}, {@code test_labels}. */
        TEST("test_data", "test_labels");

        private final String dataFile;
        private final String labelFile;

        Split(String dataFile, String labelFile) {
            this.dataFile = dataFile;
            this.labelFile = labelFile;
        }

        /** Name of the image file in the MNIST folder. */
        public String dataFile() {
            return dataFile;
        }

        /** Name of the label file in the MNIST folder. */
        public String labelFile() {
            return labelFile;
        }
    }

    private static final float[] SCALE = new float[256];

    static {
        for (int i = 0; i < 256; i++) {
            SCALE[i] = i / 255f;
        }
    }

    private Mnist() {
    }

    /**
     * The folder {@code scripts/fetch-mnist.sh} writes to: {@code $RNNPROP_DATA/mnist}, or
     * {@code ~/.cache/rnnprop/mnist} when {@code RNNPROP_DATA} is unset.
     */
    public static Path defaultDirectory() {
        return DataPaths.root().resolve("mnist");
    }

    /** Whether {@code dir} holds all four MNIST files (it does not check their contents). */
    public static boolean isPresent(Path dir) {
        for (Split s : Split.values()) {
            if (!Files.isRegularFile(dir.resolve(s.dataFile())) || !Files.isRegularFile(dir.resolve(s.labelFile()))) {
                return false;
            }
        }
        return true;
    }

    /** Loads {@code split} from {@link #defaultDirectory()}. */
    public static LabeledImages load(Split split) throws IOException {
        return load(defaultDirectory(), split);
    }

    /**
     * Loads one split from {@code dir}.
     *
     * @return {@code n} images of 1x28x28 floats in [0, 1] and their labels in [0, 10)
     * @throws IOException if the folder or a file is missing or a file is corrupt (wrong magic
     *                     number, dimensions or length, image and label counts that differ, labels
     *                     outside 0..9); the message names the file and says to run
     *                     {@code scripts/fetch-mnist.sh}
     */
    public static LabeledImages load(Path dir, Split split) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("MNIST folder " + dir + " does not exist; " + FETCH_HINT);
        }
        Path dataPath = dir.resolve(split.dataFile());
        Path labelPath = dir.resolve(split.labelFile());
        for (Path p : new Path[] {dataPath, labelPath}) {
            if (!Files.isRegularFile(p)) {
                throw new IOException("MNIST file " + p + " is missing; " + FETCH_HINT);
            }
        }
        IdxReader.IdxFile data;
        IdxReader.IdxFile labels;
        try {
            data = IdxReader.read(dataPath, IdxReader.ANY, ROWS, COLS);
            labels = IdxReader.read(labelPath, IdxReader.ANY);
        } catch (IOException e) {
            throw new IOException("Corrupt MNIST data: " + e.getMessage() + "; " + FETCH_HINT + " again", e);
        }
        int n = data.count();
        if (labels.count() != n) {
            throw new IOException("Corrupt MNIST data: " + dataPath + " has " + n + " images but " + labelPath
                    + " has " + labels.count() + " labels; " + FETCH_HINT + " again");
        }
        byte[] lb = labels.data();
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = lb[i] & 0xFF;
            if (y[i] >= NUM_CLASSES) {
                throw new IOException("Corrupt MNIST data: " + labelPath + " has label " + y[i] + " at index " + i
                        + " (expected 0..9); " + FETCH_HINT + " again");
            }
        }
        byte[] px = data.data();
        float[] x = new float[px.length];
        for (int i = 0; i < px.length; i++) {
            x[i] = SCALE[px[i] & 0xFF];
        }
        return new LabeledImages(x, y, 1, ROWS, COLS, NUM_CLASSES);
    }
}
