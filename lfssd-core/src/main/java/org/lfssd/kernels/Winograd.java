package org.lfssd.kernels;

/**
 * The transforms of Winograd's minimal filtering algorithm F(2x2, 3x3) (Lavin and Gray, 2015) for a
 * stride-1 3x3 convolution on channels-last data: each 2x2 block of outputs is computed from a 4x4
 * block of input as {@code Y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A}, 16 multiplications per channel pair
 * instead of 36. The element-wise products, summed over input channels, are 16 independent matrix
 * products done by the {@link ImplicitGemm}; this class holds the three transforms ({@link
 * WinogradConvolution} runs them with the products, tile group by tile group):
 * <pre>
 *   Bᵀ = [1  0 -1  0]    G = [ 1    0    0 ]    Aᵀ = [1  1  1  0]
 *        [0  1  1  0]        [ 1/2  1/2  1/2]         [0  1 -1 -1]
 *        [0 -1  1  0]        [ 1/2 -1/2  1/2]
 *        [0  1  0 -1]        [ 0    0    1 ]
 * </pre>
 * The transforms add and subtract only (and halve, exactly, in {@code G}), in a fixed order per element,
 * so results do not depend on the thread count. Loops run over the contiguous channels, which the JIT
 * turns into SIMD code.
 */
public final class Winograd {
    private Winograd() {}

    /** Transformed positions per tile (4 x 4). */
    public static final int POSITIONS = 16;

    /**
     * Input transform of tiles {@code [t0, t1)}, on the calling thread: reads the 4x4 pixel block whose
     * top-left pixel is at {@code src[tileOrigins[t]]} (pixels {@code pixelStride} apart in a row, rows
     * {@code rowStride} apart, {@code channels} contiguous floats each) and writes
     * {@code dst[(t - t0)·tileStride + ξ·positionStride + c] = (Bᵀ d B)[ξ]} for the 16 positions
     * {@code ξ = 4i + j}.
     *
     * @param src            the input, channels-last (typically a zero-bordered {@link ChannelsLast} buffer)
     * @param tileOrigins    for each tile, the offset in {@code src}, in floats, of its top-left pixel's channel 0
     * @param t0             the first tile transformed
     * @param t1             the end of the tiles transformed, exclusive, {@code <= tileOrigins.length}
     * @param pixelStride    floats from one pixel to the next in a row of {@code src}
     * @param rowStride      floats from one row to the next in {@code src}
     * @param channels       the channels transformed per pixel, contiguous in {@code src} and in {@code dst}
     * @param dst            the transformed tiles
     * @param tileStride     floats from one tile to the next in {@code dst}
     * @param positionStride floats from one position to the next within a tile of {@code dst}
     * @param scratch        at least {@code 16·channels} floats of scratch space
     */
    public static void inputTransform(float[] src, int[] tileOrigins, int t0, int t1, int pixelStride, int rowStride,
                                      int channels, float[] dst, int tileStride, int positionStride, float[] scratch) {
        float[] tmp = scratch;
        for (int t = t0; t < t1; t++) {
            int o = tileOrigins[t];
            // tmp = Bᵀ d, row by row (i indexes the transformed row, j the input column).
            for (int j = 0; j < 4; j++) {
                int d0 = o + j * pixelStride;
                int d1 = d0 + rowStride;
                int d2 = d1 + rowStride;
                int d3 = d2 + rowStride;
                int r0 = j * channels;
                int r1 = (4 + j) * channels;
                int r2 = (8 + j) * channels;
                int r3 = (12 + j) * channels;
                for (int c = 0; c < channels; c++) {
                    float a = src[d0 + c];
                    float b = src[d1 + c];
                    float e = src[d2 + c];
                    float f = src[d3 + c];
                    tmp[r0 + c] = a - e;
                    tmp[r1 + c] = b + e;
                    tmp[r2 + c] = e - b;
                    tmp[r3 + c] = b - f;
                }
            }
            // (Bᵀ d) B, column by column within each transformed row.
            int out = (t - t0) * tileStride;
            for (int i = 0; i < 4; i++) {
                int s0 = (4 * i) * channels;
                int s1 = s0 + channels;
                int s2 = s1 + channels;
                int s3 = s2 + channels;
                int w0 = out + (4 * i) * positionStride;
                int w1 = w0 + positionStride;
                int w2 = w1 + positionStride;
                int w3 = w2 + positionStride;
                for (int c = 0; c < channels; c++) {
                    float a = tmp[s0 + c];
                    float b = tmp[s1 + c];
                    float e = tmp[s2 + c];
                    float f = tmp[s3 + c];
                    dst[w0 + c] = a - e;
                    dst[w1 + c] = b + e;
                    dst[w2 + c] = e - b;
                    dst[w3 + c] = b - f;
                }
            }
        }
    }

    /**
     * Output transform of tiles {@code [t0, t1)}, on the calling thread: reads
     * {@code m[(t - t0)·tileStride + ξ·positionStride + o]} for the 16 positions and writes the 2x2 outputs
     * {@code Aᵀ m A} to {@code dst} at {@code tileOrigins[t]} (pixels {@code pixelStride} apart, rows
     * {@code rowStride} apart, {@code channels} contiguous floats each).
     *
     * @param m              the products
     * @param tileStride     floats from one tile to the next in {@code m}
     * @param positionStride floats from one position to the next within a tile of {@code m}
     * @param tileOrigins    for each tile, the offset in {@code dst}, in floats, of its top-left output pixel's
     *                       channel 0
     * @param t0             the first tile transformed
     * @param t1             the end of the tiles transformed, exclusive, {@code <= tileOrigins.length}
     * @param pixelStride    floats from one pixel to the next in a row of {@code dst}
     * @param rowStride      floats from one row to the next in {@code dst}
     * @param channels       the channels per pixel, contiguous in {@code m} and in {@code dst}
     * @param dst            the channels-last output; each tile's 2x2 pixels are overwritten
     * @param scratch        at least {@code 8·channels} floats of scratch space
     */
    public static void outputTransform(float[] m, int tileStride, int positionStride, int[] tileOrigins, int t0, int t1,
                                       int pixelStride, int rowStride, int channels, float[] dst, float[] scratch) {
        float[] tmp = scratch;
        for (int t = t0; t < t1; t++) {
            int in = (t - t0) * tileStride;
            // tmp = Aᵀ m: two rows of four.
            for (int j = 0; j < 4; j++) {
                int m0 = in + j * positionStride;
                int m1 = m0 + 4 * positionStride;
                int m2 = m1 + 4 * positionStride;
                int m3 = m2 + 4 * positionStride;
                int r0 = j * channels;
                int r1 = (4 + j) * channels;
                for (int c = 0; c < channels; c++) {
                    float a = m[m0 + c];
                    float b = m[m1 + c];
                    float e = m[m2 + c];
                    float f = m[m3 + c];
                    tmp[r0 + c] = (a + b) + e;
                    tmp[r1 + c] = (b - e) - f;
                }
            }
            // (Aᵀ m) A: two columns of each row.
            int o = tileOrigins[t];
            for (int i = 0; i < 2; i++) {
                int s0 = 4 * i * channels;
                int s1 = s0 + channels;
                int s2 = s1 + channels;
                int s3 = s2 + channels;
                int y0 = o + i * rowStride;
                int y1 = y0 + pixelStride;
                for (int c = 0; c < channels; c++) {
                    float a = tmp[s0 + c];
                    float b = tmp[s1 + c];
                    float e = tmp[s2 + c];
                    float f = tmp[s3 + c];
                    dst[y0 + c] = (a + b) + e;
                    dst[y1 + c] = (b - e) - f;
                }
            }
        }
    }

    /**
     * Output-gradient transform of tiles {@code [t0, t1)}, on the calling thread: for the 2x2 block of
     * gradients {@code g} at {@code dy[tileOrigins[t]]} (pixels {@code pixelStride} apart, rows
     * {@code rowStride} apart), writes {@code dst[(t - t0)·tileStride + ξ·positionStride + o] = (A g Aᵀ)[ξ]},
     * the gradient of the sixteen products behind that output tile ({@code y = Aᵀ M A}). With
     * {@code A g} row by row as {@code (g0, g0 + g1, g0 - g1, -g1)} and the same on each row's two columns.
     *
     * @param dy             the output gradient, channels-last
     * @param tileOrigins    for each tile, the offset in {@code dy}, in floats, of its top-left pixel's channel 0
     * @param t0             the first tile transformed
     * @param t1             the end of the tiles transformed, exclusive
     * @param pixelStride    floats from one pixel to the next in a row of {@code dy}
     * @param rowStride      floats from one row to the next in {@code dy}
     * @param channels       the channels per pixel, contiguous in {@code dy} and in {@code dst}
     * @param dst            the transformed tiles
     * @param tileStride     floats from one tile to the next in {@code dst}
     * @param positionStride floats from one position to the next within a tile of {@code dst}
     */
    public static void gradientTransform(float[] dy, int[] tileOrigins, int t0, int t1, int pixelStride, int rowStride,
                                         int channels, float[] dst, int tileStride, int positionStride) {
        int ps = positionStride;
        for (int t = t0; t < t1; t++) {
            int o = tileOrigins[t];
            int w = (t - t0) * tileStride;
            for (int c = 0; c < channels; c++) {
                float g00 = dy[o + c];
                float g01 = dy[o + pixelStride + c];
                float g10 = dy[o + rowStride + c];
                float g11 = dy[o + rowStride + pixelStride + c];
                // A g: rows (g0, g0 + g1, g0 - g1, -g1), per column.
                float r00 = g00;
                float r01 = g01;
                float r10 = g00 + g10;
                float r11 = g01 + g11;
                float r20 = g00 - g10;
                float r21 = g01 - g11;
                float r30 = -g10;
                float r31 = -g11;
                // (A g) Aᵀ: columns (r0, r0 + r1, r0 - r1, -r1), per row.
                int p = w + c;
                dst[p] = r00;
                dst[p + ps] = r00 + r01;
                dst[p + 2 * ps] = r00 - r01;
                dst[p + 3 * ps] = -r01;
                dst[p + 4 * ps] = r10;
                dst[p + 5 * ps] = r10 + r11;
                dst[p + 6 * ps] = r10 - r11;
                dst[p + 7 * ps] = -r11;
                dst[p + 8 * ps] = r20;
                dst[p + 9 * ps] = r20 + r21;
                dst[p + 10 * ps] = r20 - r21;
                dst[p + 11 * ps] = -r21;
                dst[p + 12 * ps] = r30;
                dst[p + 13 * ps] = r30 + r31;
                dst[p + 14 * ps] = r30 - r31;
                dst[p + 15 * ps] = -r31;
            }
        }
    }

    /**
     * Filter-gradient transform: {@code dg = Gᵀ dU G} for each filter element, from the sixteen summed
     * products {@code dU[ξ]} at {@code du[ξ·plane + at]} to the 3x3 taps at {@code dw[q·plane + at]}
     * ({@code q = 3i + j}), for {@code at < plane}: the adjoint of {@link #filterTransform}. {@code Gᵀ}
     * combines four values {@code (a, b, e, f)} into {@code (a + ½(b + e), ½(b - e), ½(b + e) + f)}.
     *
     * @param du    the summed products, {@code [16][plane]}
     * @param dw    the filter gradient, {@code [9][plane]}, overwritten
     * @param plane the elements per position ({@code inChannels · outChannels})
     */
    public static void filterGradientTransform(float[] du, float[] dw, int plane) {
        Parallel.forRows(plane, 25, (a0, a1) -> {
            for (int at = a0; at < a1; at++) {
                // Gᵀ dU: three rows of four columns.
                float[] r = new float[12];
                for (int j = 0; j < 4; j++) {
                    float a = du[j * plane + at];
                    float b = du[(4 + j) * plane + at];
                    float e = du[(8 + j) * plane + at];
                    float f = du[(12 + j) * plane + at];
                    float h = 0.5f * (b + e);
                    r[j] = a + h;
                    r[4 + j] = 0.5f * (b - e);
                    r[8 + j] = h + f;
                }
                // (Gᵀ dU) G: three columns of each row.
                for (int i = 0; i < 3; i++) {
                    float a = r[4 * i];
                    float b = r[4 * i + 1];
                    float e = r[4 * i + 2];
                    float f = r[4 * i + 3];
                    float h = 0.5f * (b + e);
                    dw[(3 * i) * plane + at] = a + h;
                    dw[(3 * i + 1) * plane + at] = 0.5f * (b - e);
                    dw[(3 * i + 2) * plane + at] = h + f;
                }
            }
        });
    }

    /**
     * Filter transform: {@code u[(ξ·inChannels + c)·outChannels + o] = (G g Gᵀ)[ξ]} for the 3x3 filter
     * {@code g[i][j] = taps[((i·3 + j)·inChannels + c)·outChannels + o]} (the tap-major layout of
     * {@link ImplicitGemm#gather}'s right operand), so {@code u} is 16 stacked {@code [inChannels][outChannels]}
     * matrices.
     *
     * @param taps        the 3x3 filter, {@code [9][inChannels][outChannels]} row-major (tap {@code i·3 + j})
     * @param inChannels  the number of input channels
     * @param outChannels the number of output channels
     * @param u           the result, {@code [16][inChannels][outChannels]}: its first {@code 16·inChannels·outChannels}
     *                    floats are overwritten
     */
    public static void filterTransform(float[] taps, int inChannels, int outChannels, float[] u) {
        int plane = inChannels * outChannels;
        Parallel.forRows(inChannels, 25L * outChannels, (c0, c1) -> {
            for (int at = c0 * outChannels; at < c1 * outChannels; at++) {
                filterTransformElement(taps, plane, at, u);
            }
        });
    }

    /**
     * The filter transform of one (input channel, output channel) pair, {@code at = c·outChannels + o}: reads
     * the nine taps {@code taps[q·plane + at]} and writes the sixteen {@code u[ξ·plane + at]}.
     *
     * @param taps  the 3x3 filter, {@code [9][plane]}
     * @param plane {@code inChannels · outChannels}
     * @param at    the pair's offset within a plane
     * @param u     the result, {@code [16][plane]}
     */
    public static void filterTransformElement(float[] taps, int plane, int at, float[] u) {
        // Rows of G g, for each column j of g: (a, ½((a + b) + e), ½((a - b) + e), e).
        float[] gg = new float[12];
        for (int j = 0; j < 3; j++) {
            float a = taps[j * plane + at];
            float b = taps[(3 + j) * plane + at];
            float e = taps[(6 + j) * plane + at];
            gg[j] = a;
            gg[3 + j] = 0.5f * ((a + b) + e);
            gg[6 + j] = 0.5f * ((a - b) + e);
            gg[9 + j] = e;
        }
        // (G g) Gᵀ: four columns of each row.
        for (int i = 0; i < 4; i++) {
            float a = gg[3 * i];
            float b = gg[3 * i + 1];
            float e = gg[3 * i + 2];
            u[(4 * i) * plane + at] = a;
            u[(4 * i + 1) * plane + at] = 0.5f * ((a + b) + e);
            u[(4 * i + 2) * plane + at] = 0.5f * ((a - b) + e);
            u[(4 * i + 3) * plane + at] = e;
        }
    }
}
