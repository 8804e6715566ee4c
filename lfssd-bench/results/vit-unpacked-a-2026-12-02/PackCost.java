package org.lfssd.kernels.vector;

import java.lang.management.*;
import java.util.*;
import org.lfssd.kernels.Parallel;

/** Thread CPU of packing all of a plain A (as multiplyBlock does, MC x kSlice blocks) against the whole product. */
public class PackCost {
  static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
  public static void main(String[] args) {
    Parallel.setThreads(1);
    VectorGemm g = new VectorGemm();
    for (String s : args) {
      String[] p = s.split(":"); boolean ta = p[0].charAt(0)=='T', tb = p[0].charAt(1)=='T';
      String[] d = p[1].split("x"); int m=Integer.parseInt(d[0]), n=Integer.parseInt(d[1]), k=Integer.parseInt(d[2]);
      Random r = new Random(42); float[] a = new float[m*k], b = new float[k*n], c = new float[m*n];
      for (int i=0;i<a.length;i++) a[i]=r.nextFloat()-0.5f; for (int i=0;i<b.length;i++) b[i]=r.nextFloat()-0.5f;
      int lda = ta ? m : k, ldb = tb ? k : n;
      float[] buf = new float[VectorGemm.MC * VectorGemm.KC + GemmPacking.A_OVERRUN];
      int kSlice = (k + (k + 255) / 256 - 1) / ((k + 255) / 256);
      double[][] res = new double[2][9];
      for (int rd = -5; rd < 9; rd++) {
        long t0 = MX.getCurrentThreadCpuTime();
        for (int rep = 0; rep < 5; rep++) g.sgemm(ta,tb,m,n,k,1f,a,0,lda,b,0,ldb,0f,c,0,n);
        long t1 = MX.getCurrentThreadCpuTime();
        for (int rep = 0; rep < 5; rep++)
          for (int pc = 0; pc < k; pc += kSlice) for (int ic = 0; ic < m; ic += VectorGemm.MC)
            GemmPacking.packA(ta, a, 0, lda, ic, Math.min(VectorGemm.MC, m - ic), pc, Math.min(kSlice, k - pc), buf);
        long t2 = MX.getCurrentThreadCpuTime();
        if (rd >= 0) { res[0][rd] = (t1 - t0) / 5e6; res[1][rd] = (t2 - t1) / 5e6; }
      }
      double gm = med(res[0]), pk = med(res[1]);
      System.out.printf("%-20s gemm %.2f ms, packing A alone %.2f ms (%.1f %%), %.2f ns per A element%n", s, gm, pk, 100*pk/gm, pk*1e6/((double) m*k));
    }
  }
  static double med(double[] v){ v = v.clone(); Arrays.sort(v); return v[v.length/2]; }
}
