package org.rnnprop.examples.compare;

import java.util.function.Function;
import org.rnnprop.datasets.LabeledImages;
import org.rnnprop.examples.data.Minibatches;

/** Accuracy on held-out examples, classified a chunk at a time to bound the activations' memory. */
final class HeldOutAccuracy {
    /** Examples classified per call. */
    static final int CHUNK = 1000;

    private HeldOutAccuracy() {
    }

    /**
     * Fraction of {@code test} that {@code predict} classifies correctly.
     *
     * @param predict example indices to the predicted classes, one per index
     */
    static double of(LabeledImages test, Function<int[], long[]> predict) {
        int right = 0;
        for (int from = 0; from < test.numExamples(); from += CHUNK) {
            int[] indices = Minibatches.range(from, Math.min(test.numExamples(), from + CHUNK));
            long[] predicted = predict.apply(indices);
            for (int i = 0; i < indices.length; i++) {
                right += predicted[i] == test.label(indices[i]) ? 1 : 0;
            }
        }
        return (double) right / test.numExamples();
    }
}
