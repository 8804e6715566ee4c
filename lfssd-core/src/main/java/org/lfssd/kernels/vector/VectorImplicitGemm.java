package org.lfssd.kernels.vector;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.lfssd.kernels.ImplicitGemm;
import org.lfssd.kernels.ImplicitGemmChecks;
import org.lfssd.kernels.Parallel;

/**
 * SIMD {@link ImplicitGemm}: register-blocked tiles that read the image through the offset tables, with
 * no column matrix.
 *
 * <p>{@link #gather}: tiles of {@value ImplicitTiles#MR} output rows by two vectors of columns, the
 * column block of {@code b} packed once per call into contiguous panels (so the tile streams it) and the
 * rows' image windows read in place; a tile sums one tap's channels in registers per call, its partial
 * sums passing from tap to tap through a small tile buffer that stays in L1. Work is cut into
 * groups of rows, each running every column block, so a group's image windows stay in cache while the
 * panels stream past.
 *
 * <p>{@link #gatherTransposed}: tiles of {@value ImplicitTiles#MR} channels by two vectors of columns,
 * summed over rows in chunks that stay in cache (every tap and channel tile of a chunk before the next
 * chunk); a tile's partial sum goes to the output and is reloaded for the next chunk, which keeps the
 * ascending-row order of every sum. One task per column block: a task owns its outputs, so the
 * split cannot change a result.
 *
 * <p>Each output element is one chain of fused multiply-adds in the order {@link ImplicitGemm} fixes,
 * exactly as the scalar reference computes it, so the two agree bit for bit.
 */
final class VectorImplicitGemm implements ImplicitGemm {
    private static final VectorSpecies<Float> S = ImplicitTiles.S;
    private static final int MR = ImplicitTiles.MR;
    private static final int NR = ImplicitTiles.NR;
    /** Row tiles per parallel task of {@link #gather}. */
    private static final int TILES_PER_TASK = 8;
    /** Channels per slice of a {@link #gather} tile's sum: a slice of panel (KC x NR floats) stays in L1. */
    private static final int KC = 64;
    /** Rows per cache chunk of {@link #gatherTransposed}. */
    private static final int CHUNK_ROWS = 128;

    @Override
    public String name() {
        return "vector-implicit-" + S.vectorBitSize();
    }

    @Override
    public void gather(int m, int n, int k, float[] a, int[] aRows, int[] taps, float[] b, float[] out, int[] outRows) {
        ImplicitGemmChecks.gather(m, n, k, a, aRows, taps, b, out, outRows);
        if (m == 0 || n == 0) {
            return;
        }
        int blocks = (n + NR - 1) / NR;
        int depth = taps.length * k;
        float[] panels = packPanels(b, depth, n, blocks);
        int tiles = (m + MR - 1) / MR;
        int tasks = (tiles + TILES_PER_TASK - 1) / TILES_PER_TASK;
        Parallel.forEach(tasks, task -> {
            int t0 = task * TILES_PER_TASK;
            int tileCount = Math.min(tiles, t0 + TILES_PER_TASK) - t0;
            // Each tile's rows, a short last tile repeating its last row (computed and written twice, identically).
            int[] ar = new int[tileCount * MR];
            int[] or = new int[tileCount * MR];
            for (int q = 0; q < tileCount * MR; q++) {
                int src = Math.min(t0 * MR + q, m - 1);
                ar[q] = aRows[src];
                or[q] = outRows[src];
            }
            float[] acc = new float[tileCount * MR * NR];
            for (int blk = 0; blk < blocks; blk++) {
                int j0 = blk * NR;
                int cols = Math.min(NR, n - j0);
                int pb = blk * depth * NR;
                if (taps.length == 0) {
                    Arrays.fill(acc, 0f);
                }
                // Channels in slices of KC, each slice's panel rows reused by every tile of the group while
                // they are in L1; every element still sums taps, then channels, in ascending order.
                for (int t = 0; t < taps.length; t++) {
                    for (int c0 = 0; c0 < k; c0 += KC) {
                        int kc = Math.min(KC, k - c0);
                        boolean first = t == 0 && c0 == 0;
                        for (int tl = 0; tl < tileCount; tl++) {
                            ImplicitTiles.gatherTap(a, ar, tl * MR, taps[t] + c0, kc, panels, pb + (t * k + c0) * NR,
                                    acc, tl * MR * NR, first);
                        }
                    }
                }
                for (int q = 0; q < tileCount * MR; q++) {
                    if (t0 * MR + q < m) {
                        System.arraycopy(acc, q * NR, out, or[q] + j0, cols);
                    }
                }
            }
        });
    }

    /** {@code b [depth][n]} as column blocks of {@code NR}, each {@code [depth][NR]}, zero-padded on the right. */
    private static float[] packPanels(float[] b, int depth, int n, int blocks) {
        float[] p = new float[blocks * depth * NR];
        Parallel.forEach(blocks, blk -> {
            int j0 = blk * NR;
            int cols = Math.min(NR, n - j0);
            int base = blk * depth * NR;
            for (int d = 0; d < depth; d++) {
                System.arraycopy(b, d * n + j0, p, base + d * NR, cols);
            }
        });
        return p;
    }

    @Override
    public void gatherTransposed(int m, int n, int k, float[] a, int[] aRows, int[] taps, float[] b, int[] bRows, float[] out) {
        ImplicitGemmChecks.gatherTransposed(m, n, k, a, aRows, taps, b, bRows, out);
        int fullBlocks = n / NR;
        int tailCols = n - fullBlocks * NR;
        if (k == 0 || n == 0 || taps.length == 0) {
            return;
        }
        if (m == 0) {
            Arrays.fill(out, 0, taps.length * k * n, 0f);
            return;
        }
        Parallel.forEach(fullBlocks + (tailCols > 0 ? 1 : 0), blk -> {
            int j0 = blk * NR;
            if (blk == fullBlocks) {
                scalarColumns(m, n, k, a, aRows, taps, b, bRows, out, j0, n);
                return;
            }
            for (int i0 = 0; i0 < m; i0 += CHUNK_ROWS) {
                int i1 = Math.min(m, i0 + CHUNK_ROWS);
                boolean first = i0 == 0;
                for (int t = 0; t < taps.length; t++) {
                    int tap = taps[t];
                    int c = 0;
                    for (; c + MR <= k; c += MR) {
                        ImplicitTiles.transposedTile12(a, aRows, tap + c, b, bRows, j0, i0, i1, out, (t * k + c) * n, n, first);
                    }
                    for (; c + 4 <= k; c += 4) {
                        ImplicitTiles.transposedTile4(a, aRows, tap + c, b, bRows, j0, i0, i1, out, (t * k + c) * n, n, first);
                    }
                    for (; c < k; c++) {
                        ImplicitTiles.transposedTile1(a, aRows, tap + c, b, bRows, j0, i0, i1, out, (t * k + c) * n, first);
                    }
                }
            }
        });
    }

    /** Columns {@code [j0, j1)} that do not fill a vector pair, as the reference computes them. */
    private static void scalarColumns(int m, int n, int k, float[] a, int[] aRows, int[] taps, float[] b, int[] bRows,
                                      float[] out, int j0, int j1) {
        for (int t = 0; t < taps.length; t++) {
            for (int c = 0; c < k; c++) {
                int o = (t * k + c) * n;
                int off = taps[t] + c;
                for (int j = j0; j < j1; j++) {
                    float s = 0f;
                    for (int i = 0; i < m; i++) {
                        s = Math.fma(a[aRows[i] + off], b[bRows[i] + j], s);
                    }
                    out[o + j] = s;
                }
            }
        }
    }
}
