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
                // Bᵀ d, column j of four rows (a, b, e, f) -> (a - e, b + e, e - b, b - f).
                FloatVector a0 = FloatVector.fromArray(S, src, o + c);
                FloatVector b0 = FloatVector.fromArray(S, src, r1 + c);
                FloatVector e0 = FloatVector.fromArray(S, src, r2 + c);
                FloatVector f0 = FloatVector.fromArray(S, src, r3 + c);
                FloatVector x00 = a0.sub(e0), x10 = b0.add(e0), x20 = e0.sub(b0), x30 = b0.sub(f0);
                FloatVector a1 = FloatVector.fromArray(S, src, o + pixelStride + c);
                FloatVector b1 = FloatVector.fromArray(S, src, r1 + pixelStride + c);
                FloatVector e1 = FloatVector.fromArray(S, src, r2 + pixelStride + c);
                FloatVector f1 = FloatVector.fromArray(S, src, r3 + pixelStride + c);
                FloatVector x01 = a1.sub(e1), x11 = b1.add(e1), x21 = e1.sub(b1), x31 = b1.sub(f1);
                FloatVector a2 = FloatVector.fromArray(S, src, o + 2 * pixelStride + c);
                FloatVector b2 = FloatVector.fromArray(S, src, r1 + 2 * pixelStride + c);
                FloatVector e2 = FloatVector.fromArray(S, src, r2 + 2 * pixelStride + c);
                FloatVector f2 = FloatVector.fromArray(S, src, r3 + 2 * pixelStride + c);
                FloatVector x02 = a2.sub(e2), x12 = b2.add(e2), x22 = e2.sub(b2), x32 = b2.sub(f2);
                FloatVector a3 = FloatVector.fromArray(S, src, o + 3 * pixelStride + c);
                FloatVector b3 = FloatVector.fromArray(S, src, r1 + 3 * pixelStride + c);
                FloatVector e3 = FloatVector.fromArray(S, src, r2 + 3 * pixelStride + c);
                FloatVector f3 = FloatVector.fromArray(S, src, r3 + 3 * pixelStride + c);
                FloatVector x03 = a3.sub(e3), x13 = b3.add(e3), x23 = e3.sub(b3), x33 = b3.sub(f3);
                // (Bᵀ d) B, row i of four columns (a, b, e, f) -> positions 4i .. 4i+3.
                int p = w + c;
                x00.sub(x02).intoArray(dst, p);
                x01.add(x02).intoArray(dst, p + ps);
                x02.sub(x01).intoArray(dst, p + 2 * ps);
                x01.sub(x03).intoArray(dst, p + 3 * ps);
                x10.sub(x12).intoArray(dst, p + 4 * ps);
                x11.add(x12).intoArray(dst, p + 5 * ps);
                x12.sub(x11).intoArray(dst, p + 6 * ps);
                x11.sub(x13).intoArray(dst, p + 7 * ps);
                x20.sub(x22).intoArray(dst, p + 8 * ps);
                x21.add(x22).intoArray(dst, p + 9 * ps);
                x22.sub(x21).intoArray(dst, p + 10 * ps);
                x21.sub(x23).intoArray(dst, p + 11 * ps);
                x30.sub(x32).intoArray(dst, p + 12 * ps);
                x31.add(x32).intoArray(dst, p + 13 * ps);
                x32.sub(x31).intoArray(dst, p + 14 * ps);
                x31.sub(x33).intoArray(dst, p + 15 * ps);
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
                // Aᵀ m, column j of four rows (a, b, e, f) -> ((a + b) + e, (b - e) - f).
                FloatVector a0 = FloatVector.fromArray(S, m, p);
                FloatVector b0 = FloatVector.fromArray(S, m, p + 4 * ps);
                FloatVector e0 = FloatVector.fromArray(S, m, p + 8 * ps);
                FloatVector f0 = FloatVector.fromArray(S, m, p + 12 * ps);
                FloatVector s0 = a0.add(b0).add(e0), d0 = b0.sub(e0).sub(f0);
                FloatVector a1 = FloatVector.fromArray(S, m, p + ps);
                FloatVector b1 = FloatVector.fromArray(S, m, p + 5 * ps);
                FloatVector e1 = FloatVector.fromArray(S, m, p + 9 * ps);
                FloatVector f1 = FloatVector.fromArray(S, m, p + 13 * ps);
                FloatVector s1 = a1.add(b1).add(e1), d1 = b1.sub(e1).sub(f1);
                FloatVector a2 = FloatVector.fromArray(S, m, p + 2 * ps);
                FloatVector b2 = FloatVector.fromArray(S, m, p + 6 * ps);
                FloatVector e2 = FloatVector.fromArray(S, m, p + 10 * ps);
                FloatVector f2 = FloatVector.fromArray(S, m, p + 14 * ps);
                FloatVector s2 = a2.add(b2).add(e2), d2 = b2.sub(e2).sub(f2);
                FloatVector a3 = FloatVector.fromArray(S, m, p + 3 * ps);
                FloatVector b3 = FloatVector.fromArray(S, m, p + 7 * ps);
                FloatVector e3 = FloatVector.fromArray(S, m, p + 11 * ps);
                FloatVector f3 = FloatVector.fromArray(S, m, p + 15 * ps);
                FloatVector s3 = a3.add(b3).add(e3), d3 = b3.sub(e3).sub(f3);
                // (Aᵀ m) A, each row's four columns (a, b, e, f) -> ((a + b) + e, (b - e) - f).
                s0.add(s1).add(s2).intoArray(dst, o + c);
                s1.sub(s2).sub(s3).intoArray(dst, o + pixelStride + c);
                d0.add(d1).add(d2).intoArray(dst, o + rowStride + c);
                d1.sub(d2).sub(d3).intoArray(dst, o + rowStride + pixelStride + c);
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
                FloatVector g00 = FloatVector.fromArray(S, dy, o + c);
                FloatVector g01 = FloatVector.fromArray(S, dy, o + pixelStride + c);
                FloatVector g10 = FloatVector.fromArray(S, dy, o + rowStride + c);
                FloatVector g11 = FloatVector.fromArray(S, dy, o + rowStride + pixelStride + c);
                // A g: rows (g0, g0 + g1, g0 - g1, -g1), per column.
                FloatVector r10 = g00.add(g10), r11 = g01.add(g11);
                FloatVector r20 = g00.sub(g10), r21 = g01.sub(g11);
                FloatVector r30 = g10.neg(), r31 = g11.neg();
                // (A g) Aᵀ: columns (r0, r0 + r1, r0 - r1, -r1), per row.
                int p = w + c;
                g00.intoArray(dst, p);
                g00.add(g01).intoArray(dst, p + ps);
                g00.sub(g01).intoArray(dst, p + 2 * ps);
                g01.neg().intoArray(dst, p + 3 * ps);
                r10.intoArray(dst, p + 4 * ps);
                r10.add(r11).intoArray(dst, p + 5 * ps);
                r10.sub(r11).intoArray(dst, p + 6 * ps);
                r11.neg().intoArray(dst, p + 7 * ps);
                r20.intoArray(dst, p + 8 * ps);
                r20.add(r21).intoArray(dst, p + 9 * ps);
                r20.sub(r21).intoArray(dst, p + 10 * ps);
                r21.neg().intoArray(dst, p + 11 * ps);
                r30.intoArray(dst, p + 12 * ps);
                r30.add(r31).intoArray(dst, p + 13 * ps);
                r30.sub(r31).intoArray(dst, p + 14 * ps);
                r31.neg().intoArray(dst, p + 15 * ps);
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
}
