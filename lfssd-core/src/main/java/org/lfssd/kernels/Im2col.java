package org.lfssd.kernels;

import java.util.Arrays;

/**
 * The index shuffles that turn a convolution into one matrix product: {@link #im2col} unfolds the
 * receptive fields of a run of images into the columns of a matrix, {@link #col2im} folds such a matrix
 * back, summing where receptive fields overlap (the adjoint, used for the input gradient).
 *
 * <p>Layout. For {@code images} consecutive NCHW images of geometry {@code g}, the column matrix has
 * {@code g.rows() = C*kh*kw} rows, row {@code (c, ki, kj)} in that order (matching a weight tensor
 * {@code [O, C, kh, kw]} read as {@code [O, C*kh*kw]}), and {@code images * g.outPlane()} columns,
 * column {@code (n, oh, ow)} in that order. Entry (row, column) is
 * {@code x[n, c, oh*stride - pad + ki, ow*stride - pad + kj]}, or 0 where that falls into the padding.
 *
 * <p>Both are memory-bound, so they are plain Java. Work is cut into blocks whose size depends only on
 * the problem (never on the thread count) and every output element is written by exactly one task in a
 * fixed order, so results are bit-identical for any thread count.
 */
public final class Im2col {
    private Im2col() {}

    /**
     * The geometry of a zero-padded 2-D convolution window over one image.
     *
     * @param channels input channels C
     * @param height   input height H
     * @param width    input width W
     * @param kernelH  kernel height kh
     * @param kernelW  kernel width kw
     * @param stride   step between windows, in both directions
     * @param padding  zeros added on every side
     */
    public record Geometry(int channels, int height, int width, int kernelH, int kernelW, int stride, int padding) {
        /**
         * Checks that every size is positive, the padding non-negative and the kernel fits the padded input.
         *
         * @param channels input channels C
         * @param height   input height H
         * @param width    input width W
         * @param kernelH  kernel height kh
         * @param kernelW  kernel width kw
         * @param stride   step between windows, in both directions
         * @param padding  zeros added on every side
         */
        public Geometry {
            if (channels < 1 || height < 1 || width < 1 || kernelH < 1 || kernelW < 1 || stride < 1 || padding < 0) {
                throw new IllegalArgumentException("Im2col: invalid geometry " + describe(channels, height, width,
                        kernelH, kernelW, stride, padding));
            }
            if (height + 2 * padding < kernelH || width + 2 * padding < kernelW) {
                throw new IllegalArgumentException("Im2col: kernel " + kernelH + "x" + kernelW
                        + " is larger than the padded input " + (height + 2 * padding) + "x" + (width + 2 * padding));
            }
        }

        /** {@return the output height {@code Ho = (H + 2p - kh) / stride + 1}} */
        public int outHeight() {
            return (height + 2 * padding - kernelH) / stride + 1;
        }

        /** {@return the output width {@code Wo = (W + 2p - kw) / stride + 1}} */
        public int outWidth() {
            return (width + 2 * padding - kernelW) / stride + 1;
        }

        /**
         * Output pixels per channel, {@code Ho*Wo}: the columns contributed by one image.
         *
         * @return {@code Ho*Wo}
         */
        public int outPlane() {
            return outHeight() * outWidth();
        }

        /**
         * Input pixels per channel, {@code H*W}.
         *
         * @return {@code H*W}
         */
        public int inPlane() {
            return height * width;
        }

        /**
         * Rows of the column matrix, {@code C*kh*kw}.
         *
         * @return {@code C*kh*kw}
         */
        public int rows() {
            return channels * kernelH * kernelW;
        }

        /**
         * True when the column matrix of one image is the image itself (1x1 kernel, stride 1, no padding).
         *
         * @return whether im2col is the identity
         */
        public boolean isPointwise() {
            return kernelH == 1 && kernelW == 1 && stride == 1 && padding == 0;
        }

        @Override
        public String toString() {
            return describe(channels, height, width, kernelH, kernelW, stride, padding);
        }

        private static String describe(int c, int h, int w, int kh, int kw, int stride, int pad) {
            return "[C=" + c + ", H=" + h + ", W=" + w + ", kernel=" + kh + "x" + kw + ", stride=" + stride
                    + ", padding=" + pad + "]";
        }
    }

    /**
     * Unfolds {@code images} consecutive images starting at {@code x[xOff]} into
     * {@code col[colOff ..]}, a {@code g.rows() x (images * g.outPlane())} row-major matrix.
     * Every entry of that matrix is written (padding as 0), so {@code col} need not be cleared.
     *
     * @param g      the geometry of one image
     * @param images the number of images
     * @param x      the images, NCHW
     * @param xOff   the first image's first element
     * @param col    the column matrix to fill
     * @param colOff its first element
     */
    public static void im2col(Geometry g, int images, float[] x, int xOff, float[] col, int colOff) {
        int cols = checkedCols(g, images);
        checkRange("im2col input", x, xOff, (long) images * g.channels() * g.inPlane());
        checkRange("im2col columns", col, colOff, (long) g.rows() * cols);
        int rows = g.rows();
        Parallel.forRows(rows, cols, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                unfoldRow(g, images, r, x, xOff, col, colOff + r * cols);
            }
        });
    }

    /**
     * Writes one row {@code (c, ki, kj)} of the column matrix: that kernel tap over every output pixel of
     * every image. Output rows {@code oh} outside {@code [ohLo, ohHi)} and columns outside
     * {@code [owLo, owHi)} read padding.
     */
    private static void unfoldRow(Geometry g, int images, int row, float[] x, int xOff, float[] col, int dst) {
        int kk = g.kernelH() * g.kernelW();
        int c = row / kk;
        int ki = (row % kk) / g.kernelW();
        int kj = row % g.kernelW();
        int w = g.width();
        int wo = g.outWidth();
        int s = g.stride();
        int pad = g.padding();
        int outPlane = g.outPlane();
        int ohLo = firstInside(ki - pad, s);
        int ohHi = Math.min(g.outHeight(), lastInside(ki - pad, s, g.height()) + 1);
        int owLo = firstInside(kj - pad, s);
        int owHi = Math.min(wo, lastInside(kj - pad, s, w) + 1);
        int imageStride = g.channels() * g.inPlane();
        boolean shifted = isShiftedPlane(g);
        for (int n = 0; n < images; n++) {
            int plane = xOff + n * imageStride + c * g.inPlane();
            int base = dst + n * outPlane;
            if (ohLo >= ohHi || owLo >= owHi) {
                Arrays.fill(col, base, base + outPlane, 0f);
                continue;
            }
            Arrays.fill(col, base, base + ohLo * wo, 0f);
            if (shifted) {
                // Output (oh, ow) reads input pixel (oh, ow) shifted by (ki - pad, kj - pad): one bulk copy from
                // the first to the last valid pixel; the entries it brings into the border columns came from
                // neighbouring rows and are cleared below.
                int first = ohLo * wo + owLo;
                int end = (ohHi - 1) * wo + owHi;
                int shift = (ki - pad) * w + (kj - pad);
                System.arraycopy(x, plane + first + shift, col, base + first, end - first);
                clearBorderColumns(col, base, wo, ohLo, ohHi, owLo, owHi);
            } else {
                for (int oh = ohLo; oh < ohHi; oh++) {
                    int out = base + oh * wo;
                    for (int ow = 0; ow < owLo; ow++) {
                        col[out + ow] = 0f;
                    }
                    int src = plane + (oh * s - pad + ki) * w + owLo * s - pad + kj;
                    for (int ow = owLo; ow < owHi; ow++, src += s) {
                        col[out + ow] = x[src];
                    }
                    for (int ow = owHi; ow < wo; ow++) {
                        col[out + ow] = 0f;
                    }
                }
            }
            Arrays.fill(col, base + ohHi * wo, base + outPlane, 0f);
        }
    }

    /**
     * Stride 1 with an output as wide as the input ({@code kw = 2*padding + 1}, e.g. 3x3 with padding 1):
     * then column rows and input planes have the same row pitch, so a kernel tap is a plain shift of the
     * whole plane and can be moved in one bulk operation instead of row by row.
     */
    private static boolean isShiftedPlane(Geometry g) {
        return g.stride() == 1 && g.outWidth() == g.width();
    }

    /** Zeroes columns {@code [0, owLo)} and {@code [owHi, wo)} of rows {@code [ohLo, ohHi)} of one image's column row. */
    private static void clearBorderColumns(float[] col, int base, int wo, int ohLo, int ohHi, int owLo, int owHi) {
        for (int oh = ohLo; oh < ohHi; oh++) {
            int out = base + oh * wo;
            for (int ow = 0; ow < owLo; ow++) {
                col[out + ow] = 0f;
            }
            for (int ow = owHi; ow < wo; ow++) {
                col[out + ow] = 0f;
            }
        }
    }

    /**
     * Folds the column matrix {@code col[colOff ..]} (layout as for {@link #im2col}) back into
     * {@code images} images at {@code dx[dxOff ..]}: each input pixel receives the sum of the column
     * entries that were copied from it. The images are overwritten, not accumulated into.
     * Entries of {@code col} that correspond to padding may be overwritten with 0 (the matrix is scratch
     * space to its callers; this lets stride-1 folds move whole planes at once).
     *
     * @param g      the geometry of one image
     * @param images the number of images
     * @param col    the column matrix (scratch)
     * @param colOff its first element
     * @param dx     the images to overwrite, NCHW
     * @param dxOff  the first image's first element
     */
    public static void col2im(Geometry g, int images, float[] col, int colOff, float[] dx, int dxOff) {
        int cols = checkedCols(g, images);
        checkRange("col2im columns", col, colOff, (long) g.rows() * cols);
        checkRange("col2im output", dx, dxOff, (long) images * g.channels() * g.inPlane());
        // One task per block of (image, channel) planes: each plane gathers from its own kh*kw rows, so
        // tasks write disjoint planes and each pixel sums its taps in the fixed (ki, kj) order.
        int planes = images * g.channels();
        int perPlane = g.kernelH() * g.kernelW() * g.outPlane();
        Parallel.forRows(planes, perPlane, (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                foldPlane(g, cols, p / g.channels(), p % g.channels(), col, colOff, dx, dxOff + p * g.inPlane());
            }
        });
    }

    /** Rebuilds input plane (n, c) from its kh*kw rows of the column matrix. */
    private static void foldPlane(Geometry g, int cols, int n, int c, float[] col, int colOff, float[] dx, int dst) {
        int w = g.width();
        int wo = g.outWidth();
        int s = g.stride();
        int pad = g.padding();
        boolean shifted = isShiftedPlane(g);
        KernelProvider ops = Kernels.provider();
        Arrays.fill(dx, dst, dst + g.inPlane(), 0f);
        for (int ki = 0; ki < g.kernelH(); ki++) {
            int ohLo = firstInside(ki - pad, s);
            int ohHi = Math.min(g.outHeight(), lastInside(ki - pad, s, g.height()) + 1);
            for (int kj = 0; kj < g.kernelW(); kj++) {
                int owLo = firstInside(kj - pad, s);
                int owHi = Math.min(wo, lastInside(kj - pad, s, w) + 1);
                if (ohLo >= ohHi || owLo >= owHi) {
                    continue;
                }
                int row = (c * g.kernelH() + ki) * g.kernelW() + kj;
                int base = colOff + row * cols + n * g.outPlane();
                if (shifted) {
                    // The adjoint of the bulk copy in unfoldRow: one shifted add. Entries in the border
                    // columns belong to padding and would land on a neighbouring row's pixels, so they are
                    // zeroed first (this image's part of this row is read by no other task).
                    clearBorderColumns(col, base, wo, ohLo, ohHi, owLo, owHi);
                    int first = ohLo * wo + owLo;
                    int end = (ohHi - 1) * wo + owHi;
                    int at = dst + first + (ki - pad) * w + (kj - pad);
                    ops.add(dx, at, col, base + first, dx, at, end - first);
                } else {
                    for (int oh = ohLo; oh < ohHi; oh++) {
                        int src = base + oh * wo;
                        int out = dst + (oh * s - pad + ki) * w + owLo * s - pad + kj;
                        for (int ow = owLo; ow < owHi; ow++, out += s) {
                            dx[out] += col[src + ow];
                        }
                    }
                }
            }
        }
    }

    /** Smallest {@code o >= 0} with {@code o*s + shift >= 0}. */
    private static int firstInside(int shift, int s) {
        return shift >= 0 ? 0 : (-shift + s - 1) / s;
    }

    /** Largest {@code o} with {@code o*s + shift < limit} (may be negative when there is none). */
    private static int lastInside(int shift, int s, int limit) {
        int span = limit - 1 - shift;
        return span < 0 ? -1 : span / s;
    }

    private static int checkedCols(Geometry g, int images) {
        if (images < 0) {
            throw new IllegalArgumentException("Im2col: negative image count " + images);
        }
        long cols = (long) images * g.outPlane();
        if (cols * g.rows() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("Im2col: a column matrix of " + g.rows() + " x " + cols
                    + " exceeds a Java array for " + images + " images of geometry " + g);
        }
        return (int) cols;
    }

    private static void checkRange(String what, float[] a, int off, long length) {
        if (off < 0 || off + length > a.length) {
            throw new IllegalArgumentException("Im2col: " + what + " [" + off + ", " + (off + length)
                    + ") overruns its array of length " + a.length);
        }
    }
}
