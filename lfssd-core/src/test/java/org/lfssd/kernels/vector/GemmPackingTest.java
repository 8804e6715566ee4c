package org.lfssd.kernels.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The packed panel layouts, element by element, for every transpose: full panels and the
 * zero-padded partial panel at the edge, read from operands with an offset and a leading dimension
 * wider than the rows; and both ways of the transposing pack ({@code lfssd.pack}), whichever the
 * packs above used.
 */
class GemmPackingTest {
    @BeforeEach
    void needsTheVectorModule() {
        assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(), "no jdk.incubator.vector");
    }

    /** Distinct values, so a misplaced element cannot pass for another. */
    private static float[] numbered(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 1;
        }
        return x;
    }

    @Test
    void bothTransposingPacksWriteEveryStepsRowsInARow() {
        int ld = 45;
        int first = 6;
        for (int rows : new int[] {MicroKernel.MR, MicroKernel.NR, 7}) {
            for (int kc : new int[] {1, 17, 40}) {
                float[] x = numbered(first + rows * ld + 8);
                int at = 3;
                float[] copied = new float[at + rows * kc + 32];
                float[] gathered = new float[at + rows * kc + 32];
                java.util.Arrays.fill(copied, Float.NaN);
                GemmPacking.copyRows(x, first, ld, rows, kc, copied, at);
                GemmPacking.gatherRows(x, first, ld, rows, (rows + 15) / 16 * 16 / MicroKernel.S.length(), kc, gathered, at);
                for (int p = 0; p < kc; p++) {
                    for (int r = 0; r < rows; r++) {
                        float want = x[first + r * ld + p];
                        assertEquals(want, copied[at + p * rows + r], "copy rows=" + rows + " kc=" + kc + " p=" + p + " r=" + r);
                        assertEquals(want, gathered[at + p * rows + r], "gather rows=" + rows + " kc=" + kc + " p=" + p + " r=" + r);
                    }
                }
                assertTrue(Float.isNaN(copied[at + rows * kc]), "the copy writes nothing past the panel");
            }
        }
    }

    @Test
    void packAPutsTheMrRowValuesOfEachStepInARow() {
        // read here, not in a static field: the class must load (and be skipped) without the module
        int mr = MicroKernel.MR;
        int rowsOfA = 2 * mr + 5;
        int cols = 40;
        int i0 = 3;
        int mc = 2 * mr + 1;
        int p0 = 7;
        int kc = 19;
        for (boolean transA : new boolean[] {false, true}) {
            int ld = (transA ? rowsOfA : cols) + 3;
            int off = 5;
            float[] a = numbered(off + (transA ? cols : rowsOfA) * ld);
            float[] dst = new float[3 * mr * kc + GemmPacking.A_OVERRUN];
            java.util.Arrays.fill(dst, Float.NaN);
            GemmPacking.packA(transA, a, off, ld, i0, mc, p0, kc, dst);
            for (int ir = 0; ir < mc; ir += mr) {
                for (int p = 0; p < kc; p++) {
                    for (int r = 0; r < mr; r++) {
                        int i = i0 + ir + r;
                        float expected = ir + r >= mc ? 0f
                                : transA ? a[off + (p0 + p) * ld + i] : a[off + i * ld + p0 + p];
                        assertEquals(expected, dst[ir * kc + p * mr + r],
                                "transA=" + transA + " panel " + ir / mr + " step " + p + " row " + r);
                    }
                }
            }
        }
    }

    /**
     * A transposed A packed up to the last element of its array (whole-vector moves would read past it),
     * with one, two and many k steps, and a plain B packed at an offset into the destination.
     */
    @Test
    void packsReachingTheEndOfTheArrayOrAnOffsetAreExact() {
        int mr = MicroKernel.MR;
        int nr = MicroKernel.NR;
        for (int kc : new int[] {1, 2, 9}) {
            int m = 2 * mr;
            float[] a = numbered(kc * m); // stored k x m, no padding: the last panel ends the array
            float[] dst = new float[m * kc + GemmPacking.A_OVERRUN];
            java.util.Arrays.fill(dst, Float.NaN);
            GemmPacking.packA(true, a, 0, m, 0, m, 0, kc, dst);
            for (int ir = 0; ir < m; ir += mr) {
                for (int p = 0; p < kc; p++) {
                    for (int r = 0; r < mr; r++) {
                        assertEquals(a[p * m + ir + r], dst[ir * kc + p * mr + r], "kc=" + kc + " panel " + ir / mr + " step " + p);
                    }
                }
            }
        }
        int kc = 5;
        int n = nr + 3;
        float[] b = numbered(kc * n);
        int dstOff = 7;
        float[] dst = new float[dstOff + 2 * nr * kc];
        java.util.Arrays.fill(dst, Float.NaN);
        GemmPacking.packB(false, b, 0, n, 0, kc, 0, n, dst, dstOff);
        for (int jr = 0; jr < n; jr += nr) {
            for (int p = 0; p < kc; p++) {
                for (int t = 0; t < nr; t++) {
                    float expected = jr + t >= n ? 0f : b[p * n + jr + t];
                    assertEquals(expected, dst[dstOff + jr * kc + p * nr + t], "panel " + jr / nr + " step " + p);
                }
            }
        }
        assertTrue(Float.isNaN(dst[dstOff - 1]), "wrote before the offset");
    }

    @Test
    void packBPutsTheNrColumnValuesOfEachStepInARow() {
        int nr = MicroKernel.NR;
        int rowsOfB = 30;
        int colsOfB = 2 * nr + 20;
        int j0 = 5;
        int nc = 2 * nr + 7;
        int p0 = 4;
        int kc = 21;
        for (boolean transB : new boolean[] {false, true}) {
            // op(B) is rowsOfB x colsOfB; stored transposed when transB
            int ld = (transB ? rowsOfB : colsOfB) + 2;
            int off = 3;
            float[] b = numbered(off + (transB ? colsOfB : rowsOfB) * ld);
            float[] dst = new float[3 * nr * kc];
            java.util.Arrays.fill(dst, Float.NaN);
            GemmPacking.packB(transB, b, off, ld, p0, kc, j0, nc, dst);
            for (int jr = 0; jr < nc; jr += nr) {
                for (int p = 0; p < kc; p++) {
                    for (int t = 0; t < nr; t++) {
                        int j = j0 + jr + t;
                        float expected = jr + t >= nc ? 0f
                                : transB ? b[off + j * ld + p0 + p] : b[off + (p0 + p) * ld + j];
                        assertEquals(expected, dst[jr * kc + p * nr + t],
                                "transB=" + transB + " panel " + jr / nr + " step " + p + " column " + t);
                    }
                }
            }
        }
    }
}
