package org.lfssd.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Partitions are contiguous runs of whole batches, in index order, of nearly equal size. */
class BatchAlignedPartitionerTest {
    @Test
    void cutsOnBatchBoundariesInOrder() {
        BatchAlignedPartitioner p = new BatchAlignedPartitioner(420, 64, 3);   // 7 batches
        int[] batchesPerPartition = new int[3];
        int previous = 0;
        for (long i = 0; i < 420; i++) {
            int part = p.getPartition(i);
            assertTrue(part >= previous, "partitions follow the index order");
            assertEquals(p.getPartition((i / 64) * 64), part, "a batch stays in one partition");
            if (i % 64 == 0) {
                batchesPerPartition[part]++;
            }
            previous = part;
        }
        assertArrayEquals(new int[] {3, 2, 2}, batchesPerPartition);
    }

    @Test
    void neverMorePartitionsThanBatches() {
        assertEquals(7, new BatchAlignedPartitioner(420, 64, 100).numPartitions());
        assertEquals(1, new BatchAlignedPartitioner(10, 64, 4).numPartitions());
    }

    @Test
    void refusesIndicesOutsideTheDataSet() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BatchAlignedPartitioner(420, 64, 3).getPartition(420L));
        assertTrue(e.getMessage().contains("sample index 420 outside 0..419"), e.getMessage());
    }
}
