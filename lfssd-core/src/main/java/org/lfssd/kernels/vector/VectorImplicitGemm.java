package org.lfssd.kernels.vector;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.lfssd.kernels.ImplicitGemm;
import org.lfssd.kernels.ImplicitGemmChecks;
import org.lfssd.kernels.Parallel;
import org.lfssd.kernels.TaskList;
import org.lfssd.kernels.Workspace;

/**
 * SIMD {@link ImplicitGemm}: register-blocked tiles that read the image through the offset tables, with
 * no column matrix.
 *
 * <p>{@link #gather}: tiles of {@value ImplicitTiles#MR_WIDE} output rows by four vectors of columns where
 * the columns come in such blocks, else {@value ImplicitTiles#MR_NARROW} rows by two vectors; the
 * column block of {@code b} packed once per call into contiguous panels (so the tile streams it) and the
 * rows' image windows read in place; a tile sums one tap's channels in registers per call, its partial
 * sums passing from tap to tap through the group's tile buffer (in L2). A task is one column
 * block of a group of row tiles (see {@link #tilesPerGroup}).
 *
 * <p>{@link #gatherTransposed}: the depth {@code taps.length·k} (tap-major, channel-minor) cut into tiles
 * of {@value ImplicitTiles#MR}, the columns into blocks of two vectors, the rows into chunks of
 * {@value #CHUNK_ROWS}. Chunk by chunk, both operands are gathered through their tables into contiguous
 * panels ({@link TransposedPanels}) and every tile of the depth by every column block adds the chunk to
 * its partial sums in {@code out} ({@link ImplicitTiles#transposedTile}), which keeps the ascending-row
 * order of every sum. A task is one group of depth tiles with all the column blocks (see
 * {@link #depthGroups}); columns that do not fill a block are one more task, summed as the reference
 * does. A task owns its outputs, so the split cannot change a result.
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
    /** Rows per chunk of {@link #gatherTransposed}: packed, a depth tile's panel (6 KiB) stays in L1 while it meets every column block. */
    private static final int CHUNK_ROWS = 128;
    /** Depth tiles per task of {@link #gatherTransposed} that make packing the column panels a small share of its work. */
    private static final int MIN_GROUP_TILES = 24;
    /** Floats per packed depth panel of a chunk, with room for the vector copies' overrun. */
    private static final int DEPTH_PANEL = CHUNK_ROWS * MR + TransposedPanels.DEPTH_OVERRUN;
    /** The most tasks {@link #gatherTransposed} makes. */
    private static final int MAX_DEPTH_GROUPS = 4;

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
        Parallel.forEach(gatherPanels(m, n, k, a, aRows, taps, packPanels(b, taps.length * k, n), 0, out, outRows));
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
        Parallel.forEach(gatherTasks(m, n, k, a, aRows, taps, b, bRow, out, outRows));
    }

    @Override
    public TaskList gatherTasks(int m, int n, int k, float[] a, int[] aRows, int[] taps, Packed b, int bRow, float[] out,
                                int[] outRows) {
        if (!(b instanceof Panels p)) {
            throw new IllegalArgumentException("gather: the packed operand " + b.getClass().getName()
                    + " was not made by " + name());
        }
        ImplicitGemmChecks.gather(m, n, k, a, aRows, taps, b, bRow, out, outRows);
        if (m == 0 || n == 0) {
            return TaskList.NONE;
        }
        return gatherPanels(m, n, k, a, aRows, taps, p, bRow, out, outRows);
    }

    /**
     * The tasks of the product, reading the right operand's tap {@code t}, channel {@code c} from panel row
     * {@code bRow + t·k + c}.
     */
    private static TaskList gatherPanels(int m, int n, int k, float[] a, int[] aRows, int[] taps, Panels p, int bRow,
                                         float[] out, int[] outRows) {
        // Wide tiles load fewer operands per multiply-add (measured about a quarter faster); they need
        // whole blocks of four vectors, which every ResNet layer has.
        boolean wide = p.wide();
        int nr = p.nr();
        int mr = wide ? ImplicitTiles.MR_WIDE : ImplicitTiles.MR_NARROW;
        int blocks = p.blocks();
        int depth = p.depth();
        float[] panels = p.data();
        int tiles = (m + mr - 1) / mr;
        // On one thread the tasks only cost: one group of as many tiles as stay in L2 reuses each panel slice
        // across all of them (Winograd's sixteen small products per tile group run this way).
        int groupTiles = Parallel.runsInline() ? Math.min(tiles, MAX_GROUP_TILES) : tilesPerGroup(tiles, blocks);
        int groups = (tiles + groupTiles - 1) / groupTiles;
        return new TaskList(groups * blocks, task -> {
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
        Parallel.forEach(gatherTransposedTasks(m, n, k, a, aRows, taps, b, bRows, out));
    }

    @Override
    public TaskList gatherTransposedTasks(int m, int n, int k, float[] a, int[] aRows, int[] taps, float[] b, int[] bRows,
                                          float[] out) {
        ImplicitGemmChecks.gatherTransposed(m, n, k, a, aRows, taps, b, bRows, out);
        if (k == 0 || n == 0 || taps.length == 0) {
            return TaskList.NONE;
        }
        if (m == 0) {
            return new TaskList(1, t -> Arrays.fill(out, 0, taps.length * k * n, 0f));
        }
        int depth = taps.length * k;
        int blocks = n / NR;
        boolean tailColumns = blocks * NR < n;
        int tiles = (depth + MR - 1) / MR;
        int groups = blocks == 0 ? 0 : depthGroups(tiles);
        // Whole runs of four channels of one tap let a row of a depth panel be packed by vector copies.
        boolean quads = k % 4 == 0;
        return new TaskList(groups + (tailColumns ? 1 : 0), task -> {
            if (task == groups) {
                scalarColumns(m, n, k, a, aRows, taps, b, bRows, out, blocks * NR, n);
                return;
            }
            int tile0 = (int) ((long) tiles * task / groups);
            int tile1 = (int) ((long) tiles * (task + 1) / groups);
            transposedGroup(m, n, k, a, aRows, taps, b, bRows, out, tile0, tile1, blocks, quads);
        });
    }

    /**
     * Depth tiles {@code [tile0, tile1)} of {@link #gatherTransposed}, all full column blocks: chunk by
     * chunk of rows, both operands are packed into panels (the column panels once for all the group's
     * tiles, each depth panel once for all column blocks), then every tile adds the chunk to its partial
     * sums in {@code out}, which keeps the ascending-row order of every sum.
     */
    private static void transposedGroup(int m, int n, int k, float[] a, int[] aRows, int[] taps, float[] b, int[] bRows,
                                        float[] out, int tile0, int tile1, int blocks, boolean quads) {
        int depth = taps.length * k;
        int tiles = tile1 - tile0;
        int[] offsets = TransposedPanels.depthOffsets(taps, k, tile0, tile1);
        int depthPanels = tiles * DEPTH_PANEL;
        int columnPanels = blocks * CHUNK_ROWS * NR;
        float[] panels = Workspace.get(Workspace.Slot.IMPLICIT_GEMM_PANELS, depthPanels + columnPanels + MR * NR);
        int edge = depthPanels + columnPanels;
        for (int i0 = 0; i0 < m; i0 += CHUNK_ROWS) {
            int rows = Math.min(CHUNK_ROWS, m - i0);
            boolean first = i0 == 0;
            for (int blk = 0; blk < blocks; blk++) {
                TransposedPanels.packColumns(b, bRows, i0, rows, blk * NR, panels, depthPanels + blk * CHUNK_ROWS * NR);
            }
            TransposedPanels.packDepthTiles(a, aRows, i0, rows, offsets, tiles, depth - (tile1 - 1) * MR, quads, panels,
                    DEPTH_PANEL);
            for (int t = 0; t < tiles; t++) {
                int d = (tile0 + t) * MR;
                int valid = Math.min(MR, depth - d);
                for (int blk = 0; blk < blocks; blk++) {
                    int o = d * n + blk * NR;
                    int dp = t * DEPTH_PANEL;
                    int cp = depthPanels + blk * CHUNK_ROWS * NR;
                    if (valid == MR) {
                        ImplicitTiles.transposedTile(panels, dp, panels, cp, rows, out, o, n, first);
                    } else {
                        // The last tile, past the end of the depth: its valid rows go through a full tile of scratch.
                        for (int q = 0; q < valid && !first; q++) {
                            System.arraycopy(out, o + q * n, panels, edge + q * NR, NR);
                        }
                        ImplicitTiles.transposedTile(panels, dp, panels, cp, rows, panels, edge, NR, first);
                        for (int q = 0; q < valid; q++) {
                            System.arraycopy(panels, edge + q * NR, out, o + q * n, NR);
                        }
                    }
                }
            }
        }
    }

    /**
     * Groups of depth tiles of {@link #gatherTransposed}, one task each: every group packs the column
     * panels of each chunk for itself, so groups of at least {@value #MIN_GROUP_TILES} tiles keep that a
     * small share of the work; two groups at least so two threads both work, at most
     * {@value #MAX_DEPTH_GROUPS}. Groups own disjoint outputs, so the split cannot change a result. A
     * function of the sizes only.
     */
    static int depthGroups(int tiles) {
        return Math.max(1, Math.min(tiles, Math.max(2, Math.min(MAX_DEPTH_GROUPS, tiles / MIN_GROUP_TILES))));
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
