package org.lfssd.data;

import java.util.Arrays;
import java.util.function.IntPredicate;
import org.lfssd.tensor.Shapes;
import org.lfssd.tensor.Tensor;

/**
 * An in-memory labelled image set: images {@code [N, C, H, W]} (float) and one integer label per image.
 * Selections copy, so a subset never aliases its parent.
 */
public final class Dataset {
    private final Tensor images;
    private final int[] labels;

    /**
     * Wraps {@code images} and {@code labels} (not copied).
     *
     * @param images {@code [N, C, H, W]} (or any {@code [N, ...]})
     * @param labels N labels, or null for unlabelled data
     */
    public Dataset(Tensor images, int[] labels) {
        if (images.dim() < 2) {
            throw new IllegalArgumentException("Dataset: images need shape [N, ...], got " + Shapes.str(images.shape()));
        }
        if (labels.length != images.size(0)) {
            throw new IllegalArgumentException("Dataset: " + labels.length + " labels for images of shape "
                    + Shapes.str(images.shape()));
        }
        this.images = images;
        this.labels = labels;
    }

    /** {@return the images, {@code [N, ...]} (the tensor itself; do not modify)} */
    public Tensor images() {
        return images;
    }

    /**
     * The labels (the array itself; do not modify).
     *
     * @return the label array
     */
    public int[] labels() {
        return labels;
    }

    /** {@return the number of samples} */
    public int size() {
        return labels.length;
    }

    /**
     * The samples at {@code indices}, in that order (copied).
     *
     * @param indices sample indices, repeats allowed
     * @return a new data set
     */
    public Dataset select(int[] indices) {
        int[] shape = images.shape();
        int row = shape[0] == 0 ? 0 : images.numel() / shape[0];
        shape[0] = indices.length;
        float[] out = new float[indices.length * row];
        int[] outLabels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            int k = indices[i];
            if (k < 0 || k >= labels.length) {
                throw new IndexOutOfBoundsException("Dataset.select: index " + k + " of " + labels.length);
            }
            System.arraycopy(images.data(), images.offset() + k * row, out, i * row, row);
            outLabels[i] = labels[k];
        }
        return new Dataset(Tensor.wrap(out, 0, shape), outLabels);
    }

    /**
     * The samples whose label satisfies {@code keep}, in their original order.
     *
     * @param keep the test on labels
     * @return a new data set
     */
    public Dataset whereLabel(IntPredicate keep) {
        return select(java.util.stream.IntStream.range(0, labels.length).filter(i -> keep.test(labels[i])).toArray());
    }

    /**
     * The first {@code n} samples.
     *
     * @param n how many, at most {@link #size()}
     * @return a new data set
     */
    public Dataset first(int n) {
        if (n < 0 || n > labels.length) {
            throw new IllegalArgumentException("Dataset.first: " + n + " of " + labels.length + " samples");
        }
        return select(java.util.stream.IntStream.range(0, n).toArray());
    }

    /**
     * This set followed by {@code other} (copied); images must have the same per-sample shape.
     *
     * @param other the samples to append
     * @return a new data set
     */
    public Dataset concat(Dataset other) {
        int[] a = images.shape();
        int[] b = other.images.shape();
        if (!Arrays.equals(Arrays.copyOfRange(a, 1, a.length), Arrays.copyOfRange(b, 1, b.length))) {
            throw new IllegalArgumentException("Dataset.concat: sample shapes differ: " + Shapes.str(a) + " vs " + Shapes.str(b));
        }
        float[] out = new float[images.numel() + other.images.numel()];
        System.arraycopy(images.data(), images.offset(), out, 0, images.numel());
        System.arraycopy(other.images.data(), other.images.offset(), out, images.numel(), other.images.numel());
        int[] shape = a.clone();
        shape[0] = a[0] + b[0];
        int[] outLabels = Arrays.copyOf(labels, labels.length + other.labels.length);
        System.arraycopy(other.labels, 0, outLabels, labels.length, other.labels.length);
        return new Dataset(Tensor.wrap(out, 0, shape), outLabels);
    }

    /**
     * A copy with every pixel standardised as {@code (x - mean) / std}.
     *
     * @param mean subtracted from every pixel
     * @param std  divides every pixel after that
     * @return a new data set
     */
    public Dataset normalized(float mean, float std) {
        if (!(std > 0)) {
            throw new IllegalArgumentException("Dataset.normalized: std must be > 0, got " + std);
        }
        float[] out = images.toArray();
        for (int i = 0; i < out.length; i++) {
            out[i] = (out[i] - mean) / std;
        }
        return new Dataset(Tensor.wrap(out, 0, images.shape()), labels);
    }

    /**
     * Consecutive batches of {@code batchSize} in this order, the last possibly smaller.
     *
     * @param batchSize samples per batch
     * @return a list view of the batches
     */
    public Batches batches(int batchSize) {
        return new Batches(images, labels, batchSize);
    }

    /**
     * How many samples carry each label {@code 0..numClasses-1}.
     *
     * @param numClasses the number of classes
     * @return the count per label
     */
    public int[] classCounts(int numClasses) {
        int[] counts = new int[numClasses];
        for (int y : labels) {
            if (y < 0 || y >= numClasses) {
                throw new IllegalArgumentException("Dataset.classCounts: label " + y + " outside [0, " + numClasses + ")");
            }
            counts[y]++;
        }
        return counts;
    }
}
