package org.lfssd.data;

import java.util.SplittableRandom;
import org.lfssd.tensor.Shapes;
import org.lfssd.tensor.Tensor;

/**
 * The papers' training augmentation (ALGORITHM.md §8.2): torchvision's {@code RandomCrop(size, padding)}
 * followed by {@code RandomHorizontalFlip(0.5)}, seeded. (The official pre-training also rotates by up to
 * 15°; that is not part of this augmentation.)
 *
 * <p>Per image, in this order: draw the crop's top row and left column uniformly from
 * {@code [0, 2·padding]}, then flip with probability 1/2. The padding takes a per-channel fill value:
 * torchvision pads the raw image with 0 <em>before</em> normalising, so on normalised images pass
 * {@link #forNormalized}, whose fill is what 0 becomes. All draws come from one
 * {@link SplittableRandom} in sample order, so a seed fixes the result on any number of threads.
 */
public final class RandomCropFlip {
    private final int padding;
    private final float[] fill;

    /**
     * @param padding pixels added on each side before cropping back to the input size
     * @param fill    per channel, the value of the padded pixels
     */
    public RandomCropFlip(int padding, float[] fill) {
        if (padding < 0) {
            throw new IllegalArgumentException("RandomCropFlip: padding must be >= 0, got " + padding);
        }
        this.padding = padding;
        this.fill = fill.clone();
    }

    /**
     * Crop-with-padding and flip for images already normalised by {@code n}: the padding is raw 0 normalised.
     *
     * @param padding pixels added on each side before cropping back to the input size
     * @param n       the normalisation the images went through; fixes the channel count and the fill
     * @return the augmentation
     */
    public static RandomCropFlip forNormalized(int padding, Normalization n) {
        float[] fill = new float[n.channels()];
        for (int c = 0; c < fill.length; c++) {
            fill[c] = n.normalize(c, 0f);
        }
        return new RandomCropFlip(padding, fill);
    }

    /**
     * An augmented copy of {@code images} ({@code [N, C, H, W]}), drawing from {@code rng}.
     *
     * @param images {@code [N, C, H, W]} with C the fill's channel count, not modified
     * @param rng    the source of the crop offsets and flips, three draws per image in image order
     * @return the augmented images, same shape
     * @throws IllegalArgumentException if {@code images} is not rank 4 or its channel count differs from the fill's
     */
    public Tensor apply(Tensor images, SplittableRandom rng) {
        int[] s = images.shape();
        if (s.length != 4 || s[1] != fill.length) {
            throw new IllegalArgumentException("RandomCropFlip: expected [N, " + fill.length + ", H, W], got " + Shapes.str(s));
        }
        int channels = s[1];
        int h = s[2];
        int w = s[3];
        float[] in = images.data();
        int inOff = images.offset();
        float[] out = new float[images.numel()];
        for (int n = 0; n < s[0]; n++) {
            int top = rng.nextInt(2 * padding + 1) - padding;
            int left = rng.nextInt(2 * padding + 1) - padding;
            boolean flip = rng.nextInt(2) == 1;
            for (int c = 0; c < channels; c++) {
                int plane = (n * channels + c) * h * w;
                for (int y = 0; y < h; y++) {
                    int sy = y + top;
                    for (int x = 0; x < w; x++) {
                        // The flip mirrors the cropped window, so read column (w - 1 - x) of the crop.
                        int sx = (flip ? w - 1 - x : x) + left;
                        out[plane + y * w + x] = sy < 0 || sy >= h || sx < 0 || sx >= w ? fill[c] : in[inOff + plane + sy * w + sx];
                    }
                }
            }
        }
        return Tensor.wrap(out, 0, s);
    }

    /**
     * An augmented copy of {@code data}, same labels.
     *
     * @param data the images {@code [N, C, H, W]} and their labels, not modified
     * @param rng  the source of the crop offsets and flips
     * @return the augmented images with the same labels
     */
    public Dataset apply(Dataset data, SplittableRandom rng) {
        return new Dataset(apply(data.images(), rng), data.labels());
    }
}
