package org.lfssd.data;

import java.util.Arrays;
import org.lfssd.tensor.Shapes;
import org.lfssd.tensor.Tensor;

/**
 * Per-channel standardisation {@code (x - mean[c]) / std[c]} of {@code [N, C, H, W]} images, as
 * torchvision's {@code Normalize} computes it (in float32: subtract, then divide).
 *
 * @param mean per channel
 * @param std  per channel, all positive
 */
public record Normalization(float[] mean, float[] std) {

    /**
     * The mean and standard deviation the official SSD/LFSSD code uses for every data set, CIFAR-10
     * included (they are CIFAR-100's training-set statistics; ALGORITHM.md §8.2).
     */
    public static final Normalization OFFICIAL = new Normalization(
            new float[] {(float) 0.5070751592371323, (float) 0.48654887331495095, (float) 0.4409178433670343},
            new float[] {(float) 0.2673342858792401, (float) 0.2564384629170883, (float) 0.27615047132568404});

    /**
     * Checks the arrays.
     *
     * @param mean the per-channel means
     * @param std  the per-channel standard deviations, each {@code > 0}
     * @throws IllegalArgumentException if the arrays are empty, differ in length, or a std is not positive
     */
    public Normalization {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("Normalization: " + mean.length + " means for " + std.length + " stds");
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("Normalization: std must be > 0, got " + Arrays.toString(std));
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /**
     * The per-channel means (a copy: the constant {@link #OFFICIAL} must stay what it is).
     *
     * @return a copy of the per-channel means
     */
    @Override
    public float[] mean() {
        return mean.clone();
    }

    /**
     * The per-channel standard deviations (a copy).
     *
     * @return a copy of the per-channel standard deviations
     */
    @Override
    public float[] std() {
        return std.clone();
    }

    /**
     * The number of channels.
     *
     * @return the length of {@link #mean()}
     */
    public int channels() {
        return mean.length;
    }

    /**
     * The normalised value that a raw pixel value {@code raw} of channel {@code c} becomes.
     *
     * @param c   the channel
     * @param raw the raw pixel value
     * @return {@code (raw - mean[c]) / std[c]}
     */
    public float normalize(int c, float raw) {
        return (raw - mean[c]) / std[c];
    }

    /**
     * A normalised copy of {@code images} ({@code [N, C, H, W]}, C = {@link #channels()}).
     *
     * @param images {@code [N, C, H, W]}, not modified
     * @return the normalised images, same shape
     * @throws IllegalArgumentException if {@code images} is not rank 4 or has a channel count other than {@link #channels()}
     */
    public Tensor apply(Tensor images) {
        int[] s = images.shape();
        if (s.length != 4 || s[1] != channels()) {
            throw new IllegalArgumentException("Normalization: expected [N, " + channels() + ", H, W], got " + Shapes.str(s));
        }
        float[] out = images.toArray();
        int plane = s[2] * s[3];
        for (int n = 0; n < s[0]; n++) {
            for (int c = 0; c < s[1]; c++) {
                int base = (n * s[1] + c) * plane;
                float m = mean[c];
                float sd = std[c];
                for (int i = 0; i < plane; i++) {
                    out[base + i] = (out[base + i] - m) / sd;
                }
            }
        }
        return Tensor.wrap(out, 0, s);
    }

    /**
     * A copy of {@code data} with normalised images and the same labels.
     *
     * @param data the images {@code [N, C, H, W]} and their labels, not modified
     * @return the normalised images with the same labels
     */
    public Dataset apply(Dataset data) {
        return new Dataset(apply(data.images()), data.labels());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Normalization[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
