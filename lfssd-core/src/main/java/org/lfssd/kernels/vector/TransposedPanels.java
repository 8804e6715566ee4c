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
     * How far a depth panel's vector copies may write past the {@code MR} values of a row (at most
     * {@code L - 4}): past a panel's last row they need this much room before the next panel.
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
     * Packs rows {@code [i0, i0 + rows)} of depth tiles {@code [0, tiles)} (offsets {@code offsets[t·MR + q]})
     * into {@code dst[t·panelStride + r·MR + q]}; of the last tile only the first {@code lastValid} values
     * are depth indices (the rest is packed as 0). With {@code quads} (the indices come in runs of four
     * consecutive channels of one tap, as they do when {@code k} is a multiple of four), each run of a
     * full tile is one vector copy, and a tile that stays within one tap one copy per row (more where
     * vectors are narrower than the tile); else the values are copied one by one. Row by row, so that
     * each pixel's channels are read in order; a copy's surplus lanes land in the next row's slot,
     * written after, or past the tile's last row, which {@code panelStride} leaves room for
     * ({@link #DEPTH_OVERRUN}).
     */
    static void packDepthTiles(float[] a, int[] aRows, int i0, int rows, int[] offsets, int tiles, int lastValid,
                               boolean quads, float[] dst, int panelStride) {
        int vectorTiles = quads ? (lastValid == MR ? tiles : tiles - 1) : 0;
        // Rows whose vector copies would read past the end of a (they read L floats from each start) go one by one.
        int reach = 0;
        for (int t = 0; t < vectorTiles; t++) {
            reach = Math.max(reach, Math.max(offsets[t * MR] + (MR + L - 1) / L * L,
                    Math.max(offsets[t * MR + 4], offsets[t * MR + 8]) + L));
        }
        for (int r = 0; r < rows; r++) {
            int s = aRows[i0 + r];
            int slow = 0;
            if (s + reach <= a.length) {
                for (int t = 0; t < vectorTiles; t++) {
                    copyTileRow(a, s, offsets, t * MR, dst, t * panelStride + r * MR);
                }
                slow = vectorTiles;
            }
            for (int t = slow; t < tiles; t++) {
                int valid = t == tiles - 1 ? lastValid : MR;
                int p = t * panelStride + r * MR;
                for (int q = 0; q < MR; q++) {
                    dst[p + q] = q < valid ? a[s + offsets[t * MR + q]] : 0f;
                }
            }
        }
    }

    /** One row of a full tile whose indices come in runs of four: {@code dst[p + q] = a[s + offsets[o + q]]}, by vector copies. */
    private static void copyTileRow(float[] a, int s, int[] offsets, int o, float[] dst, int p) {
        int o0 = offsets[o];
        int o1 = offsets[o + 4];
        int o2 = offsets[o + 8];
        if (o1 == o0 + 4 && o2 == o0 + 8) {
            for (int q = 0; q < MR; q += L) {
                FloatVector.fromArray(S, a, s + o0 + q).intoArray(dst, p + q);
            }
        } else {
            // In this order each copy's surplus lanes are overwritten by the next one.
            FloatVector.fromArray(S, a, s + o0).intoArray(dst, p);
            FloatVector.fromArray(S, a, s + o1).intoArray(dst, p + 4);
            FloatVector.fromArray(S, a, s + o2).intoArray(dst, p + 8);
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
