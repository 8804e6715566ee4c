package org.lfssd.kernels.vector;

import java.lang.management.*;
import java.util.*;

/** The three micro-kernel variants on L1-resident operands (one thread): packed A, A at a step stride, A as rows. */
public class KernelAB {
  static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
  public static void main(String[] args) {
    int kc = Integer.parseInt(args[0]); int lda = Integer.parseInt(args[1]); int panels = Integer.parseInt(args[2]);
    int MR = MicroKernel.MR, NR = MicroKernel.NR;
    float[] ap = new float[MR * kc]; float[] a = new float[MR * lda + kc + lda * kc];
    float[] bp = new float[panels * NR * kc]; float[] acc = new float[MR * NR];
    Random r = new Random(1); for (int i=0;i<a.length;i++) a[i]=r.nextFloat(); for (int i=0;i<bp.length;i++) bp[i]=r.nextFloat(); for (int i=0;i<ap.length;i++) ap[i]=r.nextFloat();
    int reps = Math.max(1, (int)(2e8 / (2.0*MR*NR*kc*panels)));
    double[][] res = new double[4][9];
    for (int round = -3; round < 9; round++) for (int v = 0; v < 4; v++) {
      long t0 = MX.getCurrentThreadCpuTime();
      for (int i = 0; i < reps; i++) for (int j = 0; j < panels; j++) {
        if (v == 0) MicroKernel.multiply(kc, ap, 0, bp, j * NR * kc, acc);
        else if (v == 1) MicroKernel.multiplyStepStride(kc, a, 0, lda, bp, j * NR * kc, acc);
        else if (v == 2) MicroKernel.multiplyRows(kc, a, 0, lda, bp, j * NR * kc, acc); else MicroKernel.multiplyRows8(kc, a, 0, lda, bp, j * NR * kc, acc);
      }
      long dt = MX.getCurrentThreadCpuTime() - t0;
      if (round >= 0) res[v][round] = 2.0*MR*NR*kc*panels*reps / dt;
    }
    System.out.printf("kc %d lda %d panels %d | packed %.1f | step-stride %.1f | rows %.1f | rows8 %.1f GFLOP/s%n", kc, lda, panels, med(res[0]), med(res[1]), med(res[2]), med(res[3]));
  }
  static double med(double[] v){ v = v.clone(); Arrays.sort(v); return v[v.length/2]; }
}
