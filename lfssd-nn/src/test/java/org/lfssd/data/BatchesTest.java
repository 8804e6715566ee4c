package org.lfssd.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.lfssd.tensor.Tensor;

class BatchesTest {
    private static final Tensor FIVE_SAMPLES = Tensor.zeros(5, 2);

    @Test
    void aBatchSizeNearIntMaxGivesOneBatchOfEverything() {
        // Regression: (n + batchSize - 1) overflowed to a negative number and size() returned 0.
        Batches b = new Batches(FIVE_SAMPLES, new int[] {0, 1, 2, 3, 4}, Integer.MAX_VALUE);
        assertEquals(1, b.size());
        assertEquals(5, b.get(0).size());
        Batches almost = new Batches(FIVE_SAMPLES, null, Integer.MAX_VALUE - 1);
        assertEquals(1, almost.size());
        assertEquals(5, almost.get(0).size());
    }

    @Test
    void sizeIsTheCeilingOfSamplesOverBatchSize() {
        assertEquals(5, new Batches(FIVE_SAMPLES, null, 1).size());
        assertEquals(3, new Batches(FIVE_SAMPLES, null, 2).size());
        assertEquals(1, new Batches(FIVE_SAMPLES, null, 5).size());
        assertEquals(0, new Batches(Tensor.zeros(0, 2), null, 3).size());
        assertEquals(1, new Batches(FIVE_SAMPLES, null, 2).get(2).size());
    }
}
