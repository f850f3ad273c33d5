package org.example.rnnprop;

import java.util.Random;

/**
 * A small two-class problem for the example: points in {@code FEATURES} dimensions, labelled by the side of a
 * random hyperplane they fall on. Row-major features, labels 0 or 1.
 */
record SyntheticData(float[] features, int[] labels) {
    static final int FEATURES = 8;
    static final int CLASSES = 2;

    static SyntheticData generate(int examples, long seed) {
        Random random = new Random(seed);
        float[] normal = new float[FEATURES];
        for (int j = 0; j < FEATURES; j++) {
            normal[j] = (float) random.nextGaussian();
        }
        float[] x = new float[examples * FEATURES];
        int[] y = new int[examples];
        for (int i = 0; i < examples; i++) {
            double side = 0;
            for (int j = 0; j < FEATURES; j++) {
                x[i * FEATURES + j] = (float) random.nextGaussian();
                side += x[i * FEATURES + j] * normal[j];
            }
            y[i] = side > 0 ? 1 : 0;
        }
        return new SyntheticData(x, y);
    }

    int examples() {
        return labels.length;
    }

    /** One-hot labels, row-major {@code [examples, CLASSES]}. */
    float[] oneHotLabels() {
        float[] oneHot = new float[labels.length * CLASSES];
        for (int i = 0; i < labels.length; i++) {
            oneHot[i * CLASSES + labels[i]] = 1f;
        }
        return oneHot;
    }
}
