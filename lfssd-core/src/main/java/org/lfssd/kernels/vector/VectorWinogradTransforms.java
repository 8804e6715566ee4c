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
                int p = w + c;
                inputRow(src, o + c, r2 + c, pixelStride, false, dst, p, ps);
                inputRow(src, r1 + c, r2 + c, pixelStride, true, dst, p + 4 * ps, ps);
                inputRow(src, r2 + c, r1 + c, pixelStride, false, dst, p + 8 * ps, ps);
                inputRow(src, r1 + c, r3 + c, pixelStride, false, dst, p + 12 * ps, ps);
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
                // Row 0 of Aᵀ m is (m0 + m1) + m2, row 1 is (m1 - m2) - m3 (rows of m); each through A.
                outputRow(m, p, ps, false, dst, o + c, pixelStride);
                outputRow(m, p + 4 * ps, ps, true, dst, o + rowStride + c, pixelStride);
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
                int p = w + c;
                gradientRow(dy, o + c, o + rowStride + c, pixelStride, 0, dst, p, ps);
                gradientRow(dy, o + c, o + rowStride + c, pixelStride, 1, dst, p + 4 * ps, ps);
                gradientRow(dy, o + c, o + rowStride + c, pixelStride, 2, dst, p + 8 * ps, ps);
                gradientRow(dy, o + c, o + rowStride + c, pixelStride, 3, dst, p + 12 * ps, ps);
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
                    int at = row + o;
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
                for (int o = vectorEnd; o < outChannels; o++) {
                    Winograd.filterTransformElement(taps, plane, row + o, u);
                }
            }
        });
    }

    /** Row {@code i} of {@code (G g) Gᵀ} from row {@code i} of {@code G g}: {@code (a, ½((a + b) + e), ½((a - b) + e), e)}. */
    private static void rowTimesGt(FloatVector a, FloatVector b, FloatVector e, float[] u, int at, int plane, int i) {
        a.intoArray(u, (4 * i) * plane + at);
        a.add(b).add(e).mul(0.5f).intoArray(u, (4 * i + 1) * plane + at);
        a.sub(b).add(e).mul(0.5f).intoArray(u, (4 * i + 2) * plane + at);
        e.intoArray(u, (4 * i + 3) * plane + at);
    }

    /**
     * One row of {@code Bᵀ d B}: {@code x_j = P_j + Q_j} (or {@code P_j - Q_j}) over the four pixels {@code j}
     * of the input rows at {@code p} and {@code q}, then {@code (x0 - x2, x1 + x2, x2 - x1, x1 - x3)}.
     */
    private static void inputRow(float[] src, int p, int q, int pixelStride, boolean sum, float[] dst, int d, int ps) {
        FloatVector p0 = FloatVector.fromArray(S, src, p);
        FloatVector q0 = FloatVector.fromArray(S, src, q);
        FloatVector p1 = FloatVector.fromArray(S, src, p + pixelStride);
        FloatVector q1 = FloatVector.fromArray(S, src, q + pixelStride);
        FloatVector p2 = FloatVector.fromArray(S, src, p + 2 * pixelStride);
        FloatVector q2 = FloatVector.fromArray(S, src, q + 2 * pixelStride);
        FloatVector p3 = FloatVector.fromArray(S, src, p + 3 * pixelStride);
        FloatVector q3 = FloatVector.fromArray(S, src, q + 3 * pixelStride);
        FloatVector x0 = sum ? p0.add(q0) : p0.sub(q0);
        FloatVector x1 = sum ? p1.add(q1) : p1.sub(q1);
        FloatVector x2 = sum ? p2.add(q2) : p2.sub(q2);
        FloatVector x3 = sum ? p3.add(q3) : p3.sub(q3);
        x0.sub(x2).intoArray(dst, d);
        x1.add(x2).intoArray(dst, d + ps);
        x2.sub(x1).intoArray(dst, d + 2 * ps);
        x1.sub(x3).intoArray(dst, d + 3 * ps);
    }

    /**
     * One row of {@code Aᵀ m A}: from the three rows of {@code m} at {@code p}, {@code p + 4ps}, {@code p + 8ps}
     * (and the fourth at {@code p + 12ps} for the second row), {@code s_j = (a + b) + e} (row 0) or
     * {@code (b - e) - f} (row 1) per column, then the outputs {@code (s0 + s1) + s2} and {@code (s1 - s2) - s3}.
     * For the second row {@code p} already points at {@code m}'s second row, so a, b, e, f are rows 1..3 read
     * as b, e, f.
     */
    private static void outputRow(float[] m, int p, int ps, boolean second, float[] dst, int y, int pixelStride) {
        FloatVector s0 = outputColumn(m, p, ps, second);
        FloatVector s1 = outputColumn(m, p + ps, ps, second);
        FloatVector s2 = outputColumn(m, p + 2 * ps, ps, second);
        FloatVector s3 = outputColumn(m, p + 3 * ps, ps, second);
        s0.add(s1).add(s2).intoArray(dst, y);
        s1.sub(s2).sub(s3).intoArray(dst, y + pixelStride);
    }

    /** Column j of a row of {@code Aᵀ m}: {@code (a + b) + e} from rows 0..2, or {@code (b - e) - f} from rows 1..3. */
    private static FloatVector outputColumn(float[] m, int p, int ps, boolean second) {
        FloatVector u = FloatVector.fromArray(S, m, p);
        FloatVector v = FloatVector.fromArray(S, m, p + 4 * ps);
        FloatVector x = FloatVector.fromArray(S, m, p + 8 * ps);
        return second ? u.sub(v).sub(x) : u.add(v).add(x);
    }

    /**
     * Row {@code i} of {@code A g Aᵀ}: {@code r_q} is {@code g0q}, {@code g0q + g1q}, {@code g0q - g1q} or
     * {@code -g1q} for {@code i = 0..3}, then {@code (r0, r0 + r1, r0 - r1, -r1)}.
     */
    private static void gradientRow(float[] dy, int row0, int row1, int pixelStride, int i, float[] dst, int d, int ps) {
        FloatVector g00 = FloatVector.fromArray(S, dy, row0);
        FloatVector g01 = FloatVector.fromArray(S, dy, row0 + pixelStride);
        FloatVector g10 = FloatVector.fromArray(S, dy, row1);
        FloatVector g11 = FloatVector.fromArray(S, dy, row1 + pixelStride);
        FloatVector r0;
        FloatVector r1;
        switch (i) {
            case 0 -> {
                r0 = g00;
                r1 = g01;
            }
            case 1 -> {
                r0 = g00.add(g10);
                r1 = g01.add(g11);
            }
            case 2 -> {
                r0 = g00.sub(g10);
                r1 = g01.sub(g11);
            }
            default -> {
                r0 = g10.neg();
                r1 = g11.neg();
            }
        }
        r0.intoArray(dst, d);
        r0.add(r1).intoArray(dst, d + ps);
        r0.sub(r1).intoArray(dst, d + 2 * ps);
        r1.neg().intoArray(dst, d + 3 * ps);
    }
}
