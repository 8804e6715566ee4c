package org.lfssd.kernels.vector;
import jdk.incubator.vector.*;
public final class TileCeiling {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** 6 depth rows (stride 12 in dp, like the 12-panels) x 4 vectors; cp rows of 64. */
    static void tile64(float[] dp, int d0, float[] cp, int c0, int rows, float[] out, int o, int n, boolean first) {
        FloatVector c0a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 0 * n + 0*L);
        FloatVector c0b = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 0 * n + 1*L);
        FloatVector c0c = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 0 * n + 2*L);
        FloatVector c0d = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 0 * n + 3*L);
        FloatVector c1a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 1 * n + 0*L);
        FloatVector c1b = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 1 * n + 1*L);
        FloatVector c1c = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 1 * n + 2*L);
        FloatVector c1d = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 1 * n + 3*L);
        FloatVector c2a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 2 * n + 0*L);
        FloatVector c2b = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 2 * n + 1*L);
        FloatVector c2c = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 2 * n + 2*L);
        FloatVector c2d = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 2 * n + 3*L);
        FloatVector c3a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 3 * n + 0*L);
        FloatVector c3b = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 3 * n + 1*L);
        FloatVector c3c = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 3 * n + 2*L);
        FloatVector c3d = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 3 * n + 3*L);
        FloatVector c4a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 4 * n + 0*L);
        FloatVector c4b = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 4 * n + 1*L);
        FloatVector c4c = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 4 * n + 2*L);
        FloatVector c4d = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 4 * n + 3*L);
        FloatVector c5a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 5 * n + 0*L);
        FloatVector c5b = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 5 * n + 1*L);
        FloatVector c5c = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 5 * n + 2*L);
        FloatVector c5d = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 5 * n + 3*L);
        for (int r = 0; r < rows; r++) {
            int pd = d0 + r * 12;
            int pc = c0 + r * 64;
            FloatVector b0 = FloatVector.fromArray(S, cp, pc);
            FloatVector b1 = FloatVector.fromArray(S, cp, pc + L);
            FloatVector b2 = FloatVector.fromArray(S, cp, pc + 2*L);
            FloatVector b3 = FloatVector.fromArray(S, cp, pc + 3*L);
            FloatVector x;
            x = FloatVector.broadcast(S, dp[pd + 0]);
            c0a = x.fma(b0, c0a);
            c0b = x.fma(b1, c0b);
            c0c = x.fma(b2, c0c);
            c0d = x.fma(b3, c0d);
            x = FloatVector.broadcast(S, dp[pd + 1]);
            c1a = x.fma(b0, c1a);
            c1b = x.fma(b1, c1b);
            c1c = x.fma(b2, c1c);
            c1d = x.fma(b3, c1d);
            x = FloatVector.broadcast(S, dp[pd + 2]);
            c2a = x.fma(b0, c2a);
            c2b = x.fma(b1, c2b);
            c2c = x.fma(b2, c2c);
            c2d = x.fma(b3, c2d);
            x = FloatVector.broadcast(S, dp[pd + 3]);
            c3a = x.fma(b0, c3a);
            c3b = x.fma(b1, c3b);
            c3c = x.fma(b2, c3c);
            c3d = x.fma(b3, c3d);
            x = FloatVector.broadcast(S, dp[pd + 4]);
            c4a = x.fma(b0, c4a);
            c4b = x.fma(b1, c4b);
            c4c = x.fma(b2, c4c);
            c4d = x.fma(b3, c4d);
            x = FloatVector.broadcast(S, dp[pd + 5]);
            c5a = x.fma(b0, c5a);
            c5b = x.fma(b1, c5b);
            c5c = x.fma(b2, c5c);
            c5d = x.fma(b3, c5d);
        }
        c0a.intoArray(out, o + 0 * n + 0*L);
        c0b.intoArray(out, o + 0 * n + 1*L);
        c0c.intoArray(out, o + 0 * n + 2*L);
        c0d.intoArray(out, o + 0 * n + 3*L);
        c1a.intoArray(out, o + 1 * n + 0*L);
        c1b.intoArray(out, o + 1 * n + 1*L);
        c1c.intoArray(out, o + 1 * n + 2*L);
        c1d.intoArray(out, o + 1 * n + 3*L);
        c2a.intoArray(out, o + 2 * n + 0*L);
        c2b.intoArray(out, o + 2 * n + 1*L);
        c2c.intoArray(out, o + 2 * n + 2*L);
        c2d.intoArray(out, o + 2 * n + 3*L);
        c3a.intoArray(out, o + 3 * n + 0*L);
        c3b.intoArray(out, o + 3 * n + 1*L);
        c3c.intoArray(out, o + 3 * n + 2*L);
        c3d.intoArray(out, o + 3 * n + 3*L);
        c4a.intoArray(out, o + 4 * n + 0*L);
        c4b.intoArray(out, o + 4 * n + 1*L);
        c4c.intoArray(out, o + 4 * n + 2*L);
        c4d.intoArray(out, o + 4 * n + 3*L);
        c5a.intoArray(out, o + 5 * n + 0*L);
        c5b.intoArray(out, o + 5 * n + 1*L);
        c5c.intoArray(out, o + 5 * n + 2*L);
        c5d.intoArray(out, o + 5 * n + 3*L);
    }
    public static void main(String[] a) {
        int rows = 128, reps = Integer.parseInt(a[0]);
        float[] dp = new float[rows * 12 + 64], cp = new float[rows * 64 + 64], out = new float[12 * 64];
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < dp.length; i++) dp[i] = r.nextFloat();
        for (int i = 0; i < cp.length; i++) cp[i] = r.nextFloat();
        // cp as two 32-wide panels for the 12x2 kernel: [block][row][32]
        float[] cp2 = new float[2 * rows * 32 + 64];
        for (int q = 0; q < 5; q++) {
            long t0 = System.nanoTime();
            for (int k = 0; k < reps; k++) {
                for (int blk = 0; blk < 2; blk++) ImplicitTiles.transposedTile(dp, 0, cp2, blk * rows * 32, rows, out, blk * 32, 64, false);
            }
            long t1 = System.nanoTime();
            for (int k = 0; k < reps; k++) {
                tile64(dp, 0, cp, 0, rows, out, 0, 64, false);
                tile64(dp, 6, cp, 0, rows, out, 6 * 64, 64, false);
            }
            long t2 = System.nanoTime();
            double fl = 2.0 * rows * 12 * 64 * reps;
            System.out.printf("12x2: %.1f GF/s   6x4: %.1f GF/s%n", fl / (t1 - t0), fl / (t2 - t1));
        }
    }
}
