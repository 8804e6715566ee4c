package org.lfssd.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class Im2colTest {

    /** The definition: entry (c*kh*kw + ki*kw + kj, n*P + oh*Wo + ow) = x[n, c, oh*s-p+ki, ow*s-p+kj] or 0. */
    private static float[] naiveIm2col(Im2col.Geometry g, int images, float[] x) {
        int cols = images * g.outPlane();
        float[] col = new float[g.rows() * cols];
        for (int n = 0; n < images; n++) {
            for (int c = 0; c < g.channels(); c++) {
                for (int ki = 0; ki < g.kernelH(); ki++) {
                    for (int kj = 0; kj < g.kernelW(); kj++) {
                        int row = (c * g.kernelH() + ki) * g.kernelW() + kj;
                        for (int oh = 0; oh < g.outHeight(); oh++) {
                            for (int ow = 0; ow < g.outWidth(); ow++) {
                                int ih = oh * g.stride() - g.padding() + ki;
                                int iw = ow * g.stride() - g.padding() + kj;
                                boolean inside = ih >= 0 && ih < g.height() && iw >= 0 && iw < g.width();
                                col[row * cols + n * g.outPlane() + oh * g.outWidth() + ow] = inside
                                        ? x[((n * g.channels() + c) * g.height() + ih) * g.width() + iw] : 0f;
                            }
                        }
                    }
                }
            }
        }
        return col;
    }

    /** The adjoint of {@link #naiveIm2col}, accumulated in double: every column entry added back to its pixel. */
    private static double[] naiveCol2im(Im2col.Geometry g, int images, float[] col) {
        int cols = images * g.outPlane();
        double[] dx = new double[images * g.channels() * g.inPlane()];
        for (int n = 0; n < images; n++) {
            for (int c = 0; c < g.channels(); c++) {
                for (int ki = 0; ki < g.kernelH(); ki++) {
                    for (int kj = 0; kj < g.kernelW(); kj++) {
                        int row = (c * g.kernelH() + ki) * g.kernelW() + kj;
                        for (int oh = 0; oh < g.outHeight(); oh++) {
                            for (int ow = 0; ow < g.outWidth(); ow++) {
                                int ih = oh * g.stride() - g.padding() + ki;
                                int iw = ow * g.stride() - g.padding() + kj;
                                if (ih >= 0 && ih < g.height() && iw >= 0 && iw < g.width()) {
                                    dx[((n * g.channels() + c) * g.height() + ih) * g.width() + iw] +=
                                            col[row * cols + n * g.outPlane() + oh * g.outWidth() + ow];
                                }
                            }
                        }
                    }
                }
            }
        }
        return dx;
    }

    private static float[] random(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return a;
    }

    @ParameterizedTest(name = "images={0} C={1} H={2} W={3} k={4}x{5} stride={6} pad={7}")
    @CsvSource({
        "2, 3, 7, 5, 3, 3, 1, 1",   // odd sizes, same padding
        "2, 3, 7, 5, 3, 3, 2, 1",   // stride 2
        "1, 2, 6, 6, 3, 3, 1, 0",   // valid convolution
        "3, 2, 5, 7, 3, 3, 2, 2",   // padding 2, stride 2
        "2, 4, 9, 9, 1, 1, 1, 0",   // pointwise
        "2, 4, 9, 8, 1, 1, 2, 0",   // 1x1 stride-2 shortcut
        "2, 3, 8, 12, 4, 4, 4, 0",  // patch embedding: kernel 4, stride 4
        "1, 2, 2, 3, 3, 3, 1, 2",   // padding larger than half the image: rows of pure padding
        "2, 1, 5, 5, 5, 2, 3, 1",   // non-square kernel, stride 3
        "2, 2, 6, 5, 5, 5, 1, 2",   // 5x5 same padding: the bulk shifted-plane path with 2 border columns
        "1, 2, 1, 1, 3, 3, 1, 1",   // 1x1 image under a 3x3 same kernel: only the centre tap is inside
        "2, 3, 2, 7, 3, 3, 1, 1",   // two rows: every tap row but the centre touches the padding
        "1, 1, 4, 4, 2, 2, 1, 1",   // even kernel with padding: output wider than the input (row by row)
    })
    void matchesNaiveLoops(int images, int c, int h, int w, int kh, int kw, int stride, int pad) {
        Im2col.Geometry g = new Im2col.Geometry(c, h, w, kh, kw, stride, pad);
        float[] x = random(images * c * h * w, 7);
        // Offsets exercise the (array, offset) addressing; the garbage prefill checks every entry is written.
        int xOff = 5;
        float[] xPadded = new float[xOff + x.length];
        System.arraycopy(x, 0, xPadded, xOff, x.length);
        int colLen = g.rows() * images * g.outPlane();
        float[] col = new float[3 + colLen];
        java.util.Arrays.fill(col, Float.NaN);
        Im2col.im2col(g, images, xPadded, xOff, col, 3);
        assertArrayEquals(naiveIm2col(g, images, x), java.util.Arrays.copyOfRange(col, 3, 3 + colLen));

        float[] dcol = random(colLen, 11);
        float[] dx = new float[2 + x.length];
        java.util.Arrays.fill(dx, Float.NaN);
        Im2col.col2im(g, images, dcol, 0, dx, 2);
        double[] expected = naiveCol2im(g, images, dcol);
        for (int i = 0; i < x.length; i++) {
            // At most kh*kw float additions per pixel: a few ulps of the largest term.
            assertEquals(expected[i], dx[2 + i], 1e-5, "col2im pixel " + i);
        }
    }

    @Test
    void outputSizes() {
        Im2col.Geometry g = new Im2col.Geometry(64, 32, 32, 3, 3, 2, 1);
        assertEquals(16, g.outHeight());
        assertEquals(16, g.outWidth());
        assertEquals(576, g.rows());
        Im2col.Geometry patch = new Im2col.Geometry(3, 224, 224, 16, 16, 16, 0);
        assertEquals(14 * 14, patch.outPlane());
    }

    @Test
    void rejectsBadGeometryAndShortArrays() {
        assertThrows(IllegalArgumentException.class, () -> new Im2col.Geometry(1, 2, 2, 3, 3, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Im2col.Geometry(1, 4, 4, 3, 3, 0, 0));
        Im2col.Geometry g = new Im2col.Geometry(1, 4, 4, 3, 3, 1, 1);
        assertThrows(IllegalArgumentException.class, () -> Im2col.im2col(g, 1, new float[15], 0, new float[9 * 16], 0));
        assertThrows(IllegalArgumentException.class, () -> Im2col.col2im(g, 1, new float[9 * 16 - 1], 0, new float[16], 0));
    }
}
