package org.lfssd.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lfssd.tensor.Tensor;

/** Dataset selection and concatenation, and Batches as views in the data set's order. */
class DatasetTest {

    @Test
    void datasetSelectionAndBatching() {
        Tensor images = Tensor.fromArray(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 5, 1, 1, 2);
        Dataset d = new Dataset(images, new int[] {3, 1, 3, 0, 1});
        Dataset threes = d.whereLabel(y -> y == 3);
        assertArrayEquals(new int[] {3, 3}, threes.labels());
        assertArrayEquals(new float[] {0, 1, 4, 5}, threes.images().toArray());
        Dataset both = threes.concat(d.whereLabel(y -> y == 0));
        assertArrayEquals(new int[] {3, 3, 0}, both.labels());
        assertArrayEquals(new float[] {0, 1, 4, 5, 6, 7}, both.images().toArray());

        Batches batches = d.batches(2);
        assertEquals(3, batches.size());
        assertEquals(5, batches.sampleCount());
        assertEquals(1, batches.get(2).size());
        assertArrayEquals(new int[] {1}, batches.get(2).labels());
        assertArrayEquals(new float[] {8, 9}, batches.get(2).images().toArray());
        // Batches are views of the data set's storage.
        assertTrue(batches.get(1).images().data() == images.data());
        assertEquals(null, batches.withoutLabels().get(0).labels());
    }
}
