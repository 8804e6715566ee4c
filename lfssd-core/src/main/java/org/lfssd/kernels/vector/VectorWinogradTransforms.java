package org.lfssd.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.lfssd.kernels.Parallel;
import org.lfssd.kernels.Winograd;
import org.lfssd.kernels.WinogradTransforms;

/**
 * SIMD {@link WinogradTransforms}: a vector of channels (or, for the filter, of output channels) at a
 * time, the sixteen values of a tile held in registers from load to store instead of passing through
 * scratch rows. Each value is computed by the same additions, subtractions and halvings in the same
 * order as the reference {@link Winograd}, so the bits are the same; the channels left
 * over after the last whole vector go through the same formulas one at a time.
 */
final class VectorWinogradTransforms implements WinogradTransforms {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    @Override
    public void input(float[] src, int[] tileOrigins, int t0, int t1, int pixelStride, int rowStride, int channels,
                      float[] dst, int tileStride, int positionStride) {
        int ps = positionStride;
        int vectorEnd = channels - channels % L;
        for (int t = t0; t < t1; t++) {
            int o = tileOrigins[t];
            int w = (t - t0) * tileStride;
            int r1 = o + rowStride;
            int r2 = r1 + rowStride;
            int r3 = r2 + rowStride;
            for (int c = 0; c < vectorEnd; c += L) {
                inputTileTop(src, o + c, rowStride, pixelStride, dst, w + c, ps);
                inputTileBottom(src, o + c, rowStride, pixelStride, dst, w + c, ps);
            }
            for (int c = vectorEnd; c < channels; c++) {
                float[] x = new float[16];
                for (int j = 0; j < 4; j++) {
                    float a = src[o + j * pixelStride + c];
                    float b = src[r1 + j * pixelStride + c];
                    float e = src[r2 + j * pixelStride + c];
                    float f = src[r3 + j * pixelStride + c];
                    x[j] = a - e;
                    x[4 + j] = b + e;
                    x[8 + j] = e - b;
                    x[12 + j] = b - f;
                }
                for (int i = 0; i < 4; i++) {
                    float a = x[4 * i];
                    float b = x[4 * i + 1];
                    float e = x[4 * i + 2];
                    float f = x[4 * i + 3];
                    int p = w + 4 * i * ps + c;
                    dst[p] = a - e;
                    dst[p + ps] = b + e;
                    dst[p + 2 * ps] = e - b;
                    dst[p + 3 * ps] = b - f;
                }
            }
        }
    }

    @Override
    public void output(float[] m, int tileStride, int positionStride, int[] tileOrigins, int t0, int t1, int pixelStride,
                       int rowStride, int channels, float[] dst) {
        int ps = positionStride;
        int vectorEnd = channels - channels % L;
        for (int t = t0; t < t1; t++) {
            int in = (t - t0) * tileStride;
            int o = tileOrigins[t];
            for (int c = 0; c < vectorEnd; c += L) {
                int p = in + c;
                outputTile(m, p, ps, dst, o + c, rowStride, pixelStride);
            }
            for (int c = vectorEnd; c < channels; c++) {
                float[] s = new float[4];
                float[] d = new float[4];
                for (int j = 0; j < 4; j++) {
                    float a = m[in + j * ps + c];
                    float b = m[in + (4 + j) * ps + c];
                    float e = m[in + (8 + j) * ps + c];
                    float f = m[in + (12 + j) * ps + c];
                    s[j] = (a + b) + e;
                    d[j] = (b - e) - f;
                }
                dst[o + c] = (s[0] + s[1]) + s[2];
                dst[o + pixelStride + c] = (s[1] - s[2]) - s[3];
                dst[o + rowStride + c] = (d[0] + d[1]) + d[2];
                dst[o + rowStride + pixelStride + c] = (d[1] - d[2]) - d[3];
            }
        }
    }

    @Override
    public void gradient(float[] dy, int[] tileOrigins, int t0, int t1, int pixelStride, int rowStride, int channels,
                         float[] dst, int tileStride, int positionStride) {
        int ps = positionStride;
        int vectorEnd = channels - channels % L;
        for (int t = t0; t < t1; t++) {
            int o = tileOrigins[t];
            int w = (t - t0) * tileStride;
            for (int c = 0; c < vectorEnd; c += L) {
                // Rows of A g: (g0, g0 + g1, g0 - g1, -g1) of g's two rows; each row through Aᵀ.
                gradientTile(dy, o + c, o + rowStride + c, pixelStride, dst, w + c, ps);
            }
            for (int c = vectorEnd; c < channels; c++) {
                float g00 = dy[o + c];
                float g01 = dy[o + pixelStride + c];
                float g10 = dy[o + rowStride + c];
                float g11 = dy[o + rowStride + pixelStride + c];
                float[] r = {g00, g01, g00 + g10, g01 + g11, g00 - g10, g01 - g11, -g10, -g11};
                int p = w + c;
                for (int i = 0; i < 4; i++) {
                    float a = r[2 * i];
                    float b = r[2 * i + 1];
                    dst[p + 4 * i * ps] = a;
                    dst[p + (4 * i + 1) * ps] = a + b;
                    dst[p + (4 * i + 2) * ps] = a - b;
                    dst[p + (4 * i + 3) * ps] = -b;
                }
            }
        }
    }

    @Override
    public void filter(float[] taps, int inChannels, int outChannels, float[] u) {
        int plane = inChannels * outChannels;
        int vectorEnd = outChannels - outChannels % L;
        long rowCost = 25L * outChannels;
        // Three passes, each its own parallel body and so its own compilation: one vector of the whole
        // transform (about 45 Vector API operations) is past what C2 on JDK 17 inlines into one method,
        // and the operations after that point ran boxed through the API's fallbacks (see inputTileTop).
        // Rows 0 and 3 of G g are the taps' rows 0 and 2 themselves; rows 1 and 2 are computed.
        Parallel.forRows(inChannels, rowCost, (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                for (int o = 0; o < vectorEnd; o += L) {
                    filterOuterRows(taps, plane, c * outChannels + o, u);
                }
            }
        });
        Parallel.forRows(inChannels, rowCost, (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                for (int o = 0; o < vectorEnd; o += L) {
                    filterSumRow(taps, plane, c * outChannels + o, u);
                }
            }
        });
        Parallel.forRows(inChannels, rowCost, (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                int row = c * outChannels;
                for (int o = 0; o < vectorEnd; o += L) {
                    filterDifferenceRow(taps, plane, row + o, u);
                }
                for (int o = vectorEnd; o < outChannels; o++) {
                    Winograd.filterTransformElement(taps, plane, row + o, u);
                }
            }
        });
    }

    /**
     * Rows 0 and 3 of {@code (G g) Gᵀ} for one vector of output channels at {@code at}: rows 0 and 3 of
     * {@code G g} are the taps' rows 0 and 2.
     */
    private static void filterOuterRows(float[] taps, int plane, int at, float[] u) {
        rowTimesGt(FloatVector.fromArray(S, taps, at), FloatVector.fromArray(S, taps, plane + at),
                FloatVector.fromArray(S, taps, 2 * plane + at), u, at, plane, 0);
        rowTimesGt(FloatVector.fromArray(S, taps, 6 * plane + at), FloatVector.fromArray(S, taps, 7 * plane + at),
                FloatVector.fromArray(S, taps, 8 * plane + at), u, at, plane, 3);
    }

    /** Row 1 of {@code (G g) Gᵀ}: row 1 of {@code G g} is {@code ½((a + b) + e)} of the taps' rows (a, b, e), per column. */
    private static void filterSumRow(float[] taps, int plane, int at, float[] u) {
        FloatVector g0 = FloatVector.fromArray(S, taps, at).add(FloatVector.fromArray(S, taps, 3 * plane + at))
                .add(FloatVector.fromArray(S, taps, 6 * plane + at)).mul(0.5f);
        FloatVector g1 = FloatVector.fromArray(S, taps, plane + at).add(FloatVector.fromArray(S, taps, 4 * plane + at))
                .add(FloatVector.fromArray(S, taps, 7 * plane + at)).mul(0.5f);
        FloatVector g2 = FloatVector.fromArray(S, taps, 2 * plane + at).add(FloatVector.fromArray(S, taps, 5 * plane + at))
                .add(FloatVector.fromArray(S, taps, 8 * plane + at)).mul(0.5f);
        rowTimesGt(g0, g1, g2, u, at, plane, 1);
    }

    /** Row 2 of {@code (G g) Gᵀ}: row 2 of {@code G g} is {@code ½((a - b) + e)} of the taps' rows, per column. */
    private static void filterDifferenceRow(float[] taps, int plane, int at, float[] u) {
        FloatVector g0 = FloatVector.fromArray(S, taps, at).sub(FloatVector.fromArray(S, taps, 3 * plane + at))
                .add(FloatVector.fromArray(S, taps, 6 * plane + at)).mul(0.5f);
        FloatVector g1 = FloatVector.fromArray(S, taps, plane + at).sub(FloatVector.fromArray(S, taps, 4 * plane + at))
                .add(FloatVector.fromArray(S, taps, 7 * plane + at)).mul(0.5f);
        FloatVector g2 = FloatVector.fromArray(S, taps, 2 * plane + at).sub(FloatVector.fromArray(S, taps, 5 * plane + at))
                .add(FloatVector.fromArray(S, taps, 8 * plane + at)).mul(0.5f);
        rowTimesGt(g0, g1, g2, u, at, plane, 2);
    }

    /** Row {@code i} of {@code (G g) Gᵀ} from row {@code i} of {@code G g}: {@code (a, ½((a + b) + e), ½((a - b) + e), e)}. */
    private static void rowTimesGt(FloatVector a, FloatVector b, FloatVector e, float[] u, int at, int plane, int i) {
        a.intoArray(u, (4 * i) * plane + at);
        a.add(b).add(e).mul(0.5f).intoArray(u, (4 * i + 1) * plane + at);
        a.sub(b).add(e).mul(0.5f).intoArray(u, (4 * i + 2) * plane + at);
        e.intoArray(u, (4 * i + 3) * plane + at);
    }

    /**
     * Rows 0 and 1 of {@code Bᵀ d B} for one vector of channels of the 4x4 input tile whose top-left pixel is
     * at {@code o}: rows 0 and 1 of {@code Bᵀ d} are {@code d0 - d2} and {@code d1 + d2} (rows of d), and each
     * such row {@code x} goes through B as {@code (x0 - x2, x1 + x2, x2 - x1, x1 - x3)}, the eight results to
     * {@code dst[d + i·ps]}, {@code i < 8}.
     *
     * <p>Why half a tile per method, written out: C2 on JDK 17 stops inlining once a compilation has parsed
     * a certain number of nodes, and each Vector API operation parses into many; past that point a vector
     * operation is a call with its operands boxed on the heap, and a store goes through the Vector API's
     * out-of-line fallback. Four row methods inlined into {@link #input} ran out in the third row, and a
     * whole tile in one method (about 64 operations) in the fourth. Half a tile fits, and each half is
     * too large to be inlined into its caller, so each is compiled on its own with only arrays and
     * indices crossing the call. (A vector chosen by a condition, as a sum-or-difference flag gave, is
     * boxed as well, so there is none.)
     */
    private static void inputTileTop(float[] src, int o, int rowStride, int pixelStride, float[] dst, int d, int ps) {
        int r1 = o + rowStride;
        int r2 = r1 + rowStride;
        FloatVector d20 = FloatVector.fromArray(S, src, r2);
        FloatVector d21 = FloatVector.fromArray(S, src, r2 + pixelStride);
        FloatVector d22 = FloatVector.fromArray(S, src, r2 + 2 * pixelStride);
        FloatVector d23 = FloatVector.fromArray(S, src, r2 + 3 * pixelStride);
        // Row 0: d0 - d2.
        FloatVector x0 = FloatVector.fromArray(S, src, o).sub(d20);
        FloatVector x1 = FloatVector.fromArray(S, src, o + pixelStride).sub(d21);
        FloatVector x2 = FloatVector.fromArray(S, src, o + 2 * pixelStride).sub(d22);
        FloatVector x3 = FloatVector.fromArray(S, src, o + 3 * pixelStride).sub(d23);
        x0.sub(x2).intoArray(dst, d);
        x1.add(x2).intoArray(dst, d + ps);
        x2.sub(x1).intoArray(dst, d + 2 * ps);
        x1.sub(x3).intoArray(dst, d + 3 * ps);
        // Row 1: d1 + d2.
        x0 = FloatVector.fromArray(S, src, r1).add(d20);
        x1 = FloatVector.fromArray(S, src, r1 + pixelStride).add(d21);
        x2 = FloatVector.fromArray(S, src, r1 + 2 * pixelStride).add(d22);
        x3 = FloatVector.fromArray(S, src, r1 + 3 * pixelStride).add(d23);
        x0.sub(x2).intoArray(dst, d + 4 * ps);
        x1.add(x2).intoArray(dst, d + 5 * ps);
        x2.sub(x1).intoArray(dst, d + 6 * ps);
        x1.sub(x3).intoArray(dst, d + 7 * ps);
    }

    /**
     * Rows 2 and 3 of {@code Bᵀ d B} ({@code d2 - d1} and {@code d1 - d3} through B), to
     * {@code dst[d + i·ps]}, {@code 8 <= i < 16}; see {@link #inputTileTop}.
     */
    private static void inputTileBottom(float[] src, int o, int rowStride, int pixelStride, float[] dst, int d, int ps) {
        int r1 = o + rowStride;
        int r2 = r1 + rowStride;
        int r3 = r2 + rowStride;
        FloatVector d10 = FloatVector.fromArray(S, src, r1);
        FloatVector d11 = FloatVector.fromArray(S, src, r1 + pixelStride);
        FloatVector d12 = FloatVector.fromArray(S, src, r1 + 2 * pixelStride);
        FloatVector d13 = FloatVector.fromArray(S, src, r1 + 3 * pixelStride);
        // Row 2: d2 - d1.
        FloatVector x0 = FloatVector.fromArray(S, src, r2).sub(d10);
        FloatVector x1 = FloatVector.fromArray(S, src, r2 + pixelStride).sub(d11);
        FloatVector x2 = FloatVector.fromArray(S, src, r2 + 2 * pixelStride).sub(d12);
        FloatVector x3 = FloatVector.fromArray(S, src, r2 + 3 * pixelStride).sub(d13);
        x0.sub(x2).intoArray(dst, d + 8 * ps);
        x1.add(x2).intoArray(dst, d + 9 * ps);
        x2.sub(x1).intoArray(dst, d + 10 * ps);
        x1.sub(x3).intoArray(dst, d + 11 * ps);
        // Row 3: d1 - d3.
        x0 = d10.sub(FloatVector.fromArray(S, src, r3));
        x1 = d11.sub(FloatVector.fromArray(S, src, r3 + pixelStride));
        x2 = d12.sub(FloatVector.fromArray(S, src, r3 + 2 * pixelStride));
        x3 = d13.sub(FloatVector.fromArray(S, src, r3 + 3 * pixelStride));
        x0.sub(x2).intoArray(dst, d + 12 * ps);
        x1.add(x2).intoArray(dst, d + 13 * ps);
        x2.sub(x1).intoArray(dst, d + 14 * ps);
        x1.sub(x3).intoArray(dst, d + 15 * ps);
    }

    /**
     * {@code Aᵀ m A} for one vector of channels of one tile's sixteen products at {@code m[p + i·ps]}: row 0
     * of {@code Aᵀ m} is {@code (m0 + m1) + m2}, row 1 is {@code (m1 - m2) - m3} (rows of m), and each row
     * {@code s} gives the two outputs {@code (s0 + s1) + s2} and {@code (s1 - s2) - s3}. Written out in one
     * method for the reason given at {@link #inputTileTop} (it fits the budget whole).
     */
    private static void outputTile(float[] m, int p, int ps, float[] dst, int y, int rowStride, int pixelStride) {
        FloatVector a0 = FloatVector.fromArray(S, m, p + 4 * ps);
        FloatVector a1 = FloatVector.fromArray(S, m, p + 5 * ps);
        FloatVector a2 = FloatVector.fromArray(S, m, p + 6 * ps);
        FloatVector a3 = FloatVector.fromArray(S, m, p + 7 * ps);
        FloatVector b0 = FloatVector.fromArray(S, m, p + 8 * ps);
        FloatVector b1 = FloatVector.fromArray(S, m, p + 9 * ps);
        FloatVector b2 = FloatVector.fromArray(S, m, p + 10 * ps);
        FloatVector b3 = FloatVector.fromArray(S, m, p + 11 * ps);
        FloatVector s0 = FloatVector.fromArray(S, m, p).add(a0).add(b0);
        FloatVector s1 = FloatVector.fromArray(S, m, p + ps).add(a1).add(b1);
        FloatVector s2 = FloatVector.fromArray(S, m, p + 2 * ps).add(a2).add(b2);
        FloatVector s3 = FloatVector.fromArray(S, m, p + 3 * ps).add(a3).add(b3);
        s0.add(s1).add(s2).intoArray(dst, y);
        s1.sub(s2).sub(s3).intoArray(dst, y + pixelStride);
        s0 = a0.sub(b0).sub(FloatVector.fromArray(S, m, p + 12 * ps));
        s1 = a1.sub(b1).sub(FloatVector.fromArray(S, m, p + 13 * ps));
        s2 = a2.sub(b2).sub(FloatVector.fromArray(S, m, p + 14 * ps));
        s3 = a3.sub(b3).sub(FloatVector.fromArray(S, m, p + 15 * ps));
        s0.add(s1).add(s2).intoArray(dst, y + rowStride);
        s1.sub(s2).sub(s3).intoArray(dst, y + rowStride + pixelStride);
    }

    /**
     * {@code A g Aᵀ} for one vector of channels of a 2x2 gradient tile (rows at {@code row0}, {@code row1}):
     * the rows of {@code A g} are {@code (g0q, g0q + g1q, g0q - g1q, -g1q)}, each then through Aᵀ.
     */
    private static void gradientTile(float[] dy, int row0, int row1, int pixelStride, float[] dst, int d, int ps) {
        FloatVector g00 = FloatVector.fromArray(S, dy, row0);
        FloatVector g01 = FloatVector.fromArray(S, dy, row0 + pixelStride);
        FloatVector g10 = FloatVector.fromArray(S, dy, row1);
        FloatVector g11 = FloatVector.fromArray(S, dy, row1 + pixelStride);
        gradientRow(g00, g01, dst, d, ps);
        gradientRow(g00.add(g10), g01.add(g11), dst, d + 4 * ps, ps);
        gradientRow(g00.sub(g10), g01.sub(g11), dst, d + 8 * ps, ps);
        gradientRow(g10.neg(), g11.neg(), dst, d + 12 * ps, ps);
    }

    /** One row {@code (r0, r1)} of {@code A g} through Aᵀ: {@code (r0, r0 + r1, r0 - r1, -r1)}. */
    private static void gradientRow(FloatVector r0, FloatVector r1, float[] dst, int d, int ps) {
        r0.intoArray(dst, d);
        r0.add(r1).intoArray(dst, d + ps);
        r0.sub(r1).intoArray(dst, d + 2 * ps);
        r1.neg().intoArray(dst, d + 3 * ps);
    }
}
