package org.lfssd.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register tiles of {@link VectorImplicitGemm}, unrolled by hand because the JIT keeps locals, not
 * array elements, in registers (twelve rows by two vectors is 24 accumulators, two column
 * vectors and one broadcast, 27 of the 32 AVX-512 registers, as in {@link MicroKernel}). Each method only
 * computes into registers and stores them: with more work in one method the JIT stops inlining the vector
 * operations and boxes them.
 */
final class ImplicitTiles {
    private ImplicitTiles() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rows of a {@code gather} tile, channels of a {@code gatherTransposed} tile. */
    static final int MR = 12;
    /** Columns of a tile: two vectors. */
    static final int NR = 2 * L;


    /**
     * One tap's share of a gather tile: {@code tile[t0 + r·NR + j] (+)= Σ_c a[rows[rowOff + r] + tap + c] · panel[p0 + c·NR + j]}
     * for {@code c < k} ascending, starting from 0 when {@code first}, else from the tile's stored
     * partial sums. The indices are affine in {@code c}, so the JIT proves them in range once per call
     * instead of checking twelve scattered loads on every step.
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
        FloatVector c10a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 10 * NR);
        FloatVector c10b = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 10 * NR + L);
        FloatVector c11a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 11 * NR);
        FloatVector c11b = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 11 * NR + L);
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
        int r10 = rows[rowOff + 10] + tap;
        int r11 = rows[rowOff + 11] + tap;
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
            x = FloatVector.broadcast(S, a[r10 + c]);
            c10a = x.fma(b0, c10a);
            c10b = x.fma(b1, c10b);
            x = FloatVector.broadcast(S, a[r11 + c]);
            c11a = x.fma(b0, c11a);
            c11b = x.fma(b1, c11b);
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
        c10a.intoArray(tile, t0 + 10 * NR);
        c10b.intoArray(tile, t0 + 10 * NR + L);
        c11a.intoArray(tile, t0 + 11 * NR);
        c11b.intoArray(tile, t0 + 11 * NR + L);
    }

    /**
     * Adds rows {@code [i0, i1)} to 12 channel row(s) {@code out[o + r·n + j0 ..+NR]} of the transposed
     * product: {@code += a[aRows[i] + off + r] · b[bRows[i] + j0 + j]} in ascending {@code i}; {@code first}
     * starts the sums from 0 instead of the stored partials.
     */
    static void transposedTile12(float[] a, int[] aRows, int off, float[] b, int[] bRows, int j0, int i0, int i1,
                                float[] out, int o, int n, boolean first) {
        FloatVector c0a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 0 * n + j0);
        FloatVector c0b = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 0 * n + j0 + L);
        FloatVector c1a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 1 * n + j0);
        FloatVector c1b = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 1 * n + j0 + L);
        FloatVector c2a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 2 * n + j0);
        FloatVector c2b = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 2 * n + j0 + L);
        FloatVector c3a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 3 * n + j0);
        FloatVector c3b = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 3 * n + j0 + L);
        FloatVector c4a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 4 * n + j0);
        FloatVector c4b = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 4 * n + j0 + L);
        FloatVector c5a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 5 * n + j0);
        FloatVector c5b = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 5 * n + j0 + L);
        FloatVector c6a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 6 * n + j0);
        FloatVector c6b = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 6 * n + j0 + L);
        FloatVector c7a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 7 * n + j0);
        FloatVector c7b = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 7 * n + j0 + L);
        FloatVector c8a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 8 * n + j0);
        FloatVector c8b = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 8 * n + j0 + L);
        FloatVector c9a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 9 * n + j0);
        FloatVector c9b = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 9 * n + j0 + L);
        FloatVector c10a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 10 * n + j0);
        FloatVector c10b = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 10 * n + j0 + L);
        FloatVector c11a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 11 * n + j0);
        FloatVector c11b = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 11 * n + j0 + L);
        for (int i = i0; i < i1; i++) {
            int xa = aRows[i] + off;
            int bb = bRows[i] + j0;
            FloatVector b0 = FloatVector.fromArray(S, b, bb);
            FloatVector b1 = FloatVector.fromArray(S, b, bb + L);
            FloatVector x;
            x = FloatVector.broadcast(S, a[xa + 0]);
            c0a = x.fma(b0, c0a);
            c0b = x.fma(b1, c0b);
            x = FloatVector.broadcast(S, a[xa + 1]);
            c1a = x.fma(b0, c1a);
            c1b = x.fma(b1, c1b);
            x = FloatVector.broadcast(S, a[xa + 2]);
            c2a = x.fma(b0, c2a);
            c2b = x.fma(b1, c2b);
            x = FloatVector.broadcast(S, a[xa + 3]);
            c3a = x.fma(b0, c3a);
            c3b = x.fma(b1, c3b);
            x = FloatVector.broadcast(S, a[xa + 4]);
            c4a = x.fma(b0, c4a);
            c4b = x.fma(b1, c4b);
            x = FloatVector.broadcast(S, a[xa + 5]);
            c5a = x.fma(b0, c5a);
            c5b = x.fma(b1, c5b);
            x = FloatVector.broadcast(S, a[xa + 6]);
            c6a = x.fma(b0, c6a);
            c6b = x.fma(b1, c6b);
            x = FloatVector.broadcast(S, a[xa + 7]);
            c7a = x.fma(b0, c7a);
            c7b = x.fma(b1, c7b);
            x = FloatVector.broadcast(S, a[xa + 8]);
            c8a = x.fma(b0, c8a);
            c8b = x.fma(b1, c8b);
            x = FloatVector.broadcast(S, a[xa + 9]);
            c9a = x.fma(b0, c9a);
            c9b = x.fma(b1, c9b);
            x = FloatVector.broadcast(S, a[xa + 10]);
            c10a = x.fma(b0, c10a);
            c10b = x.fma(b1, c10b);
            x = FloatVector.broadcast(S, a[xa + 11]);
            c11a = x.fma(b0, c11a);
            c11b = x.fma(b1, c11b);
        }
        c0a.intoArray(out, o + 0 * n + j0);
        c0b.intoArray(out, o + 0 * n + j0 + L);
        c1a.intoArray(out, o + 1 * n + j0);
        c1b.intoArray(out, o + 1 * n + j0 + L);
        c2a.intoArray(out, o + 2 * n + j0);
        c2b.intoArray(out, o + 2 * n + j0 + L);
        c3a.intoArray(out, o + 3 * n + j0);
        c3b.intoArray(out, o + 3 * n + j0 + L);
        c4a.intoArray(out, o + 4 * n + j0);
        c4b.intoArray(out, o + 4 * n + j0 + L);
        c5a.intoArray(out, o + 5 * n + j0);
        c5b.intoArray(out, o + 5 * n + j0 + L);
        c6a.intoArray(out, o + 6 * n + j0);
        c6b.intoArray(out, o + 6 * n + j0 + L);
        c7a.intoArray(out, o + 7 * n + j0);
        c7b.intoArray(out, o + 7 * n + j0 + L);
        c8a.intoArray(out, o + 8 * n + j0);
        c8b.intoArray(out, o + 8 * n + j0 + L);
        c9a.intoArray(out, o + 9 * n + j0);
        c9b.intoArray(out, o + 9 * n + j0 + L);
        c10a.intoArray(out, o + 10 * n + j0);
        c10b.intoArray(out, o + 10 * n + j0 + L);
        c11a.intoArray(out, o + 11 * n + j0);
        c11b.intoArray(out, o + 11 * n + j0 + L);
    }

    /**
     * Adds rows {@code [i0, i1)} to 4 channel row(s) {@code out[o + r·n + j0 ..+NR]} of the transposed
     * product: {@code += a[aRows[i] + off + r] · b[bRows[i] + j0 + j]} in ascending {@code i}; {@code first}
     * starts the sums from 0 instead of the stored partials.
     */
    static void transposedTile4(float[] a, int[] aRows, int off, float[] b, int[] bRows, int j0, int i0, int i1,
                                float[] out, int o, int n, boolean first) {
        FloatVector c0a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 0 * n + j0);
        FloatVector c0b = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 0 * n + j0 + L);
        FloatVector c1a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 1 * n + j0);
        FloatVector c1b = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 1 * n + j0 + L);
        FloatVector c2a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 2 * n + j0);
        FloatVector c2b = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 2 * n + j0 + L);
        FloatVector c3a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 3 * n + j0);
        FloatVector c3b = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 3 * n + j0 + L);
        for (int i = i0; i < i1; i++) {
            int xa = aRows[i] + off;
            int bb = bRows[i] + j0;
            FloatVector b0 = FloatVector.fromArray(S, b, bb);
            FloatVector b1 = FloatVector.fromArray(S, b, bb + L);
            FloatVector x;
            x = FloatVector.broadcast(S, a[xa + 0]);
            c0a = x.fma(b0, c0a);
            c0b = x.fma(b1, c0b);
            x = FloatVector.broadcast(S, a[xa + 1]);
            c1a = x.fma(b0, c1a);
            c1b = x.fma(b1, c1b);
            x = FloatVector.broadcast(S, a[xa + 2]);
            c2a = x.fma(b0, c2a);
            c2b = x.fma(b1, c2b);
            x = FloatVector.broadcast(S, a[xa + 3]);
            c3a = x.fma(b0, c3a);
            c3b = x.fma(b1, c3b);
        }
        c0a.intoArray(out, o + 0 * n + j0);
        c0b.intoArray(out, o + 0 * n + j0 + L);
        c1a.intoArray(out, o + 1 * n + j0);
        c1b.intoArray(out, o + 1 * n + j0 + L);
        c2a.intoArray(out, o + 2 * n + j0);
        c2b.intoArray(out, o + 2 * n + j0 + L);
        c3a.intoArray(out, o + 3 * n + j0);
        c3b.intoArray(out, o + 3 * n + j0 + L);
    }

    /**
     * Adds rows {@code [i0, i1)} to 1 channel row(s) {@code out[o + r·n + j0 ..+NR]} of the transposed
     * product: {@code += a[aRows[i] + off + r] · b[bRows[i] + j0 + j]} in ascending {@code i}; {@code first}
     * starts the sums from 0 instead of the stored partials.
     */
    static void transposedTile1(float[] a, int[] aRows, int off, float[] b, int[] bRows, int j0, int i0, int i1,
                                float[] out, int o, boolean first) {
        FloatVector c0a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + j0);
        FloatVector c0b = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + j0 + L);
        for (int i = i0; i < i1; i++) {
            int xa = aRows[i] + off;
            int bb = bRows[i] + j0;
            FloatVector b0 = FloatVector.fromArray(S, b, bb);
            FloatVector b1 = FloatVector.fromArray(S, b, bb + L);
            FloatVector x;
            x = FloatVector.broadcast(S, a[xa + 0]);
            c0a = x.fma(b0, c0a);
            c0b = x.fma(b1, c0b);
        }
        c0a.intoArray(out, o + j0);
        c0b.intoArray(out, o + j0 + L);
    }
}
