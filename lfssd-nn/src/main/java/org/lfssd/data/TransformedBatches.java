package org.lfssd.data;

import java.util.AbstractList;
import java.util.RandomAccess;
import java.util.function.UnaryOperator;
import org.lfssd.tensor.Tensor;

/**
 * Batches whose images are transformed on the fly when a batch is fetched, e.g. resized to 224 for a ViT
 * ({@link BilinearResize}). The underlying data stays small; only one transformed batch exists at a time.
 * Order, batch boundaries and labels are those of the wrapped batches.
 */
public final class TransformedBatches extends AbstractList<Batch> implements RandomAccess {
    private final Batches batches;
    private final UnaryOperator<Tensor> transform;

    /**
     * {@code batches} with {@code transform} applied to each batch's images.
     *
     * @param batches   the batches to wrap
     * @param transform applied to each batch's images when the batch is fetched
     */
    public TransformedBatches(Batches batches, UnaryOperator<Tensor> transform) {
        this.batches = batches;
        this.transform = transform;
    }

    /**
     * {@code batches} as they are when {@code transform} is null or the identity, otherwise transformed.
     *
     * @param batches   the batches
     * @param transform applied to each batch's images, or null for none
     * @return {@code batches} itself when {@code transform} is null, otherwise a {@code TransformedBatches} over them
     */
    public static java.util.List<Batch> of(Batches batches, UnaryOperator<Tensor> transform) {
        return transform == null ? batches : new TransformedBatches(batches, transform);
    }

    /** The number of batches. */
    @Override
    public int size() {
        return batches.size();
    }

    /** Batch {@code i} with transformed images. */
    @Override
    public Batch get(int i) {
        Batch b = batches.get(i);
        return new Batch(transform.apply(b.images()), b.labels());
    }
}
