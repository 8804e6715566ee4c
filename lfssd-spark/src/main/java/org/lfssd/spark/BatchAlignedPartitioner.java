package org.lfssd.spark;

import org.apache.spark.Partitioner;

/**
 * Partitions samples by index into contiguous runs of whole batches: batch {@code k} (samples
 * {@code [k·b, (k+1)·b)}) goes to partition {@code ⌊k·P / batches⌋}, so every partition starts on a batch
 * boundary and the partitions, in order, hold the data set in its order. Partition sizes differ by at most
 * one batch.
 */
final class BatchAlignedPartitioner extends Partitioner {
    private static final long serialVersionUID = 1L;

    private final long samples;
    private final int batchSize;
    private final long batches;
    private final int partitions;

    /**
     * @param samples    n, the indices are 0..n−1
     * @param batchSize  b
     * @param partitions the wished number of partitions, capped at the number of batches
     */
    BatchAlignedPartitioner(long samples, int batchSize, int partitions) {
        if (samples < 1 || batchSize < 1 || partitions < 1) {
            throw new IllegalArgumentException("BatchAlignedPartitioner: need samples, batch size and partitions >= 1, got "
                    + samples + ", " + batchSize + ", " + partitions);
        }
        this.samples = samples;
        this.batchSize = batchSize;
        this.batches = samples / batchSize + (samples % batchSize == 0 ? 0 : 1);
        this.partitions = (int) Math.min(partitions, batches);
    }

    @Override
    public int numPartitions() {
        return partitions;
    }

    @Override
    public int getPartition(Object key) {
        long index = (Long) key;
        if (index < 0 || index >= samples) {
            throw new IllegalArgumentException("lfssd-spark: sample index " + index + " outside 0.." + (samples - 1)
                    + " (the data set has " + samples + " rows; indices must be 0..n-1, each once)");
        }
        long batch = index / batchSize;
        // Exact in long up to 2^63 / partitions batches; multiplyExact fails loudly beyond that.
        return (int) (Math.multiplyExact(batch, (long) partitions) / batches);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BatchAlignedPartitioner p && p.samples == samples && p.batchSize == batchSize
                && p.partitions == partitions;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(samples) * 31 * 31 + batchSize * 31 + partitions;
    }
}
