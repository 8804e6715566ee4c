package org.lfssd.kernels.vector;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.lfssd.kernels.ImplicitGemm;
import org.lfssd.kernels.ImplicitGemmChecks;
import org.lfssd.kernels.Parallel;
import org.lfssd.kernels.Workspace;

/**
 * SIMD {@link ImplicitGemm}: register-blocked tiles that read the image through the offset tables, with
 * no column matrix.
 *
 * <p>{@link #gather}: tiles of {@value ImplicitTiles#MR_WIDE} output rows by four vectors of columns where
 * the columns come in such blocks, else {@value ImplicitTiles#MR} rows by two vectors; the
 * column block of {@code b} packed once per call into contiguous panels (so the tile streams it) and the
 * rows' image windows read in place; a tile sums one tap's channels in registers per call, its partial
 * sums passing from tap to tap through the group's tile buffer (in L2). A task is one column
 * block of a group of row tiles (see {@link #tilesPerGroup}).
 *
 * <p>{@link #gatherTransposed}: tiles of {@value ImplicitTiles#MR} channels by two vectors of columns,
 * summed over rows in chunks that stay in cache (every tap and channel tile of a chunk before the next
 * chunk); a tile's partial sum goes to the output and is reloaded for the next chunk, which keeps the
 * ascending-row order of every sum. A task is one column block of one group of channel tiles (see
 * {@link #channelGroups}): a task owns its outputs, so the split cannot change a result.
 *
 * <p>Each output element is one chain of fused multiply-adds in the order {@link ImplicitGemm} fixes,
 * exactly as the scalar reference computes it, so the two agree bit for bit.
 */
final class VectorImplicitGemm implements ImplicitGemm {
    private static final VectorSpecies<Float> S = ImplicitTiles.S;
    private static final int MR = ImplicitTiles.MR;
    private static final int NR = ImplicitTiles.NR;
    /** The most row tiles one task of {@link #gather} takes. */
    private static final int MAX_GROUP_TILES = 64;
    /** Tasks {@link #gather} makes at least, where there are enough rows. */
    private static final int MIN_TASKS = 8;
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
        gatherPanels(m, n, k, a, aRows, taps, packPanels(b, taps.length * k, n), 0, out, outRows);
    }

    /**
     * Column panels: {@code [blocks][depth][nr]}, wide ({@value ImplicitTiles#NR_WIDE} columns) where the
     * columns come in whole wide blocks, the last block zero-padded on the right.
     */
    private record Panels(float[] data, int depth, int n, boolean wide) implements Packed {
        int nr() {
            return wide ? ImplicitTiles.NR_WIDE : NR;
        }

        int blocks() {
            return (n + nr() - 1) / nr();
        }
    }

    @Override
    public Packed pack(float[] b, int depth, int n) {
        ImplicitGemmChecks.pack(b, depth, n);
        return packPanels(b, depth, n);
    }

    @Override
    public void gather(int m, int n, int k, float[] a, int[] aRows, int[] taps, Packed b, int bRow, float[] out,
                       int[] outRows) {
        if (!(b instanceof Panels p)) {
            throw new IllegalArgumentException("gather: the packed operand " + b.getClass().getName()
                    + " was not made by " + name());
        }
        ImplicitGemmChecks.gather(m, n, k, a, aRows, taps, b, bRow, out, outRows);
        if (m == 0 || n == 0) {
            return;
        }
        gatherPanels(m, n, k, a, aRows, taps, p, bRow, out, outRows);
    }

    /** The product, reading the right operand's tap {@code t}, channel {@code c} from panel row {@code bRow + t·k + c}. */
    private static void gatherPanels(int m, int n, int k, float[] a, int[] aRows, int[] taps, Panels p, int bRow,
                                     float[] out, int[] outRows) {
        // Wide tiles load fewer operands per multiply-add (measured about a quarter faster); they need
        // whole blocks of four vectors, which every ResNet layer has.
        boolean wide = p.wide();
        int nr = p.nr();
        int mr = wide ? ImplicitTiles.MR_WIDE : MR;
        int blocks = p.blocks();
        int depth = p.depth();
        float[] panels = p.data();
        int tiles = (m + mr - 1) / mr;
        int groupTiles = tilesPerGroup(tiles, blocks);
        int groups = (tiles + groupTiles - 1) / groupTiles;
        Parallel.forEach(groups * blocks, task -> {
            int blk = task % blocks;
            int t0 = (task / blocks) * groupTiles;
            int tileCount = Math.min(tiles, t0 + groupTiles) - t0;
            // Each tile's rows, a short last tile repeating its last row (computed and written twice, identically).
            int[] ar = new int[tileCount * mr];
            int[] or = new int[tileCount * mr];
            for (int q = 0; q < tileCount * mr; q++) {
                int src = Math.min(t0 * mr + q, m - 1);
                ar[q] = aRows[src];
                or[q] = outRows[src];
            }
            // Reused per thread: a task's tiles are written before they are read (the first tap starts the sums).
            float[] acc = Workspace.get(Workspace.Slot.IMPLICIT_GEMM_TILES, tileCount * mr * nr);
            int j0 = blk * nr;
            int cols = Math.min(nr, n - j0);
            int pb = (blk * depth + bRow) * nr;
            if (taps.length == 0 || k == 0) {
                Arrays.fill(acc, 0, tileCount * mr * nr, 0f);
            }
            // Channels in slices of KC, each slice's panel rows reused by every tile of the group while they
            // are in L1; every element still sums taps, then channels, in ascending order.
            for (int t = 0; t < taps.length; t++) {
                for (int c0 = 0; c0 < k; c0 += KC) {
                    int kc = Math.min(KC, k - c0);
                    boolean first = t == 0 && c0 == 0;
                    for (int tl = 0; tl < tileCount; tl++) {
                        if (wide) {
                            ImplicitTiles.gatherTapWide(a, ar, tl * mr, taps[t] + c0, kc, panels, pb + (t * k + c0) * nr,
                                    acc, tl * mr * nr, first);
                        } else {
                            ImplicitTiles.gatherTap(a, ar, tl * mr, taps[t] + c0, kc, panels, pb + (t * k + c0) * nr,
                                    acc, tl * mr * nr, first);
                        }
                    }
                }
            }
            for (int q = 0; q < tileCount * mr; q++) {
                if (t0 * mr + q < m) {
                    System.arraycopy(acc, q * nr, out, or[q] + j0, cols);
                }
            }
        });
    }

    /**
     * Row tiles per task of {@link #gather}: a task is one column block of one group of row tiles, so each
     * task streams its block's panel once and the group's image windows once. Groups are as large as keeps
     * their windows and partial sums in L2 ({@value #MAX_GROUP_TILES} tiles), but small enough to give at
     * least {@value #MIN_TASKS} tasks when there are few column blocks. A function of the sizes only.
     */
    static int tilesPerGroup(int tiles, int blocks) {
        int groupsWanted = Math.max(1, (MIN_TASKS + blocks - 1) / blocks);
        int perGroup = (tiles + groupsWanted - 1) / groupsWanted;
        return Math.max(1, Math.min(MAX_GROUP_TILES, perGroup));
    }

    /** {@code b [depth][n]} as column blocks of {@code nr}, each {@code [depth][nr]}, zero-padded on the right. */
    private static Panels packPanels(float[] b, int depth, int n) {
        boolean wide = n % ImplicitTiles.NR_WIDE == 0;
        int nr = wide ? ImplicitTiles.NR_WIDE : NR;
        int blocks = (n + nr - 1) / nr;
        float[] p = new float[blocks * depth * nr];
        Parallel.forEach(blocks, blk -> {
            int j0 = blk * nr;
            int cols = Math.min(nr, n - j0);
            int base = blk * depth * nr;
            for (int d = 0; d < depth; d++) {
                System.arraycopy(b, d * n + j0, p, base + d * nr, cols);
            }
        });
        return new Panels(p, depth, n, wide);
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
        // Channel tiles: as many of MR as fit, then of 4, then single channels.
        int full = k / MR;
        int quads = (k - full * MR) / 4;
        int singles = k - full * MR - quads * 4;
        int channelTiles = full + quads + singles;
        int blocks = fullBlocks + (tailCols > 0 ? 1 : 0);
        int channelGroups = channelGroups(blocks, channelTiles);
        Parallel.forEach(blocks * channelGroups, task -> {
            int blk = task / channelGroups;
            int group = task % channelGroups;
            int j0 = blk * NR;
            if (blk == fullBlocks) {
                if (group == 0) {
                    scalarColumns(m, n, k, a, aRows, taps, b, bRows, out, j0, n);
                }
                return;
            }
            int tile0 = (int) ((long) channelTiles * group / channelGroups);
            int tile1 = (int) ((long) channelTiles * (group + 1) / channelGroups);
            for (int i0 = 0; i0 < m; i0 += CHUNK_ROWS) {
                int i1 = Math.min(m, i0 + CHUNK_ROWS);
                boolean first = i0 == 0;
                for (int t = 0; t < taps.length; t++) {
                    int tap = taps[t];
                    for (int tile = tile0; tile < tile1; tile++) {
                        if (tile < full) {
                            int c = tile * MR;
                            ImplicitTiles.transposedTile12(a, aRows, tap + c, b, bRows, j0, i0, i1, out, (t * k + c) * n, n, first);
                        } else if (tile < full + quads) {
                            int c = full * MR + (tile - full) * 4;
                            ImplicitTiles.transposedTile4(a, aRows, tap + c, b, bRows, j0, i0, i1, out, (t * k + c) * n, n, first);
                        } else {
                            int c = full * MR + quads * 4 + (tile - full - quads);
                            ImplicitTiles.transposedTile1(a, aRows, tap + c, b, bRows, j0, i0, i1, out, (t * k + c) * n, first);
                        }
                    }
                }
            }
        });
    }

    /**
     * Groups of channel tiles per column block of {@link #gatherTransposed}: enough tasks in all
     * ({@value #MIN_TASKS}) that two threads stay balanced when there are few column blocks (a 64-channel
     * layer has two), but no more than needed, since every group rereads its block's rows of {@code b}.
     * Groups own disjoint outputs, so the split cannot change a result. A function of the sizes only.
     */
    static int channelGroups(int blocks, int channelTiles) {
        int wanted = (MIN_TASKS + blocks - 1) / blocks;
        return Math.max(1, Math.min(channelTiles, wanted));
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
