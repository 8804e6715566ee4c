package org.lfssd.kernels.vector;
/** gatherTapWide in situ: a group of 64 tiles (384 rows) over a contiguous [rows x k] operand, k deep, panel k x 64. */
public final class GT {
  public static void main(String[] args) {
    int k = Integer.parseInt(args[0]); int reps = Integer.parseInt(args[1]); int rowsTotal = Integer.parseInt(args[2]);
    float[] a = new float[rowsTotal * k + 64]; for (int i = 0; i < a.length; i++) a[i] = (i % 7) * 0.1f;
    float[] panel = new float[k * 64]; for (int i = 0; i < panel.length; i++) panel[i] = (i % 5) * 0.1f;
    int[] ar = new int[rowsTotal]; for (int i = 0; i < rowsTotal; i++) ar[i] = i * k;
    float[] acc = new float[384 * 64];
    double best = 0; double[] r = new double[reps];
    for (int rep = 0; rep < reps; rep++) {
      long t0 = System.nanoTime();
      for (int g = 0; g + 384 <= rowsTotal; g += 384) {
        for (int tl = 0; tl < 64; tl++) {
          ImplicitTiles.gatherTapWide(a, ar, g + tl * 6, 0, k, panel, 0, acc, tl * 6 * 64, true);
        }
      }
      long t1 = System.nanoTime();
      r[rep] = 2.0 * (rowsTotal / 384 * 384) * 64 * k / (t1 - t0);
    }
    java.util.Arrays.sort(r);
    System.out.printf("k=%d rows=%d median %.0f GFLOP/s max %.0f%n", k, rowsTotal, r[reps / 2], r[reps - 1]);
  }
}
