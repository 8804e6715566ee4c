package org.lfssd.data;

import java.util.Arrays;
import org.lfssd.tensor.Shapes;
import org.lfssd.tensor.Tensor;

/**
 * One mini-batch: images (NCHW float, or any tensor whose first dimension is the batch) and, optionally,
 * their integer class labels.
 *
 * <p>Labels may be {@code null}: LFSSD is label-free and never reads them; SSD needs them. The label array
 * is used as given (not copied), like the image tensor, which is typically a view into a larger data set.
 *
 * @param images the inputs, batch first
 * @param labels the class label of each input, or {@code null}
 */
public record Batch(Tensor images, int[] labels) {

    /**
     * Checks that there is one label per image, when there are labels.
     *
     * @param images the inputs, batch first
     * @param labels the class label of each input, or {@code null}
     */
    public Batch {
        if (images == null) {
            throw new IllegalArgumentException("Batch: images must not be null");
        }
        if (images.dim() < 1 || images.size(0) < 1) {
            throw new IllegalArgumentException("Batch: images need a non-empty batch dimension, got shape "
                    + Shapes.str(images.shape()));
        }
        if (labels != null && labels.length != images.size(0)) {
            throw new IllegalArgumentException("Batch: " + labels.length + " labels for images of shape "
                    + Shapes.str(images.shape()));
        }
    }

    /**
     * A batch without labels (enough for LFSSD).
     *
     * @param images {@code [B, ...]}
     * @return a batch with null labels
     */
    public static Batch unlabeled(Tensor images) {
        return new Batch(images, null);
    }

    /**
     * The number of samples.
     *
     * @return the first dimension of the images
     */
    public int size() {
        return images.size(0);
    }

    /** {@return true when the batch carries labels (SSD needs them, LFSSD does not)} */
    public boolean hasLabels() {
        return labels != null;
    }

    /**
     * Samples {@code [start, end)} as a batch sharing this batch's image storage.
     *
     * @param start first sample, inclusive
     * @param end   last sample, exclusive
     * @return the sub-batch
     */
    public Batch slice(int start, int end) {
        return new Batch(images.sliceBatch(start, end), labels == null ? null : Arrays.copyOfRange(labels, start, end));
    }
}
