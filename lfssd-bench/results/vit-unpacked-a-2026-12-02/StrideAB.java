package org.lfssd.kernels.vector;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Random;

/** MicroKernel.multiply against multiplyStrided at the packed stride MR, same panels, thread CPU, alternated. */
public class StrideAB {
  public static void main(String[] args) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    int kc = Integer.parseInt(args[0]); int panels = Integer.parseInt(args[1]);
    int MR = MicroKernel.MR, NR = MicroKernel.NR;
    Random r = new Random(1);
    float[] ap = new float[MR * kc]; float[] bp = new float[panels * NR * kc]; float[] acc = new float[MR * NR];
    for (int i = 0; i < ap.length; i++) ap[i] = r.nextFloat();
    for (int i = 0; i < bp.length; i++) bp[i] = r.nextFloat();
    int reps = Math.max(1, (int) (4e8 / (2.0 * MR * NR * kc * panels)));
    int rounds = 15;
    double[][] g = new double[2][rounds];
    for (int round = -4; round < rounds; round++) {
      for (int v = 0; v < 2; v++) {
        long t0 = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < reps; i++) for (int j = 0; j < panels; j++) {
          if (v == 1) MicroKernel.multiply(kc, ap, 0, bp, j * NR * kc, acc);
          else MicroKernel.multiplyStrided(kc, ap, 0, MR, bp, j * NR * kc, acc);
        }
        long dt = mx.getCurrentThreadCpuTime() - t0;
        if (round >= 0) g[v][round] = 2.0 * MR * NR * kc * panels * reps / dt;
      }
    }
    double[] ratio = new double[rounds];
    for (int i = 0; i < rounds; i++) ratio[i] = g[1][i] / g[0][i];
    System.out.printf("SWAPPED kc %d panels %d: multiplyStrided(MR) %.1f, multiply %.1f GFLOP/s, median ratio multiply/strided %.3f%n",
        kc, panels, med(g[0]), med(g[1]), med(ratio));
  }
  static double med(double[] v) { v = v.clone(); Arrays.sort(v); return v[v.length / 2]; }
}
