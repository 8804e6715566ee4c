package org.lfssd.data;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;
import org.lfssd.tensor.Shapes;
import org.lfssd.tensor.Tensor;

/**
 * A data set cut into consecutive mini-batches in its given order, the last one possibly smaller — the
 * semantics of a non-shuffled PyTorch {@code DataLoader} with {@code drop_last=False}, which is what the
 * reference importance estimate depends on.
 *
 * <p>Batches are views: their images share the data set's storage, so cutting costs nothing.
 */
public final class Batches extends AbstractList<Batch> implements RandomAccess {
    private final Tensor images;
    private final int[] labels;
    private final int batchSize;

    /**
     * @param images  all samples, batch dimension first
     * @param labels  one label per sample, or {@code null} for unlabelled data
     * @param batchSize the size of every batch but possibly the last
     */
    public Batches(Tensor images, int[] labels, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("Batches: batch size must be >= 1, got " + batchSize);
        }
        if (images.dim() < 1) {
            throw new IllegalArgumentException("Batches: images need a batch dimension, got shape " + Shapes.str(images.shape()));
        }
        if (labels != null && labels.length != images.size(0)) {
            throw new IllegalArgumentException("Batches: " + labels.length + " labels for images of shape "
                    + Shapes.str(images.shape()));
        }
        this.images = images;
        this.labels = labels;
        this.batchSize = batchSize;
    }

    /** The number of batches. */
    @Override
    public int size() {
        // Ceiling division without forming n + batchSize - 1, which overflows for a batch size near 2^31.
        int n = sampleCount();
        return n / batchSize + (n % batchSize == 0 ? 0 : 1);
    }

    /** Batch {@code i}: samples {@code [i·batchSize, min((i+1)·batchSize, n))}. */
    @Override
    public Batch get(int i) {
        if (i < 0 || i >= size()) {
            throw new IndexOutOfBoundsException("batch " + i + " of " + size());
        }
        int start = i * batchSize;
        int end = (int) Math.min(sampleCount(), (long) start + batchSize);
        return new Batch(images.sliceBatch(start, end), labels == null ? null : Arrays.copyOfRange(labels, start, end));
    }

    /** {@return the nominal batch size (every batch's size but possibly the last's)} */
    public int batchSize() {
        return batchSize;
    }

    /**
     * The number of samples over all batches.
     *
     * @return the sample count
     */
    public int sampleCount() {
        return images.size(0);
    }

    /**
     * The same batches without labels (to show that a label-free method never needs them).
     *
     * @return a view with null labels
     */
    public Batches withoutLabels() {
        return new Batches(images, null, batchSize);
    }
}
