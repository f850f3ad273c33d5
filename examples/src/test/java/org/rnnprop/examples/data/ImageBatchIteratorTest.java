package org.rnnprop.examples.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.rnnprop.datasets.LabeledImages;

class ImageBatchIteratorTest {
    /** Ten one-pixel images whose value is their index; label = index mod 3. */
    private static LabeledImages data() {
        float[] x = new float[10];
        int[] y = new int[10];
        for (int i = 0; i < 10; i++) {
            x[i] = i;
            y[i] = i % 3;
        }
        return new LabeledImages(x, y, 1, 1, 1, 3);
    }

    /** The example indices of one epoch, batch by batch. */
    private static List<float[]> epoch(ImageBatchIterator it) {
        List<float[]> batches = new ArrayList<>();
        while (it.hasNext()) {
            DataSet ds = it.next();
            float[] x = ds.getFeatures().ravel().toFloatVector();
            float[] y = ds.getLabels().ravel().toFloatVector();
            for (int i = 0; i < x.length; i++) {
                assertEquals(1f, y[i * 3 + ((int) x[i]) % 3], "one-hot label of example " + x[i]);
            }
            batches.add(x);
        }
        return batches;
    }

    @Test
    void anEpochVisitsEveryExampleOnceWithASmallerLastBatch() {
        ImageBatchIterator it = new ImageBatchIterator(data(), 4, 1);
        List<float[]> e = epoch(it);
        assertEquals(List.of(4, 4, 2), e.stream().map(b -> b.length).toList());
        boolean[] seen = new boolean[10];
        e.forEach(b -> {
            for (float v : b) {
                seen[(int) v] = true;
            }
        });
        for (boolean s : seen) {
            assertTrue(s);
        }
        assertThrows(NoSuchElementException.class, it::next);
        assertEquals(1, it.inputColumns());
        assertEquals(3, it.totalOutcomes());
        assertFalse(it.asyncSupported());
    }

    @Test
    void theSameSeedGivesTheSameEpochsAndResetReshuffles() {
        ImageBatchIterator a = new ImageBatchIterator(data(), 4, 7);
        ImageBatchIterator b = new ImageBatchIterator(data(), 4, 7);
        List<float[]> a1 = epoch(a);
        assertArrayEquals(a1.toArray(), epoch(b).toArray());
        a.reset();
        b.reset();
        List<float[]> a2 = epoch(a);
        assertArrayEquals(a2.toArray(), epoch(b).toArray());
        assertFalse(java.util.Arrays.deepEquals(a1.toArray(), a2.toArray()), "a new order each epoch");
    }

    @Test
    void inOrderKeepsTheDataOrder() {
        ImageBatchIterator it = ImageBatchIterator.inOrder(data(), 3);
        assertArrayEquals(new float[] {0, 1, 2}, epoch(it).get(0));
        it.reset();
        assertArrayEquals(new float[] {0, 1, 2}, it.next().getFeatures().ravel().toFloatVector());
    }

    @Test
    void refusesABadBatchSize() {
        assertThrows(IllegalArgumentException.class, () -> new ImageBatchIterator(data(), 0, 1));
    }
}
