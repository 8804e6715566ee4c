package org.lfssd.kernels.vector;
import java.lang.management.*;
/** packed vs in-place A micro-kernel on the same data: 12 rows of A (lda) + panels of B. */
public class MkBench2 {
  public static void main(String[] x) {
    int kc = Integer.parseInt(x[0]); int panels = Integer.parseInt(x[1]); int lda = Integer.parseInt(x[2]);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    int MR=MicroKernel.MR, NR=MicroKernel.NR;
    float[] a = new float[MR*lda+64], ap = new float[MR*kc+64], bp = new float[NR*kc*panels], acc = new float[MR*NR];
    for (int i=0;i<a.length;i++) a[i]=i%7*0.1f; for (int i=0;i<bp.length;i++) bp[i]=i%5*0.1f;
    GemmPacking.packA(false, a, 0, lda, 0, MR, 0, kc, ap);
    double[][] res = new double[2][12];
    for (int r=0;r<12;r++) for (int v=0; v<2; v++){
      long c0=mx.getCurrentThreadCpuTime(); long iters=0;
      while (mx.getCurrentThreadCpuTime()-c0 < 100_000_000L) {
        for (int rep=0;rep<50;rep++) for (int q=0;q<panels;q++) {
          if (v==0) MicroKernel.multiply(kc, ap, 0, bp, q*NR*kc, acc); else MicroKernel.multiplyRows(kc, a, 0, lda, bp, q*NR*kc, acc);
        }
        iters+=50L*panels;
      }
      long c=mx.getCurrentThreadCpuTime()-c0;
      res[v][r]=2.0*MR*NR*kc*iters/c;
    }
    for (int v=0; v<2; v++){ double[] s=res[v].clone(); java.util.Arrays.sort(s); System.out.printf("%s: median %.1f GFLOP/s (cpu) [%s]%n", v==0?"packed":"rows  ", s[6], java.util.Arrays.toString(java.util.Arrays.stream(res[v]).mapToLong(Math::round).toArray())); }
  }
}
