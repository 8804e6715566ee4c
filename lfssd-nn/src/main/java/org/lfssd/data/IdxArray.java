package org.lfssd.data;

import java.util.Arrays;
import org.lfssd.tensor.Tensor;

/**
 * The contents of one IDX file of unsigned bytes (the element type of every MNIST and Fashion-MNIST file):
 * its dimensions and its elements in row-major order.
 *
 * @param dims the dimensions, outermost first (e.g. {@code [60000, 28, 28]} for images)
 * @param data the elements as raw bytes; read them with {@code Byte.toUnsignedInt}
 * @param source where the array was read from, for error messages
 */
public record IdxArray(int[] dims, byte[] data, String source) {

    /**
     * Checks that no dimension is negative and that {@code data} holds exactly their product of bytes.
     *
     * @param dims the dimensions, outermost first (e.g. {@code [60000, 28, 28]} for images)
     * @param data the elements as raw bytes; read them with {@code Byte.toUnsignedInt}
     * @param source where the array was read from, for error messages
     */
    public IdxArray {
        long n = 1;
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException(source + ": negative IDX dimension in " + Arrays.toString(dims));
            }
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException(source + ": IDX dimensions " + Arrays.toString(dims) + " need " + n
                    + " elements, got " + data.length);
        }
    }

    /**
     * The number of items (the first dimension).
     *
     * @return the first dimension
     */
    public int count() {
        return dims.length == 0 ? 1 : dims[0];
    }

    /**
     * Interprets a 3-D array {@code [N, H, W]} as single-channel images, scaled from 0..255 to [0, 1], in NCHW
     * layout {@code [N, 1, H, W]}.
     *
     * @return a new float tensor
     */
    public Tensor toImages() {
        if (dims.length != 3) {
            throw new IllegalArgumentException(source + ": images need a 3-D IDX array [N, H, W], got dimensions "
                    + Arrays.toString(dims));
        }
        float[] values = new float[data.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = Byte.toUnsignedInt(data[i]) / 255f;
        }
        return Tensor.wrap(values, 0, dims[0], 1, dims[1], dims[2]);
    }

    /**
     * Interprets a 1-D array {@code [N]} as class labels.
     *
     * @return the labels
     */
    public int[] toLabels() {
        if (dims.length != 1) {
            throw new IllegalArgumentException(source + ": labels need a 1-D IDX array [N], got dimensions "
                    + Arrays.toString(dims));
        }
        int[] labels = new int[data.length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = Byte.toUnsignedInt(data[i]);
        }
        return labels;
    }
}
