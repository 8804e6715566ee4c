package org.lfssd.spark;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.sql.Row;
import org.lfssd.data.Batch;
import org.lfssd.data.Normalization;
import org.lfssd.tensor.Tensor;

/**
 * One partition's rows, sorted by index, cut into batches of {@code batchSize} consecutive rows as they
 * stream by (a partition is never held in memory whole). Iterable once. Checks that the indices increase and,
 * where batches must match a single pass's, that they are consecutive and start on a batch boundary.
 */
final class RowBatches implements Iterable<Batch> {
    private final Iterator<Row> rows;
    private final int partition;
    private final int batchSize;
    private final int[] imageShape;
    private final Normalization normalization;
    private final boolean withLabels;
    private final boolean batchAligned;
    private boolean iterated;
    private long firstIndex = -1;
    private long lastIndex = -1;

    /**
     * @param rows          the partition's rows in increasing index order
     * @param partition     the partition id, for messages
     * @param imageShape    {@code [C, H, W]}
     * @param normalization applied to each batch, or null
     * @param withLabels    read the label column (SSD)
     * @param batchAligned  require consecutive indices starting at a multiple of {@code batchSize} (reference)
     */
    RowBatches(Iterator<Row> rows, int partition, int batchSize, int[] imageShape, Normalization normalization,
               boolean withLabels, boolean batchAligned) {
        this.rows = rows;
        this.partition = partition;
        this.batchSize = batchSize;
        this.imageShape = imageShape;
        this.normalization = normalization;
        this.withLabels = withLabels;
        this.batchAligned = batchAligned;
    }

    /** {@return the smallest index seen, or -1 before the first row} */
    long firstIndex() {
        return firstIndex;
    }

    /** {@return the largest index seen, or -1 before the first row} */
    long lastIndex() {
        return lastIndex;
    }

    @Override
    public Iterator<Batch> iterator() {
        if (iterated) {
            throw new IllegalStateException("RowBatches of partition " + partition + " can be iterated only once");
        }
        iterated = true;
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public Batch next() {
                if (!rows.hasNext()) {
                    throw new NoSuchElementException();
                }
                return nextBatch();
            }
        };
    }

    private Batch nextBatch() {
        int per = imageShape[0] * imageShape[1] * imageShape[2];
        float[] pixels = new float[batchSize * per];
        int[] labels = withLabels ? new int[batchSize] : null;
        int n = 0;
        while (n < batchSize && rows.hasNext()) {
            Row row = rows.next();
            long index = ImageRows.index(row);
            check(index);
            ImageRows.readImage(row, imageShape, pixels, n * per);
            if (withLabels) {
                int at = row.fieldIndex(ImageRows.LABEL);
                if (row.isNullAt(at)) {
                    throw new IllegalArgumentException("lfssd-spark: sample " + index + " has no label; SSD needs one"
                            + " for every sample (LFSSD needs none)");
                }
                labels[n] = row.getInt(at);
            }
            n++;
        }
        Tensor images = Tensor.wrap(pixels, 0, batchSize, imageShape[0], imageShape[1], imageShape[2]);
        if (n < batchSize) {
            images = images.sliceBatch(0, n);
            labels = labels == null ? null : java.util.Arrays.copyOf(labels, n);
        }
        if (normalization != null) {
            images = normalization.apply(images);
        }
        return new Batch(images, labels);
    }

    private void check(long index) {
        if (firstIndex < 0) {
            if (batchAligned && index % batchSize != 0) {
                throw new IllegalArgumentException("lfssd-spark: partition " + partition + " starts at sample " + index
                        + ", which is not a multiple of the batch size " + batchSize
                        + ", so its batches would not be the single pass's");
            }
            firstIndex = index;
        } else if (batchAligned ? index != lastIndex + 1 : index <= lastIndex) {
            throw new IllegalArgumentException("lfssd-spark: partition " + partition + " holds sample " + lastIndex
                    + " and then " + index + "; " + (batchAligned
                    ? "with the reference reduction a partition must hold consecutive indices (0..n-1, each once)"
                    : "indices must be unique"));
        }
        lastIndex = index;
    }
}
