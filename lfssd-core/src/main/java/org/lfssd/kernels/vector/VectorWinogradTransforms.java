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
                // Row i of Bᵀ d is (row0 - row2, row1 + row2, row2 - row1, row1 - row3) of d; each goes
                // through B on its own, so every method stays small enough for C2 to keep its vectors in
                // registers (a whole tile in one method was not inlined, and its stores fell back to scalar).
                // The sum and the differences are separate methods rather than one with a flag: a vector
                // chosen by a condition is a merge of two boxes, which C2 on JDK 17 keeps as a heap object,
                // and every store of it then went through the Vector API's out-of-line fallback.
                int p = w + c;
                inputRowDifference(src, o + c, r2 + c, pixelStride, dst, p, ps);
                inputRowSum(src, r1 + c, r2 + c, pixelStride, dst, p + 4 * ps, ps);
                inputRowDifference(src, r2 + c, r1 + c, pixelStride, dst, p + 8 * ps, ps);
                inputRowDifference(src, r1 + c, r3 + c, pixelStride, dst, p + 12 * ps, ps);
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
                // Row 0 of Aᵀ m is (m0 + m1) + m2, row 1 is (m1 - m2) - m3 (rows of m); each through A, by
                // its own method (no vector chosen by a condition, see input).
                outputRowFirst(m, p, ps, dst, o + c, pixelStride);
                outputRowSecond(m, p + 4 * ps, ps, dst, o + rowStride + c, pixelStride);
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
        Parallel.forRows(inChannels, 25L * outChannels, (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                int row = c * outChannels;
                for (int o = 0; o < vectorEnd; o += L) {
                    filterVector(taps, plane, row + o, u);
                }
                for (int o = vectorEnd; o < outChannels; o++) {
                    Winograd.filterTransformElement(taps, plane, row + o, u);
                }
            }
        });
    }

    /**
     * {@code (G g) Gᵀ} for one vector of output channels at {@code at}: the nine taps in, the sixteen
     * positions out. A method of its own with only arrays and indices as arguments, so the filter's
     * parallel body stays small and no vector crosses a call that C2 might not inline.
     */
    private static void filterVector(float[] taps, int plane, int at, float[] u) {
        // G g: column j of three rows (a, b, e) -> (a, ½((a + b) + e), ½((a - b) + e), e).
        FloatVector a0 = FloatVector.fromArray(S, taps, at);
        FloatVector b0 = FloatVector.fromArray(S, taps, 3 * plane + at);
        FloatVector e0 = FloatVector.fromArray(S, taps, 6 * plane + at);
        FloatVector a1 = FloatVector.fromArray(S, taps, plane + at);
        FloatVector b1 = FloatVector.fromArray(S, taps, 4 * plane + at);
        FloatVector e1 = FloatVector.fromArray(S, taps, 7 * plane + at);
        FloatVector a2 = FloatVector.fromArray(S, taps, 2 * plane + at);
        FloatVector b2 = FloatVector.fromArray(S, taps, 5 * plane + at);
        FloatVector e2 = FloatVector.fromArray(S, taps, 8 * plane + at);
        // Rows of G g: g0x = a, g1x = ½((a + b) + e), g2x = ½((a - b) + e), g3x = e, for column x.
        FloatVector g10 = a0.add(b0).add(e0).mul(0.5f), g20 = a0.sub(b0).add(e0).mul(0.5f);
        FloatVector g11 = a1.add(b1).add(e1).mul(0.5f), g21 = a1.sub(b1).add(e1).mul(0.5f);
        FloatVector g12 = a2.add(b2).add(e2).mul(0.5f), g22 = a2.sub(b2).add(e2).mul(0.5f);
        // (G g) Gᵀ: row i of three columns (a, b, e) -> positions 4i .. 4i+3.
        rowTimesGt(a0, a1, a2, u, at, plane, 0);
        rowTimesGt(g10, g11, g12, u, at, plane, 1);
        rowTimesGt(g20, g21, g22, u, at, plane, 2);
        rowTimesGt(e0, e1, e2, u, at, plane, 3);
    }

    /** Row {@code i} of {@code (G g) Gᵀ} from row {@code i} of {@code G g}: {@code (a, ½((a + b) + e), ½((a - b) + e), e)}. */
    private static void rowTimesGt(FloatVector a, FloatVector b, FloatVector e, float[] u, int at, int plane, int i) {
        a.intoArray(u, (4 * i) * plane + at);
        a.add(b).add(e).mul(0.5f).intoArray(u, (4 * i + 1) * plane + at);
        a.sub(b).add(e).mul(0.5f).intoArray(u, (4 * i + 2) * plane + at);
        e.intoArray(u, (4 * i + 3) * plane + at);
    }

    /**
     * One row of {@code Bᵀ d B} whose row of {@code Bᵀ d} is a difference of two input rows:
     * {@code x_j = P_j - Q_j} over the four pixels {@code j} of the rows at {@code p} and {@code q}, then
     * {@code (x0 - x2, x1 + x2, x2 - x1, x1 - x3)}.
     */
    private static void inputRowDifference(float[] src, int p, int q, int pixelStride, float[] dst, int d, int ps) {
        FloatVector x0 = FloatVector.fromArray(S, src, p).sub(FloatVector.fromArray(S, src, q));
        FloatVector x1 = FloatVector.fromArray(S, src, p + pixelStride).sub(FloatVector.fromArray(S, src, q + pixelStride));
        FloatVector x2 = FloatVector.fromArray(S, src, p + 2 * pixelStride)
                .sub(FloatVector.fromArray(S, src, q + 2 * pixelStride));
        FloatVector x3 = FloatVector.fromArray(S, src, p + 3 * pixelStride)
                .sub(FloatVector.fromArray(S, src, q + 3 * pixelStride));
        x0.sub(x2).intoArray(dst, d);
        x1.add(x2).intoArray(dst, d + ps);
        x2.sub(x1).intoArray(dst, d + 2 * ps);
        x1.sub(x3).intoArray(dst, d + 3 * ps);
    }

    /** {@link #inputRowDifference} for the row of {@code Bᵀ d} that is a sum: {@code x_j = P_j + Q_j}. */
    private static void inputRowSum(float[] src, int p, int q, int pixelStride, float[] dst, int d, int ps) {
        FloatVector x0 = FloatVector.fromArray(S, src, p).add(FloatVector.fromArray(S, src, q));
        FloatVector x1 = FloatVector.fromArray(S, src, p + pixelStride).add(FloatVector.fromArray(S, src, q + pixelStride));
        FloatVector x2 = FloatVector.fromArray(S, src, p + 2 * pixelStride)
                .add(FloatVector.fromArray(S, src, q + 2 * pixelStride));
        FloatVector x3 = FloatVector.fromArray(S, src, p + 3 * pixelStride)
                .add(FloatVector.fromArray(S, src, q + 3 * pixelStride));
        x0.sub(x2).intoArray(dst, d);
        x1.add(x2).intoArray(dst, d + ps);
        x2.sub(x1).intoArray(dst, d + 2 * ps);
        x1.sub(x3).intoArray(dst, d + 3 * ps);
    }

    /**
     * Row 0 of {@code Aᵀ m A}: {@code s_j = (a + b) + e} over the rows of {@code m} at {@code p},
     * {@code p + 4ps}, {@code p + 8ps} for each column {@code j}, then the outputs {@code (s0 + s1) + s2} and
     * {@code (s1 - s2) - s3}.
     */
    private static void outputRowFirst(float[] m, int p, int ps, float[] dst, int y, int pixelStride) {
        FloatVector s0 = columnSum(m, p, ps);
        FloatVector s1 = columnSum(m, p + ps, ps);
        FloatVector s2 = columnSum(m, p + 2 * ps, ps);
        FloatVector s3 = columnSum(m, p + 3 * ps, ps);
        s0.add(s1).add(s2).intoArray(dst, y);
        s1.sub(s2).sub(s3).intoArray(dst, y + pixelStride);
    }

    /**
     * Row 1 of {@code Aᵀ m A}: {@code s_j = (b - e) - f} from rows 1..3 of {@code m} ({@code p} already points
     * at row 1), then the same two outputs as {@link #outputRowFirst}.
     */
    private static void outputRowSecond(float[] m, int p, int ps, float[] dst, int y, int pixelStride) {
        FloatVector s0 = columnDifference(m, p, ps);
        FloatVector s1 = columnDifference(m, p + ps, ps);
        FloatVector s2 = columnDifference(m, p + 2 * ps, ps);
        FloatVector s3 = columnDifference(m, p + 3 * ps, ps);
        s0.add(s1).add(s2).intoArray(dst, y);
        s1.sub(s2).sub(s3).intoArray(dst, y + pixelStride);
    }

    /** Column j of row 0 of {@code Aᵀ m}: {@code (a + b) + e}. */
    private static FloatVector columnSum(float[] m, int p, int ps) {
        return FloatVector.fromArray(S, m, p).add(FloatVector.fromArray(S, m, p + 4 * ps))
                .add(FloatVector.fromArray(S, m, p + 8 * ps));
    }

    /** Column j of row 1 of {@code Aᵀ m}: {@code (b - e) - f}. */
    private static FloatVector columnDifference(float[] m, int p, int ps) {
        return FloatVector.fromArray(S, m, p).sub(FloatVector.fromArray(S, m, p + 4 * ps))
                .sub(FloatVector.fromArray(S, m, p + 8 * ps));
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
