package org.lfssd.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Copies one chunk of rows of both operands of {@link VectorImplicitGemm#gatherTransposed} into the
 * panels {@link ImplicitTiles#transposedTile} streams through: a depth panel holds, for each row of the
 * chunk, the {@value ImplicitTiles#MR} gathered values {@code a[aRows[i] + taps[t] + c]} of one tile of
 * depth indices {@code d = t·k + c} side by side; a column panel holds, for each row, the
 * {@link ImplicitTiles#NR} values {@code b[bRows[i] + j]} of one column block. The tile then reads both
 * at fixed strides, with no offset table, which lets the JIT hoist every bounds check out of its loop;
 * going through the tables in the tile cost it about as many instructions as its multiply-adds.
 *
 * <p>Packing only copies floats, so it cannot change a sum.
 */
final class TransposedPanels {
    private TransposedPanels() {}

    private static final VectorSpecies<Float> S = ImplicitTiles.S;
    private static final int L = S.length();
    private static final int MR = ImplicitTiles.MR;
    private static final int NR = ImplicitTiles.NR;
    /**
     * How far a depth panel's vector copies may write past the {@code MR} values of a row (at most {@code L - 4}): the surplus
     * lanes land in the next row's slot (or the next panel's first row), written after, so they never
     * survive; after the last panel of a chunk they need this much room in the buffer.
     */
    static final int DEPTH_OVERRUN = L;

    /**
     * The offset of each depth index of tiles {@code [tile0, tile1)} within a window, {@code taps[t] + c}
     * for {@code d = t·k + c}, tile by tile; 0 past the last index {@code taps.length·k} (not read).
     */
    static int[] depthOffsets(int[] taps, int k, int tile0, int tile1) {
        int depth = taps.length * k;
        int[] offsets = new int[(tile1 - tile0) * MR];
        for (int q = 0; q < offsets.length; q++) {
            int d = tile0 * MR + q;
            offsets[q] = d < depth ? taps[d / k] + d % k : 0;
        }
        return offsets;
    }

    /**
     * Packs rows {@code [i0, i0 + rows)} of one depth tile into {@code dst[base + r·MR + q]}, the tile's
     * offsets being {@code offsets[o .. o + MR)}, of which the first {@code valid} are depth indices (the
     * rest is packed as 0). With {@code quads} (the indices come in runs of four consecutive channels of
     * one tap, as they do when {@code k} is a multiple of four) and a full tile, each run is one vector
     * copy, and a tile that stays within one tap is one copy per row (more where vectors are narrower
     * than the tile); else the values are copied one by one.
     */
    static void packDepthTile(float[] a, int[] aRows, int i0, int rows, int[] offsets, int o, int valid, boolean quads,
                              float[] dst, int base) {
        boolean vectors = quads && valid == MR;
        int o0 = offsets[o];
        int o1 = offsets[o + 4];
        int o2 = offsets[o + 8];
        boolean contiguous = o1 == o0 + 4 && o2 == o0 + 8;
        // The copies read L floats from each start: rows whose reads would pass the end of a take the slow path.
        int reach = contiguous ? o0 + (MR + L - 1) / L * L : Math.max(o0, Math.max(o1, o2)) + L;
        for (int r = 0; r < rows; r++) {
            int s = aRows[i0 + r];
            int p = base + r * MR;
            if (vectors && s + reach <= a.length) {
                if (contiguous) {
                    for (int q = 0; q < MR; q += L) {
                        FloatVector.fromArray(S, a, s + o0 + q).intoArray(dst, p + q);
                    }
                } else {
                    // In this order each copy's surplus lanes are overwritten by the next one.
                    FloatVector.fromArray(S, a, s + o0).intoArray(dst, p);
                    FloatVector.fromArray(S, a, s + o1).intoArray(dst, p + 4);
                    FloatVector.fromArray(S, a, s + o2).intoArray(dst, p + 8);
                }
            } else {
                for (int q = 0; q < MR; q++) {
                    dst[p + q] = q < valid ? a[s + offsets[o + q]] : 0f;
                }
            }
        }
    }

    /** Packs rows {@code [i0, i0 + rows)} of columns {@code [j0, j0 + NR)} into {@code dst[base + r·NR + j]}. */
    static void packColumns(float[] b, int[] bRows, int i0, int rows, int j0, float[] dst, int base) {
        for (int r = 0; r < rows; r++) {
            int s = bRows[i0 + r] + j0;
            int p = base + r * NR;
            FloatVector.fromArray(S, b, s).intoArray(dst, p);
            FloatVector.fromArray(S, b, s + L).intoArray(dst, p + L);
        }
    }
}
