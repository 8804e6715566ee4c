package org.lfssd.kernels.vector;

import java.util.Arrays;
import org.lfssd.kernels.Config;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Copies blocks of A and B into the panel layouts {@link MicroKernel} streams through, whatever the
 * transposes and leading dimensions of the operands: after packing, every k step of a micro-kernel
 * call reads consecutive memory. Partial panels at the matrix edges are padded with zeros, so the
 * micro-kernel always runs full tiles (the padded rows and columns are computed and then discarded).
 */
final class GemmPacking {
    private GemmPacking() {}

    private static final VectorSpecies<Float> S = MicroKernel.S;
    private static final int L = S.length();
    /** Vector moves (or gathers) per k step of a full A panel: MR row values, moved {@code L} at a time. */
    private static final int A_MOVES = (MicroKernel.MR + L - 1) / L;
    /**
     * How far a full panel's vector moves (or gathers) write past the panel's {@code MR} values of one
     * k step: the surplus lanes land in the next step's slot (or the next panel's first), which is written
     * after, so they never survive; after the last panel of a block they need this much room in the buffer.
     */
    static final int A_OVERRUN = A_MOVES * L - MicroKernel.MR;

    /**
     * Packs {@code op(A)[i0, i0+mc) x [p0, p0+kc)} as panels of {@link MicroKernel#MR} rows: panel
     * {@code q} starts at {@code q * MR * kc}, and holds for each k step the MR row values in a row.
     */
    static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int mc, int p0, int kc, float[] dst) {
        int mr = MicroKernel.MR;
        int firstPartial = 0;
        if (transA) {
            firstPartial = mc - mc % mr;
            copyFullPanels(a, aOff + p0 * lda + i0, lda, firstPartial, kc, dst);
        }
        for (int ir = firstPartial; ir < mc; ir += mr) {
            int rows = Math.min(mr, mc - ir);
            int panel = ir * kc;
            if (rows < mr) {
                Arrays.fill(dst, panel, panel + mr * kc, 0f);
            }
            if (transA) {
                // stored A is k x m: the MR values of one k step are contiguous in a row of the array
                int src = aOff + p0 * lda + i0 + ir;
                for (int p = 0, at = panel; p < kc; p++, src += lda, at += mr) {
                    System.arraycopy(a, src, dst, at, rows);
                }
            } else if (rows == mr) {
                transposeRows(a, aOff + (i0 + ir) * lda + p0, lda, mr, A_MOVES, kc, dst, panel);
            } else {
                // row by row, reading each row of A contiguously
                for (int r = 0; r < rows; r++) {
                    int src = aOff + (i0 + ir + r) * lda + p0;
                    for (int p = 0, at = panel + r; p < kc; p++, at += mr) {
                        dst[at] = a[src + p];
                    }
                }
            }
        }
    }

    /**
     * Packs {@code op(B)[p0, p0+kc) x [j0, j0+nc)} as panels of {@link MicroKernel#NR} columns: panel
     * {@code q} starts at {@code q * NR * kc}, and holds for each k step the NR column values in a row.
     */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc, float[] dst) {
        packB(transB, b, bOff, ldb, p0, kc, j0, nc, dst, 0);
    }

    /** {@link #packB(boolean, float[], int, int, int, int, int, int, float[])} into {@code dst} from {@code dstOff}. */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc, float[] dst, int dstOff) {
        int nr = MicroKernel.NR;
        int fullCols = nc - nc % nr;
        if (nc != fullCols) {
            // the last panel is partial: zero it so its padding columns contribute nothing
            Arrays.fill(dst, dstOff + fullCols * kc, dstOff + (fullCols + nr) * kc, 0f);
        }
        if (transB) {
            // stored B is n x k: column j of op(B) is row j of the array, contiguous in p
            for (int jr = 0; jr < fullCols; jr += nr) {
                transposeRows(b, bOff + (j0 + jr) * ldb + p0, ldb, nr, nr / L, kc, dst, dstOff + jr * kc);
            }
            for (int col = fullCols; col < nc; col++) {
                int src = bOff + (j0 + col) * ldb + p0;
                int at = dstOff + (col - col % nr) * kc + col % nr;
                for (int p = 0; p < kc; p++, at += nr) {
                    dst[at] = b[src + p];
                }
            }
        } else {
            // one row of B at a time, so memory is read sequentially (rows can be far apart)
            for (int p = 0; p < kc; p++) {
                int src = bOff + (p0 + p) * ldb + j0;
                for (int jr = 0; jr < nc; jr += nr) {
                    System.arraycopy(b, src + jr, dst, dstOff + jr * kc + p * nr, Math.min(nr, nc - jr));
                }
            }
        }
    }

    /**
     * Packs the full panels of a transposed A (its first {@code cols} rows of op(A), a multiple of
     * {@code MR}), whose values of one k step are contiguous: one stored row at a time, so each row's values stream
     * sequentially (going panel by panel instead jumped a whole row every {@code MR} floats, which the
     * prefetchers could not follow), and by {@link #A_MOVES} whole-vector moves per panel instead of a
     * {@link System#arraycopy} of {@code MR} floats, whose call costs more than the move. (Packing the
     * transposed A was the slowest part of the weight-gradient products,
     * lfssd-bench/results/vit-gemm-2026-12-01c.md.) The surplus lanes read the next values of the row and
     * land in the same panel's next step, which is written after; so the last step, and steps where a
     * whole vector would read past the array, copy exactly.
     */
    private static void copyFullPanels(float[] a, int src, int lda, int cols, int kc, float[] dst) {
        int mr = MicroKernel.MR;
        int width = A_MOVES * L;
        for (int p = 0; p < kc; p++, src += lda) {
            boolean exact = p == kc - 1 || src + cols - mr + width > a.length;
            for (int ir = 0, at = p * mr; ir < cols; ir += mr, at += mr * kc) {
                if (exact) {
                    System.arraycopy(a, src + ir, dst, at, mr);
                } else {
                    for (int g = 0; g < width; g += L) {
                        FloatVector.fromArray(S, a, src + ir + g).intoArray(dst, at + g);
                    }
                }
            }
        }
    }

    /**
     * Whether the transposing packs gather ({@code lfssd.pack=gather}) instead of copying row by row
     * ({@code copy}, the default; {@code auto} is the same). Both give the same panels. On Zen 5 the copy
     * took 0.22 ns per float on a ViT-Tiny 224 activation (240 x 192 blocks) against 0.50 for the
     * gathers, and 0.27-0.37 for 16 x 16 register transposes; on a (loaded) Sapphire Rapids the gathers
     * had measured about twice as fast as the same copy (commit 90cf698,
     * {@code lfssd-bench/results/zen5-2026-12-02b.md}), hence the knob.
     */
    static final boolean GATHERS = "gather".equals(Config.choice("lfssd.pack", "auto", "auto", "copy", "gather"));

    /**
     * The transposing pack for {@code rows} stored rows of one panel (rows of A for a plain A, rows of
     * B for a transposed B): for each of {@code kc} steps, the rows' values at that step go out as
     * {@code rows} consecutive floats: by {@link #gatherRows} or {@link #copyRows} (see {@link #GATHERS}).
     */
    private static void transposeRows(float[] x, int first, int ld, int rows, int gathers, int kc, float[] dst, int at) {
        if (GATHERS) {
            gatherRows(x, first, ld, rows, gathers, kc, dst, at);
        } else {
            copyRows(x, first, ld, rows, kc, dst, at);
        }
    }

    /**
     * {@link #transposeRows} row by row: each stored row is read sequentially, and the stores go
     * {@code rows} floats apart into a panel that stays in L1.
     */
    static void copyRows(float[] x, int first, int ld, int rows, int kc, float[] dst, int at) {
        // The store stride as a constant (the panel heights), so the JIT checks the stores' bounds once per
        // row instead of once per float: with the variable stride the same loop took 0.28 ns per float.
        if (rows == MicroKernel.MR) {
            for (int r = 0; r < MicroKernel.MR; r++) {
                int src = first + r * ld;
                for (int p = 0, o = at + r; p < kc; p++, o += MicroKernel.MR) {
                    dst[o] = x[src + p];
                }
            }
        } else if (rows == MicroKernel.NR) {
            for (int r = 0; r < MicroKernel.NR; r++) {
                int src = first + r * ld;
                for (int p = 0, o = at + r; p < kc; p++, o += MicroKernel.NR) {
                    dst[o] = x[src + p];
                }
            }
        } else {
            for (int r = 0; r < rows; r++) {
                int src = first + r * ld;
                for (int p = 0, o = at + r; p < kc; p++, o += rows) {
                    dst[o] = x[src + p];
                }
            }
        }
    }

    /**
     * {@link #transposeRows} by one lane gather per {@code L} rows per step, reading the values straight
     * from the strided rows. Surplus lanes (when {@code rows} is not a multiple of {@code L}) re-read the
     * first row and write past the step's slot, see {@link #A_OVERRUN}.
     */
    static void gatherRows(float[] x, int first, int ld, int rows, int gathers, int kc, float[] dst, int at) {
        int[] index = new int[gathers * L];
        for (int t = 0; t < rows; t++) {
            index[t] = t * ld;
        }
        for (int p = 0; p < kc; p++, at += rows) {
            for (int g = 0; g < gathers; g++) {
                FloatVector.fromArray(S, x, first + p, index, g * L).intoArray(dst, at + g * L);
            }
        }
    }
}
