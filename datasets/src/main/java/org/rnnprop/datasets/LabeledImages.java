package org.rnnprop.datasets;

import java.util.Arrays;

/**
 * An immutable-by-convention set of labelled images: {@code numExamples()} images of
 * {@code channels x height x width} floats each, stored back to back in one flat array
 * (example-major, then channel, row, column), and one integer class label per image.
 * Accessors return the backing arrays without copying; do not modify them.
 */
public final class LabeledImages {
    private final float[] images;
    private final int[] labels;
    private final int channels;
    private final int height;
    private final int width;
    private final int numClasses;

    /**
     * Creates the value, checking that the array lengths agree and the labels are in range.
     *
     * @throws IllegalArgumentException if {@code images.length != labels.length * channels * height * width}
     *                                  or a label is outside {@code [0, numClasses)}
     */
    public LabeledImages(float[] images, int[] labels, int channels, int height, int width, int numClasses) {
        if (channels <= 0 || height <= 0 || width <= 0 || numClasses <= 0) {
            throw new IllegalArgumentException("channels, height, width and numClasses must be positive");
        }
        long expected = (long) labels.length * channels * height * width;
        if (images.length != expected) {
            throw new IllegalArgumentException("images has " + images.length + " values but " + labels.length
                    + " examples of " + channels + "x" + height + "x" + width + " need " + expected);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("label " + labels[i] + " of example " + i
                        + " is outside [0, " + numClasses + ")");
            }
        }
        this.images = images;
        this.labels = labels;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.numClasses = numClasses;
    }

    /** Number of images. */
    public int numExamples() {
        return labels.length;
    }

    /** All images, flat, {@code numExamples() * imageSize()} values (backing array, not a copy). */
    public float[] images() {
        return images;
    }

    /** All labels, one per image (backing array, not a copy). */
    public int[] labels() {
        return labels;
    }

    /** Values per image: {@code channels() * height() * width()}. */
    public int imageSize() {
        return channels * height * width;
    }

    /** Channels per image (1 for MNIST, 3 for CIFAR-10). */
    public int channels() {
        return channels;
    }

    /** Image height in pixels. */
    public int height() {
        return height;
    }

    /** Image width in pixels. */
    public int width() {
        return width;
    }

    /** Number of classes; labels are in {@code [0, numClasses())}. */
    public int numClasses() {
        return numClasses;
    }

    /** Label of example {@code i}. */
    public int label(int i) {
        return labels[i];
    }

    /** A copy of image {@code i}. */
    public float[] image(int i) {
        int s = imageSize();
        return Arrays.copyOfRange(images, i * s, (i + 1) * s);
    }

    /** A copy of examples {@code [from, to)}. */
    public LabeledImages subset(int from, int to) {
        if (from < 0 || to > numExamples() || from > to) {
            throw new IndexOutOfBoundsException("subset [" + from + ", " + to + ") of " + numExamples() + " examples");
        }
        int s = imageSize();
        return new LabeledImages(Arrays.copyOfRange(images, from * s, to * s),
                Arrays.copyOfRange(labels, from, to), channels, height, width, numClasses);
    }

    @Override
    public String toString() {
        return "LabeledImages[" + numExamples() + " x " + channels + "x" + height + "x" + width
                + ", " + numClasses + " classes]";
    }
}
