package org.lfssd.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register tiles of {@link VectorImplicitGemm}, unrolled by hand because the JIT keeps locals, not
 * array elements, in registers. A tile's accumulators, column vectors and broadcasts must fit the 32
 * AVX-512 registers even when C2 loads every broadcast of a step before its first multiply-add (it does
 * where the rows' bounds checks are hoisted out of the loop): the gather tiles are sized for that
 * ({@link #MR_NARROW}, {@link #MR_WIDE}); the transposed tile reads its broadcasts from one panel and is
 * not spilled at twelve rows. Each method only computes into registers and stores them: with more work in
 * one method the JIT stops inlining the vector operations and boxes them.
 */
final class ImplicitTiles {
    private ImplicitTiles() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Depth indices (tap and channel) of a {@code gatherTransposed} tile. */
    static final int MR = 12;
    /**
     * Rows of a narrow {@code gather} tile: ten rows by two vectors is 20 accumulators, two column vectors
     * and up to ten broadcasts, 32 registers. Twelve rows (the transposed tile's depth, whose broadcasts
     * come from one packed panel and which C2 does not spill) made 38 here, where the row reads' bounds
     * checks are hoisted and C2 loads every broadcast of a step first: it kept five accumulators on the
     * stack, and the tile ran at about 60 % of the ten-row one. See {@link #MR_WIDE}.
     */
    static final int MR_NARROW = 10;
    /** Columns of a tile: two vectors. */
    static final int NR = 2 * L;
    /**
     * Rows of a wide gather tile: five rows by four vectors is 20 accumulators, four column vectors and up
     * to five broadcasts, 29 registers even when C2 loads every broadcast of a step before its first
     * multiply-add, which it does once the bounds checks are hoisted. With six rows that made 34, and C2
     * spilled two accumulators to the stack on every step (a load, a multiply-add and a store each), which
     * cost about a fifth of the tile's speed.
     */
    static final int MR_WIDE = 5;
    /** Columns of a wide gather tile: four vectors. */
    static final int NR_WIDE = 4 * L;


    /**
     * One tap's share of a gather tile: {@code tile[t0 + r·NR + j] (+)= Σ_c a[rows[rowOff + r] + tap + c] · panel[p0 + c·NR + j]}
     * for {@code c < k} ascending, starting from 0 when {@code first}, else from the tile's stored
     * partial sums. The indices are affine in {@code c}, so the JIT proves them in range once per call
     * instead of checking ten scattered loads on every step.
     */
    static void gatherTap(float[] a, int[] rows, int rowOff, int tap, int k, float[] panel, int p0, float[] tile, int t0,
                          boolean first) {
        FloatVector c0a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 0 * NR);
        FloatVector c0b = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 0 * NR + L);
        FloatVector c1a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 1 * NR);
        FloatVector c1b = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 1 * NR + L);
        FloatVector c2a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 2 * NR);
        FloatVector c2b = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 2 * NR + L);
        FloatVector c3a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 3 * NR);
        FloatVector c3b = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 3 * NR + L);
        FloatVector c4a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 4 * NR);
        FloatVector c4b = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 4 * NR + L);
        FloatVector c5a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 5 * NR);
        FloatVector c5b = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 5 * NR + L);
        FloatVector c6a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 6 * NR);
        FloatVector c6b = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 6 * NR + L);
        FloatVector c7a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 7 * NR);
        FloatVector c7b = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 7 * NR + L);
        FloatVector c8a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 8 * NR);
        FloatVector c8b = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 8 * NR + L);
        FloatVector c9a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 9 * NR);
        FloatVector c9b = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 9 * NR + L);
        int r0 = rows[rowOff + 0] + tap;
        int r1 = rows[rowOff + 1] + tap;
        int r2 = rows[rowOff + 2] + tap;
        int r3 = rows[rowOff + 3] + tap;
        int r4 = rows[rowOff + 4] + tap;
        int r5 = rows[rowOff + 5] + tap;
        int r6 = rows[rowOff + 6] + tap;
        int r7 = rows[rowOff + 7] + tap;
        int r8 = rows[rowOff + 8] + tap;
        int r9 = rows[rowOff + 9] + tap;
        for (int c = 0; c < k; c++) {
            int p = p0 + c * NR;
            FloatVector b0 = FloatVector.fromArray(S, panel, p);
            FloatVector b1 = FloatVector.fromArray(S, panel, p + L);
            FloatVector x;
            x = FloatVector.broadcast(S, a[r0 + c]);
            c0a = x.fma(b0, c0a);
            c0b = x.fma(b1, c0b);
            x = FloatVector.broadcast(S, a[r1 + c]);
            c1a = x.fma(b0, c1a);
            c1b = x.fma(b1, c1b);
            x = FloatVector.broadcast(S, a[r2 + c]);
            c2a = x.fma(b0, c2a);
            c2b = x.fma(b1, c2b);
            x = FloatVector.broadcast(S, a[r3 + c]);
            c3a = x.fma(b0, c3a);
            c3b = x.fma(b1, c3b);
            x = FloatVector.broadcast(S, a[r4 + c]);
            c4a = x.fma(b0, c4a);
            c4b = x.fma(b1, c4b);
            x = FloatVector.broadcast(S, a[r5 + c]);
            c5a = x.fma(b0, c5a);
            c5b = x.fma(b1, c5b);
            x = FloatVector.broadcast(S, a[r6 + c]);
            c6a = x.fma(b0, c6a);
            c6b = x.fma(b1, c6b);
            x = FloatVector.broadcast(S, a[r7 + c]);
            c7a = x.fma(b0, c7a);
            c7b = x.fma(b1, c7b);
            x = FloatVector.broadcast(S, a[r8 + c]);
            c8a = x.fma(b0, c8a);
            c8b = x.fma(b1, c8b);
            x = FloatVector.broadcast(S, a[r9 + c]);
            c9a = x.fma(b0, c9a);
            c9b = x.fma(b1, c9b);
        }
        c0a.intoArray(tile, t0 + 0 * NR);
        c0b.intoArray(tile, t0 + 0 * NR + L);
        c1a.intoArray(tile, t0 + 1 * NR);
        c1b.intoArray(tile, t0 + 1 * NR + L);
        c2a.intoArray(tile, t0 + 2 * NR);
        c2b.intoArray(tile, t0 + 2 * NR + L);
        c3a.intoArray(tile, t0 + 3 * NR);
        c3b.intoArray(tile, t0 + 3 * NR + L);
        c4a.intoArray(tile, t0 + 4 * NR);
        c4b.intoArray(tile, t0 + 4 * NR + L);
        c5a.intoArray(tile, t0 + 5 * NR);
        c5b.intoArray(tile, t0 + 5 * NR + L);
        c6a.intoArray(tile, t0 + 6 * NR);
        c6b.intoArray(tile, t0 + 6 * NR + L);
        c7a.intoArray(tile, t0 + 7 * NR);
        c7b.intoArray(tile, t0 + 7 * NR + L);
        c8a.intoArray(tile, t0 + 8 * NR);
        c8b.intoArray(tile, t0 + 8 * NR + L);
        c9a.intoArray(tile, t0 + 9 * NR);
        c9b.intoArray(tile, t0 + 9 * NR + L);
    }

    /**
     * The wide variant of {@link #gatherTap}: {@value #MR_WIDE} rows by four vectors ({@code NR_WIDE}
     * columns), four column loads and five broadcasts per 20 fused multiply-adds instead of two and ten.
     */
    static void gatherTapWide(float[] a, int[] rows, int rowOff, int tap, int k, float[] panel, int p0, float[] tile, int t0,
                              boolean first) {
        FloatVector c00 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 0 * NR_WIDE + 0 * L);
        FloatVector c01 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 0 * NR_WIDE + 1 * L);
        FloatVector c02 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 0 * NR_WIDE + 2 * L);
        FloatVector c03 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 0 * NR_WIDE + 3 * L);
        FloatVector c10 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 1 * NR_WIDE + 0 * L);
        FloatVector c11 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 1 * NR_WIDE + 1 * L);
        FloatVector c12 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 1 * NR_WIDE + 2 * L);
        FloatVector c13 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 1 * NR_WIDE + 3 * L);
        FloatVector c20 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 2 * NR_WIDE + 0 * L);
        FloatVector c21 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 2 * NR_WIDE + 1 * L);
        FloatVector c22 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 2 * NR_WIDE + 2 * L);
        FloatVector c23 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 2 * NR_WIDE + 3 * L);
        FloatVector c30 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 3 * NR_WIDE + 0 * L);
        FloatVector c31 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 3 * NR_WIDE + 1 * L);
        FloatVector c32 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 3 * NR_WIDE + 2 * L);
        FloatVector c33 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 3 * NR_WIDE + 3 * L);
        FloatVector c40 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 4 * NR_WIDE + 0 * L);
        FloatVector c41 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 4 * NR_WIDE + 1 * L);
        FloatVector c42 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 4 * NR_WIDE + 2 * L);
        FloatVector c43 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 4 * NR_WIDE + 3 * L);
        int r0 = rows[rowOff + 0] + tap;
        int r1 = rows[rowOff + 1] + tap;
        int r2 = rows[rowOff + 2] + tap;
        int r3 = rows[rowOff + 3] + tap;
        int r4 = rows[rowOff + 4] + tap;
        for (int c = 0; c < k; c++) {
            int p = p0 + c * NR_WIDE;
            FloatVector b0 = FloatVector.fromArray(S, panel, p + 0 * L);
            FloatVector b1 = FloatVector.fromArray(S, panel, p + 1 * L);
            FloatVector b2 = FloatVector.fromArray(S, panel, p + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, panel, p + 3 * L);
            FloatVector x;
            x = FloatVector.broadcast(S, a[r0 + c]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            c03 = x.fma(b3, c03);
            x = FloatVector.broadcast(S, a[r1 + c]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            c13 = x.fma(b3, c13);
            x = FloatVector.broadcast(S, a[r2 + c]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            c23 = x.fma(b3, c23);
            x = FloatVector.broadcast(S, a[r3 + c]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
            c33 = x.fma(b3, c33);
            x = FloatVector.broadcast(S, a[r4 + c]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            c42 = x.fma(b2, c42);
            c43 = x.fma(b3, c43);
        }
        c00.intoArray(tile, t0 + 0 * NR_WIDE + 0 * L);
        c01.intoArray(tile, t0 + 0 * NR_WIDE + 1 * L);
        c02.intoArray(tile, t0 + 0 * NR_WIDE + 2 * L);
        c03.intoArray(tile, t0 + 0 * NR_WIDE + 3 * L);
        c10.intoArray(tile, t0 + 1 * NR_WIDE + 0 * L);
        c11.intoArray(tile, t0 + 1 * NR_WIDE + 1 * L);
        c12.intoArray(tile, t0 + 1 * NR_WIDE + 2 * L);
        c13.intoArray(tile, t0 + 1 * NR_WIDE + 3 * L);
        c20.intoArray(tile, t0 + 2 * NR_WIDE + 0 * L);
        c21.intoArray(tile, t0 + 2 * NR_WIDE + 1 * L);
        c22.intoArray(tile, t0 + 2 * NR_WIDE + 2 * L);
        c23.intoArray(tile, t0 + 2 * NR_WIDE + 3 * L);
        c30.intoArray(tile, t0 + 3 * NR_WIDE + 0 * L);
        c31.intoArray(tile, t0 + 3 * NR_WIDE + 1 * L);
        c32.intoArray(tile, t0 + 3 * NR_WIDE + 2 * L);
        c33.intoArray(tile, t0 + 3 * NR_WIDE + 3 * L);
        c40.intoArray(tile, t0 + 4 * NR_WIDE + 0 * L);
        c41.intoArray(tile, t0 + 4 * NR_WIDE + 1 * L);
        c42.intoArray(tile, t0 + 4 * NR_WIDE + 2 * L);
        c43.intoArray(tile, t0 + 4 * NR_WIDE + 3 * L);
    }

    /**
     * Adds the rows of one chunk to a tile of the transposed product, {@code MR} depth rows by two vectors of
     * columns: {@code out[o + q·n + v] (+)= Σ_r dp[d0 + r·MR + q] · cp[c0 + r·NR + v]} for {@code r < rows}
     * ascending, starting from 0 when {@code first}, else from the stored partial sums. The panels come
     * from {@link TransposedPanels}; their indices are affine in {@code r} with constant strides, so the
     * JIT checks their bounds once per call instead of on every step.
     */
    static void transposedTile(float[] dp, int d0, float[] cp, int c0, int rows, float[] out, int o, int n, boolean first) {
        FloatVector c0a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 0 * n);
        FloatVector c0b = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 0 * n + L);
        FloatVector c1a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 1 * n);
        FloatVector c1b = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 1 * n + L);
        FloatVector c2a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 2 * n);
        FloatVector c2b = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 2 * n + L);
        FloatVector c3a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 3 * n);
        FloatVector c3b = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 3 * n + L);
        FloatVector c4a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 4 * n);
        FloatVector c4b = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 4 * n + L);
        FloatVector c5a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 5 * n);
        FloatVector c5b = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 5 * n + L);
        FloatVector c6a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 6 * n);
        FloatVector c6b = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 6 * n + L);
        FloatVector c7a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 7 * n);
        FloatVector c7b = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 7 * n + L);
        FloatVector c8a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 8 * n);
        FloatVector c8b = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 8 * n + L);
        FloatVector c9a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 9 * n);
        FloatVector c9b = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 9 * n + L);
        FloatVector c10a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 10 * n);
        FloatVector c10b = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 10 * n + L);
        FloatVector c11a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 11 * n);
        FloatVector c11b = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 11 * n + L);
        for (int r = 0; r < rows; r++) {
            int pd = d0 + r * MR;
            int pc = c0 + r * NR;
            FloatVector b0 = FloatVector.fromArray(S, cp, pc);
            FloatVector b1 = FloatVector.fromArray(S, cp, pc + L);
            FloatVector x;
            x = FloatVector.broadcast(S, dp[pd + 0]);
            c0a = x.fma(b0, c0a);
            c0b = x.fma(b1, c0b);
            x = FloatVector.broadcast(S, dp[pd + 1]);
            c1a = x.fma(b0, c1a);
            c1b = x.fma(b1, c1b);
            x = FloatVector.broadcast(S, dp[pd + 2]);
            c2a = x.fma(b0, c2a);
            c2b = x.fma(b1, c2b);
            x = FloatVector.broadcast(S, dp[pd + 3]);
            c3a = x.fma(b0, c3a);
            c3b = x.fma(b1, c3b);
            x = FloatVector.broadcast(S, dp[pd + 4]);
            c4a = x.fma(b0, c4a);
            c4b = x.fma(b1, c4b);
            x = FloatVector.broadcast(S, dp[pd + 5]);
            c5a = x.fma(b0, c5a);
            c5b = x.fma(b1, c5b);
            x = FloatVector.broadcast(S, dp[pd + 6]);
            c6a = x.fma(b0, c6a);
            c6b = x.fma(b1, c6b);
            x = FloatVector.broadcast(S, dp[pd + 7]);
            c7a = x.fma(b0, c7a);
            c7b = x.fma(b1, c7b);
            x = FloatVector.broadcast(S, dp[pd + 8]);
            c8a = x.fma(b0, c8a);
            c8b = x.fma(b1, c8b);
            x = FloatVector.broadcast(S, dp[pd + 9]);
            c9a = x.fma(b0, c9a);
            c9b = x.fma(b1, c9b);
            x = FloatVector.broadcast(S, dp[pd + 10]);
            c10a = x.fma(b0, c10a);
            c10b = x.fma(b1, c10b);
            x = FloatVector.broadcast(S, dp[pd + 11]);
            c11a = x.fma(b0, c11a);
            c11b = x.fma(b1, c11b);
        }
        c0a.intoArray(out, o + 0 * n);
        c0b.intoArray(out, o + 0 * n + L);
        c1a.intoArray(out, o + 1 * n);
        c1b.intoArray(out, o + 1 * n + L);
        c2a.intoArray(out, o + 2 * n);
        c2b.intoArray(out, o + 2 * n + L);
        c3a.intoArray(out, o + 3 * n);
        c3b.intoArray(out, o + 3 * n + L);
        c4a.intoArray(out, o + 4 * n);
        c4b.intoArray(out, o + 4 * n + L);
        c5a.intoArray(out, o + 5 * n);
        c5b.intoArray(out, o + 5 * n + L);
        c6a.intoArray(out, o + 6 * n);
        c6b.intoArray(out, o + 6 * n + L);
        c7a.intoArray(out, o + 7 * n);
        c7b.intoArray(out, o + 7 * n + L);
        c8a.intoArray(out, o + 8 * n);
        c8b.intoArray(out, o + 8 * n + L);
        c9a.intoArray(out, o + 9 * n);
        c9b.intoArray(out, o + 9 * n + L);
        c10a.intoArray(out, o + 10 * n);
        c10b.intoArray(out, o + 10 * n + L);
        c11a.intoArray(out, o + 11 * n);
        c11b.intoArray(out, o + 11 * n + L);
    }
}
