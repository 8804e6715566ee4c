package org.lfssd.kernels;

import java.util.Arrays;

/**
 * Copies between the NCHW layout of the library's tensors and the zero-padded channels-last layout that
 * direct convolution reads ({@code [N][Hq][Wq][cs]}: each pixel's channels contiguous, with a border of
 * zero pixels and the channel stride {@code cs >= C} rounded up for the kernels' tiles).
 *
 * <p>Both directions are the provider's transposes ({@link KernelProvider#planesToPixels},
 * {@link KernelProvider#pixelsToPlanes}), one call per image over a table of the interior's pixel
 * offsets, so the border and the row gaps cost nothing in the inner loops; work is split by image (pure
 * copies, so the split cannot change a result).
 */
public final class ChannelsLast {
    private ChannelsLast() {}

    /**
     * A padded channels-last buffer's geometry: {@code [n][hq][wq][cs]} holding an {@code [n][c][h][w]} image at (top, left).
     *
     * @param n    the number of images
     * @param c    the number of channels of the image (the NCHW {@code C})
     * @param h    the image's height in pixels, without the border
     * @param w    the image's width in pixels, without the border
     * @param cs   the channel stride: floats from one pixel to the next in a row, {@code >= c}; channels
     *             {@code c..cs-1} of every pixel are padding
     * @param top  the rows of zero border above the image (the image's first row is buffer row {@code top})
     * @param left the columns of zero border left of the image (its first column is buffer column {@code left})
     * @param hq   the buffer's height in pixels, border included, {@code >= top + h}
     * @param wq   the buffer's width in pixels, border included, {@code >= left + w}
     */
    public record Layout(int n, int c, int h, int w, int cs, int top, int left, int hq, int wq) {
        /**
         * Checks the geometry.
         *
         * @param n    the number of images
         * @param c    the number of channels of the image
         * @param h    the image's height in pixels, without the border
         * @param w    the image's width in pixels, without the border
         * @param cs   the channel stride in floats, {@code >= c}
         * @param top  the rows of zero border above the image, {@code >= 0}
         * @param left the columns of zero border left of the image, {@code >= 0}
         * @param hq   the buffer's height in pixels, {@code >= top + h}
         * @param wq   the buffer's width in pixels, {@code >= left + w}
         * @throws IllegalArgumentException if {@code cs < c}, {@code top} or {@code left} is negative, the
         *         image does not fit in {@code hq x wq}, or the buffer ({@code n*hq*wq*cs} floats) is too large
         *         for a Java array
         */
        public Layout {
            if (cs < c || top < 0 || left < 0 || hq < h + top || wq < w + left) {
                throw new IllegalArgumentException("ChannelsLast: invalid layout " + this);
            }
            if ((long) n * hq * wq * cs > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("ChannelsLast: " + this + " is too large for a Java array");
            }
        }

        /**
         * Floats in the buffer.
         *
         * @return {@code n * hq * wq * cs}
         */
        public int size() {
            return n * hq * wq * cs;
        }

        /**
         * Offset of pixel (image, row, column) in buffer coordinates (the border counts).
         *
         * @param image the image, {@code 0 <= image < n}
         * @param row   the buffer row, {@code 0 <= row < hq} (the image's row {@code y} is {@code top + y})
         * @param col   the buffer column, {@code 0 <= col < wq} (the image's column {@code x} is {@code left + x})
         * @return the offset, in floats from the buffer's start, of that pixel's channel 0
         */
        public int pixel(int image, int row, int col) {
            return ((image * hq + row) * wq + col) * cs;
        }
    }

    /**
     * Writes NCHW {@code src} (at {@code srcOff}) into the interior of {@code dst} and zeros everything
     * else the layout covers (the border, and channels {@code c..cs-1} of every pixel), so {@code dst}
     * may be a reused buffer holding anything.
     *
     * @param src    the NCHW source, {@code [l.n][l.c][l.h][l.w]} row-major from {@code srcOff}
     * @param srcOff the offset in {@code src}, in floats, of the first image's first element
     * @param l      the destination's geometry
     * @param dst    the channels-last destination, at least {@link Layout#size() l.size()} floats, written
     *               from offset 0
     */
    public static void fromNchw(float[] src, int srcOff, Layout l, float[] dst) {
        int plane = l.h * l.w;
        int image = l.hq * l.wq * l.cs;
        int[] pixels = interiorPixels(l);
        KernelProvider ops = Kernels.provider();
        Parallel.forEach(l.n, img -> {
            int first = l.pixel(img, 0, 0);
            if (l.cs > l.c || plane == 0) {
                Arrays.fill(dst, first, first + image, 0f);
            } else {
                zeroBorder(l, img, dst);
            }
            ops.planesToPixels(src, srcOff + img * l.c * plane, plane, l.c, dst, l.pixel(img, l.top, l.left), pixels, plane);
        });
    }

    /**
     * Writes unpadded channels-last {@code src} ({@code [l.n][l.h][l.w][l.c]} row-major from {@code srcOff})
     * into the interior of {@code dst} and zeros everything else the layout covers, as {@link #fromNchw}
     * does for NCHW input. With {@code cs == c} an image row is one contiguous run on both sides, so this
     * is one plain copy per row rather than a transpose.
     *
     * @param src    the channels-last source
     * @param srcOff the offset in {@code src}, in floats, of the first image's first element
     * @param l      the destination's geometry
     * @param dst    the padded channels-last destination, at least {@link Layout#size() l.size()} floats,
     *               written from offset 0
     */
    public static void pad(float[] src, int srcOff, Layout l, float[] dst) {
        int image = l.hq * l.wq * l.cs;
        int row = l.w * l.c;
        Parallel.forEach(l.n, img -> {
            int first = l.pixel(img, 0, 0);
            if (l.cs > l.c || row == 0) {
                Arrays.fill(dst, first, first + image, 0f);
            } else {
                zeroBorder(l, img, dst);
            }
            for (int y = 0; y < l.h; y++) {
                int s = srcOff + (img * l.h + y) * row;
                int d = l.pixel(img, l.top + y, l.left);
                if (l.cs == l.c) {
                    System.arraycopy(src, s, dst, d, row);
                } else {
                    for (int x = 0; x < l.w; x++) {
                        System.arraycopy(src, s + x * l.c, dst, d + x * l.cs, l.c);
                    }
                }
            }
        });
    }

    /** Offsets of the interior's pixels, row-major, relative to the first one (the same in every image). */
    private static int[] interiorPixels(Layout l) {
        int[] offsets = new int[l.h * l.w];
        for (int y = 0; y < l.h; y++) {
            for (int x = 0; x < l.w; x++) {
                offsets[y * l.w + x] = (y * l.wq + x) * l.cs;
            }
        }
        return offsets;
    }

    /**
     * Zeros the border pixels of one image. In memory the border is one run before the interior's first
     * pixel (the rows above and the first row's left columns), one run between consecutive interior rows
     * (a row's right columns and the next row's left ones) and one run after the last interior pixel.
     */
    private static void zeroBorder(Layout l, int img, float[] dst) {
        int first = l.pixel(img, 0, 0);
        Arrays.fill(dst, first, l.pixel(img, l.top, l.left), 0f);
        for (int y = l.top; y < l.top + l.h - 1; y++) {
            Arrays.fill(dst, l.pixel(img, y, l.left + l.w), l.pixel(img, y + 1, l.left), 0f);
        }
        Arrays.fill(dst, l.pixel(img, l.top + l.h - 1, l.left + l.w), first + l.hq * l.wq * l.cs, 0f);
    }

    /**
     * Reads the interior of {@code src} back into NCHW {@code dst} (at {@code dstOff}), adding
     * {@code bias[c]} to every pixel of channel {@code c} when {@code bias} is not null.
     *
     * @param src     the channels-last source laid out as {@code l}, from offset 0; only its interior
     *                (channels {@code 0..l.c-1} of the image's pixels) is read
     * @param l       the source's geometry
     * @param dst     the NCHW destination, {@code [l.n][l.c][l.h][l.w]} row-major from {@code dstOff}
     * @param dstOff  the offset in {@code dst}, in floats, of the first image's first element
     * @param bias    per-channel values to add ({@code l.c} floats from {@code biasOff}), or null for none
     * @param biasOff the offset in {@code bias} of channel 0's value; ignored when {@code bias} is null
     */
    public static void toNchw(float[] src, Layout l, float[] dst, int dstOff, float[] bias, int biasOff) {
        int plane = l.h * l.w;
        int[] pixels = interiorPixels(l);
        KernelProvider ops = Kernels.provider();
        Parallel.forEach(l.n, img -> ops.pixelsToPlanes(src, l.pixel(img, l.top, l.left), pixels, plane, l.c, bias, biasOff,
                dst, dstOff + img * l.c * plane, plane));
    }
}
