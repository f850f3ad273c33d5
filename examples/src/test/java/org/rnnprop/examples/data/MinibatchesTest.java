package org.rnnprop.examples.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rnnprop.datasets.LabeledImages;

class MinibatchesTest {
    @Test
    void eachEpochVisitsEveryExampleOnceAndTheSeedFixesTheOrder() {
        int[][] b = Minibatches.draw(5, 6, 12, 4); // 3 batches per epoch, 2 epochs
        for (int epoch = 0; epoch < 2; epoch++) {
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                Arrays.stream(b[epoch * 3 + i]).forEach(seen::add);
            }
            assertEquals(12, seen.size(), "epoch " + epoch);
        }
        assertArrayEquals(b, Minibatches.draw(5, 6, 12, 4));
        assertFalse(Arrays.deepEquals(b, Minibatches.draw(6, 6, 12, 4)));
    }

    @Test
    void anIncompleteLastSliceIsSkippedForAFreshShuffle() {
        int[][] b = Minibatches.draw(1, 3, 10, 4); // 10 examples: two batches of 4, then a new epoch
        Set<Integer> first = new HashSet<>();
        Arrays.stream(b[0]).forEach(first::add);
        Arrays.stream(b[1]).forEach(first::add);
        assertEquals(8, first.size());
    }

    @Test
    void refusesTooFewExamplesAndBadSizes() {
        assertThrows(IllegalArgumentException.class, () -> Minibatches.draw(1, 1, 3, 4));
        assertThrows(IllegalArgumentException.class, () -> Minibatches.draw(1, -1, 10, 4));
        assertThrows(IllegalArgumentException.class, () -> Minibatches.draw(1, 1, 10, 0));
        assertThrows(IllegalArgumentException.class, () -> Minibatches.range(3, 2));
    }

    @Test
    void gathersImagesAndLabelsOfTheGivenExamples() {
        LabeledImages data = new LabeledImages(new float[] {0, 1, 10, 11, 20, 21}, new int[] {2, 0, 1}, 1, 1, 2, 3);
        int[] idx = {2, 0};
        assertArrayEquals(new float[] {20, 21, 0, 1}, Minibatches.images(data, idx));
        assertArrayEquals(new float[] {1, 2}, Minibatches.labels(data, idx));
        assertArrayEquals(new float[] {0, 1, 0, 0, 0, 1}, Minibatches.oneHot(data, idx));
        assertArrayEquals(new int[] {1, 2, 3}, Minibatches.range(1, 4));
    }
}
