package org.lfssd.kernels.vector;
/** gatherTap (12 x 2 vectors) in situ, as GT does for the wide tile. */
public final class GN {
  public static void main(String[] args) {
    int k = Integer.parseInt(args[0]); int reps = Integer.parseInt(args[1]); int rowsTotal = Integer.parseInt(args[2]);
    float[] a = new float[rowsTotal * k + 64]; for (int i = 0; i < a.length; i++) a[i] = (i % 7) * 0.1f;
    float[] panel = new float[k * 32]; for (int i = 0; i < panel.length; i++) panel[i] = (i % 5) * 0.1f;
    int[] ar = new int[rowsTotal]; for (int i = 0; i < rowsTotal; i++) ar[i] = i * k;
    float[] acc = new float[384 * 32];
    double[] r = new double[reps];
    for (int rep = 0; rep < reps; rep++) {
      long t0 = System.nanoTime();
      for (int g = 0; g + 380 <= rowsTotal; g += 380) {
        for (int tl = 0; tl < 38; tl++) {
          ImplicitTiles.gatherTap(a, ar, g + tl * 10, 0, k, panel, 0, acc, tl * 10 * 32, true);
        }
      }
      long t1 = System.nanoTime();
      r[rep] = 2.0 * (rowsTotal / 380 * 380) * 32 * k / (t1 - t0);
    }
    java.util.Arrays.sort(r);
    System.out.printf("gatherTap k=%d median %.0f GFLOP/s max %.0f%n", k, r[reps / 2], r[reps - 1]);
  }
}
