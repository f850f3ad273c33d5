package org.rnnprop.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A small classification problem for tests: Gaussian inputs labelled by the argmax of a fixed random linear map,
 * so a small MLP can learn it in a few dozen steps.
 */
final class TeacherData {
    static final int INPUTS = 16;
    static final int CLASSES = 4;

    private final float[][] teacher;
    private final Random random;

    TeacherData(long seed) {
        random = new Random(seed);
        teacher = new float[INPUTS][CLASSES];
        for (float[] row : teacher) {
            for (int c = 0; c < CLASSES; c++) {
                row[c] = (float) random.nextGaussian();
            }
        }
    }

    /** {@code count} minibatches of {@code size} fresh examples each. */
    List<DataSet> minibatches(int count, int size) {
        List<DataSet> out = new ArrayList<>(count);
        for (int b = 0; b < count; b++) {
            float[] x = new float[size * INPUTS];
            float[] y = new float[size * CLASSES];
            for (int i = 0; i < size; i++) {
                int best = 0;
                float bestScore = Float.NEGATIVE_INFINITY;
                for (int c = 0; c < CLASSES; c++) {
                    float score = 0;
                    for (int k = 0; k < INPUTS; k++) {
                        if (c == 0) {
                            x[i * INPUTS + k] = (float) random.nextGaussian();
                        }
                        score += x[i * INPUTS + k] * teacher[k][c];
                    }
                    if (score > bestScore) {
                        bestScore = score;
                        best = c;
                    }
                }
                y[i * CLASSES + best] = 1;
            }
            out.add(new DataSet(Nd4j.create(x, new long[] {size, INPUTS}, 'c'),
                    Nd4j.create(y, new long[] {size, CLASSES}, 'c')));
        }
        return out;
    }
}
