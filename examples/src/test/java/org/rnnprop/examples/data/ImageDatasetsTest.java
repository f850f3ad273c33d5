package org.rnnprop.examples.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import org.junit.jupiter.api.Test;
import org.rnnprop.datasets.LabeledImages;

class ImageDatasetsTest {
    private static final LabeledImages DATA = new LabeledImages(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11},
            new int[] {2, 0, 1}, 1, 2, 2, 3);

    @Test
    void examplesTakeTheGivenShapeAndLabelsAreFloats() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            ArrayDataset d = ImageDatasets.arrayDataset(DATA, m, 2, false, new Shape(1, 2, 2));
            assertEquals(3, d.size());
            Batch first = d.getData(m).iterator().next();
            assertEquals(new Shape(2, 1, 2, 2), first.getData().singletonOrThrow().getShape());
            assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 6, 7}, first.getData().singletonOrThrow().toFloatArray());
            assertArrayEquals(new float[] {2, 0}, first.getLabels().singletonOrThrow().toFloatArray());
            first.close();
        }
    }

    @Test
    void aShapeOfAnotherSizeIsRefused() {
        try (NDManager m = NDManager.newBaseManager()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ImageDatasets.arrayDataset(DATA, m, 2, false, new Shape(5)));
            assertEquals(true, e.getMessage().contains("(5)"), e.getMessage());
        }
    }
}
