package org.lfssd.kernels.vector;
/** GemmPacking.packA of a plain (row-major) A against a scalar row-by-row copy into the same layout. */
public final class PA {
  static void scalarPack(float[] a, int lda, int mc, int kc, float[] dst) {
    for (int ir = 0; ir < mc; ir += 12) {
      int panel = ir * kc;
      for (int r = 0; r < 12; r++) {
        int src = (ir + r) * lda;
        for (int p = 0, at = panel + r; p < kc; p++, at += 12) dst[at] = a[src + p];
      }
    }
  }
  public static void main(String[] args) {
    int mc = Integer.parseInt(args[0]), kc = Integer.parseInt(args[1]), reps = Integer.parseInt(args[2]);
    float[] a = new float[mc * kc + 64]; for (int i = 0; i < a.length; i++) a[i] = i;
    float[] d1 = new float[mc * kc + 64], d2 = new float[mc * kc + 64];
    double[] g = new double[reps], s = new double[reps];
    for (int r = 0; r < reps; r++) {
      long t0 = System.nanoTime(); GemmPacking.packA(false, a, 0, kc, 0, mc, 0, kc, d1); long t1 = System.nanoTime();
      scalarPack(a, kc, mc, kc, d2); long t2 = System.nanoTime();
      g[r] = (t1 - t0) / (double) (mc * kc); s[r] = (t2 - t1) / (double) (mc * kc);
    }
    java.util.Arrays.sort(g); java.util.Arrays.sort(s);
    System.out.printf("mc=%d kc=%d ns/element: gather %.3f scalar %.3f  same=%b%n", mc, kc, g[reps/2], s[reps/2], java.util.Arrays.equals(java.util.Arrays.copyOf(d1, mc*kc), java.util.Arrays.copyOf(d2, mc*kc)));
  }
}
