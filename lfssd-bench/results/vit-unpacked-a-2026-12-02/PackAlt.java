package org.lfssd.kernels.vector;

import java.lang.management.*;
import java.util.*;
import jdk.incubator.vector.*;

/** Packing a plain A panel (12 rows x kc): today's lane gathers, a scalar row-by-row copy, 4x4 transposes of 128-bit vectors. */
public class PackAlt {
  static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
  static final VectorSpecies<Float> S4 = FloatVector.SPECIES_128;
  static final VectorShuffle<Float> LO = VectorShuffle.fromValues(S4, 0, 4, 1, 5);
  static final VectorShuffle<Float> HI = VectorShuffle.fromValues(S4, 2, 6, 3, 7);
  static final VectorShuffle<Float> LO2 = VectorShuffle.fromValues(S4, 0, 1, 4, 5);
  static final VectorShuffle<Float> HI2 = VectorShuffle.fromValues(S4, 2, 3, 6, 7);

  static void scalar(float[] a, int first, int lda, int kc, float[] dst, int at) {
    for (int r = 0; r < 12; r++) {
      int src = first + r * lda;
      for (int p = 0, o = at + r; p < kc; p++, o += 12) dst[o] = a[src + p];
    }
  }
  static void blocked(float[] a, int first, int lda, int kc, float[] dst, int at) {
    int p = 0;
    for (; p + 16 <= kc; p += 16) {
      for (int r = 0; r < 12; r++) {
        int src = first + r * lda + p;
        int o = at + p * 12 + r;
        for (int q = 0; q < 16; q++) dst[o + q * 12] = a[src + q];
      }
    }
    for (; p < kc; p++) for (int r = 0; r < 12; r++) dst[at + p * 12 + r] = a[first + r * lda + p];
  }
  static void transposes(float[] a, int first, int lda, int kc, float[] dst, int at) {
    int p = 0;
    for (; p + 4 <= kc; p += 4) {
      for (int g = 0; g < 12; g += 4) {
        int s = first + g * lda + p;
        FloatVector r0 = FloatVector.fromArray(S4, a, s);
        FloatVector r1 = FloatVector.fromArray(S4, a, s + lda);
        FloatVector r2 = FloatVector.fromArray(S4, a, s + 2 * lda);
        FloatVector r3 = FloatVector.fromArray(S4, a, s + 3 * lda);
        FloatVector t0 = r0.rearrange(LO, r1); // a00 a10 a01 a11
        FloatVector t1 = r0.rearrange(HI, r1); // a02 a12 a03 a13
        FloatVector t2 = r2.rearrange(LO, r3); // a20 a30 a21 a31
        FloatVector t3 = r2.rearrange(HI, r3);
        int o = at + p * 12 + g;
        t0.rearrange(LO2, t2).intoArray(dst, o);
        t0.rearrange(HI2, t2).intoArray(dst, o + 12);
        t1.rearrange(LO2, t3).intoArray(dst, o + 24);
        t1.rearrange(HI2, t3).intoArray(dst, o + 36);
      }
    }
    for (; p < kc; p++) for (int r = 0; r < 12; r++) dst[at + p * 12 + r] = a[first + r * lda + p];
  }
  public static void main(String[] args) {
    int m = 3152, k = Integer.parseInt(args[0]);
    int kc = (k + (k + 255) / 256 - 1) / ((k + 255) / 256);
    float[] a = new float[m * k]; Random rnd = new Random(3); for (int i = 0; i < a.length; i++) a[i] = rnd.nextFloat();
    float[] d0 = new float[240 * 256 + 16], d1 = new float[240 * 256 + 16], d2 = new float[240 * 256 + 16];
    double[][] res = new double[3][9];
    for (int rd = -5; rd < 9; rd++) for (int v = 0; v < 3; v++) {
      long t0 = MX.getCurrentThreadCpuTime();
      for (int rep = 0; rep < 5; rep++)
        for (int pc = 0; pc < k; pc += kc) for (int ic = 0; ic + 240 <= m; ic += 240) {
          int kk = Math.min(kc, k - pc);
          if (v == 0) GemmPacking.packA(false, a, 0, k, ic, 240, pc, kk, d0);
          else for (int ir = 0; ir < 240; ir += 12) {
            if (v == 1) scalar(a, (ic + ir) * k + pc, k, kk, d1, ir * kk); else blocked(a, (ic + ir) * k + pc, k, kk, d2, ir * kk);
          }
        }
      long dt = MX.getCurrentThreadCpuTime() - t0;
      if (rd >= 0) res[v][rd] = dt / 5.0 / ((double) (m / 240 * 240) * k);
    }
    System.out.printf("k %d kc %d: ns per element: gathers %.3f, scalar %.3f, blocked scalar %.3f; same %b %b%n", k, kc, med(res[0]), med(res[1]), med(res[2]),
        Arrays.equals(Arrays.copyOf(d0, 240*kc), Arrays.copyOf(d1, 240*kc)), Arrays.equals(Arrays.copyOf(d0, 240*kc), Arrays.copyOf(d2, 240*kc)));
  }
  static double med(double[] v){ v = v.clone(); Arrays.sort(v); return v[v.length/2]; }
}
