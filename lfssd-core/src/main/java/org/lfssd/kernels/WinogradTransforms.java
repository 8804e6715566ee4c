package org.lfssd.kernels;

/**
 * The three transforms of Winograd F(2x2, 3x3) ({@link Winograd} defines them and holds the scalar
 * reference): adds, subtracts and exact halvings in a fixed order per element, so every implementation
 * gives the same bits. They move four times as much data as the image they transform, so a SIMD
 * implementation matters as much as the products do.
 */
public interface WinogradTransforms {

    /**
     * Input transform of tiles {@code [t0, t1)}: as {@link Winograd#inputTransform}.
     *
     * @param src            the input, channels-last
     * @param tileOrigins    for each tile, the offset in {@code src} of its top-left pixel's channel 0
     * @param t0             the first tile transformed
     * @param t1             the end of the tiles transformed, exclusive
     * @param pixelStride    floats from one pixel to the next in a row of {@code src}
     * @param rowStride      floats from one row to the next in {@code src}
     * @param channels       the channels transformed per pixel
     * @param dst            the transformed tiles, {@code dst[(t - t0)·tileStride + ξ·positionStride + c]}
     * @param tileStride     floats from one tile to the next in {@code dst}
     * @param positionStride floats from one position to the next within a tile of {@code dst}
     */
    void input(float[] src, int[] tileOrigins, int t0, int t1, int pixelStride, int rowStride, int channels, float[] dst,
               int tileStride, int positionStride);

    /**
     * Output transform of tiles {@code [t0, t1)}: as {@link Winograd#outputTransform}.
     *
     * @param m              the products, {@code m[(t - t0)·tileStride + ξ·positionStride + o]}
     * @param tileStride     floats from one tile to the next in {@code m}
     * @param positionStride floats from one position to the next within a tile of {@code m}
     * @param tileOrigins    for each tile, the offset in {@code dst} of its top-left output pixel's channel 0
     * @param t0             the first tile transformed
     * @param t1             the end of the tiles transformed, exclusive
     * @param pixelStride    floats from one pixel to the next in a row of {@code dst}
     * @param rowStride      floats from one row to the next in {@code dst}
     * @param channels       the channels per pixel
     * @param dst            the channels-last output; each tile's 2x2 pixels are overwritten
     */
    void output(float[] m, int tileStride, int positionStride, int[] tileOrigins, int t0, int t1, int pixelStride,
                int rowStride, int channels, float[] dst);

    /**
     * Filter transform: as {@link Winograd#filterTransform}, into {@code u}.
     *
     * @param taps        the 3x3 filter, {@code [9][inChannels][outChannels]}
     * @param inChannels  the number of input channels
     * @param outChannels the number of output channels
     * @param u           the result, {@code [16][inChannels][outChannels]}, at least {@code 16·inChannels·outChannels} floats
     */
    void filter(float[] taps, int inChannels, int outChannels, float[] u);

    /**
     * Output-gradient transform of tiles {@code [t0, t1)}: as {@link Winograd#gradientTransform}, the
     * transpose of the output transform, {@code Z = A g Aᵀ} for each 2x2 gradient tile {@code g}.
     *
     * @param dy             the output gradient, channels-last
     * @param tileOrigins    for each tile, the offset in {@code dy} of its top-left pixel's channel 0
     * @param t0             the first tile transformed
     * @param t1             the end of the tiles transformed, exclusive
     * @param pixelStride    floats from one pixel to the next in a row of {@code dy}
     * @param rowStride      floats from one row to the next in {@code dy}
     * @param channels       the channels transformed per pixel
     * @param dst            the transformed tiles, {@code dst[(t - t0)·tileStride + ξ·positionStride + o]}
     * @param tileStride     floats from one tile to the next in {@code dst}
     * @param positionStride floats from one position to the next within a tile of {@code dst}
     */
    void gradient(float[] dy, int[] tileOrigins, int t0, int t1, int pixelStride, int rowStride, int channels, float[] dst,
                  int tileStride, int positionStride);
}
