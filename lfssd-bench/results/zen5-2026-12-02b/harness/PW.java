package org.lfssd.kernels.vector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
public final class PW {
  static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED; static final int L = S.length(); static final int NR_WIDE = 4 * L;
    static void packedWide(float[] a, int a0, int k, float[] panel, int p0, float[] tile, int t0,
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
        FloatVector c50 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 5 * NR_WIDE + 0 * L);
        FloatVector c51 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 5 * NR_WIDE + 1 * L);
        FloatVector c52 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 5 * NR_WIDE + 2 * L);
        FloatVector c53 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, tile, t0 + 5 * NR_WIDE + 3 * L);
        for (int c = 0; c < k; c++) {
            int p = p0 + c * NR_WIDE;
            int q = a0 + c * 6;
            FloatVector b0 = FloatVector.fromArray(S, panel, p + 0 * L);
            FloatVector b1 = FloatVector.fromArray(S, panel, p + 1 * L);
            FloatVector b2 = FloatVector.fromArray(S, panel, p + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, panel, p + 3 * L);
            FloatVector x;
            x = FloatVector.broadcast(S, a[q + 0]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            c03 = x.fma(b3, c03);
            x = FloatVector.broadcast(S, a[q + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            c13 = x.fma(b3, c13);
            x = FloatVector.broadcast(S, a[q + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            c23 = x.fma(b3, c23);
            x = FloatVector.broadcast(S, a[q + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
            c33 = x.fma(b3, c33);
            x = FloatVector.broadcast(S, a[q + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            c42 = x.fma(b2, c42);
            c43 = x.fma(b3, c43);
            x = FloatVector.broadcast(S, a[q + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            c52 = x.fma(b2, c52);
            c53 = x.fma(b3, c53);
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
        c50.intoArray(tile, t0 + 5 * NR_WIDE + 0 * L);
        c51.intoArray(tile, t0 + 5 * NR_WIDE + 1 * L);
        c52.intoArray(tile, t0 + 5 * NR_WIDE + 2 * L);
        c53.intoArray(tile, t0 + 5 * NR_WIDE + 3 * L);
    }

  public static void main(String[] args) {
    int k = Integer.parseInt(args[0]); int reps = Integer.parseInt(args[1]); int rowsTotal = Integer.parseInt(args[2]);
    float[] a = new float[rowsTotal * k + 64]; for (int i = 0; i < a.length; i++) a[i] = (i % 7) * 0.1f;
    float[] panel = new float[k * 64]; for (int i = 0; i < panel.length; i++) panel[i] = (i % 5) * 0.1f;
    float[] acc = new float[384 * 64];
    double[] r = new double[reps];
    for (int rep = 0; rep < reps; rep++) {
      long t0 = System.nanoTime();
      for (int g = 0; g + 384 <= rowsTotal; g += 384) {
        for (int tl = 0; tl < 64; tl++) {
          packedWide(a, (g + tl * 6) * k, k, panel, 0, acc, tl * 6 * 64, true);
        }
      }
      long t1 = System.nanoTime();
      r[rep] = 2.0 * (rowsTotal / 384 * 384) * 64 * k / (t1 - t0);
    }
    java.util.Arrays.sort(r);
    System.out.printf("packed k=%d rows=%d median %.0f GFLOP/s max %.0f%n", k, rowsTotal, r[reps / 2], r[reps - 1]);
  }
}
