package org.lfssd.kernels.vector;

import java.lang.management.*;
import java.util.*;
import org.lfssd.kernels.Parallel;

/** A/B in one JVM: VectorGemm with A packed (mode 0) against A read in place (mode 3), thread CPU, medians. */
public class InPlaceAB2 {
  static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
  public static void main(String[] args) throws Exception {
    int threads = Integer.parseInt(args[0]); int rounds = Integer.parseInt(args[1]); double targetMs = Double.parseDouble(args[2]);
    Parallel.setThreads(threads);
    VectorGemm g = new VectorGemm();
    for (String s : Arrays.copyOfRange(args, 3, args.length)) {
      String[] p = s.split(":"); boolean ta = p[0].charAt(0)=='T', tb = p[0].charAt(1)=='T';
      String[] d = p[1].split("x"); int m=Integer.parseInt(d[0]), n=Integer.parseInt(d[1]), k=Integer.parseInt(d[2]);
      Random r = new Random(42); float[] a = new float[m*k], b = new float[k*n]; float[][] c = {new float[m*n], new float[m*n]};
      for (int i=0;i<a.length;i++) a[i]=r.nextFloat()-0.5f; for (int i=0;i<b.length;i++) b[i]=r.nextFloat()-0.5f;
      int lda = ta ? m : k, ldb = tb ? k : n;
      double flop = 2.0*m*n*k;
      int[] modes = {0, 3};
      for (int w = 0; w < 30; w++) for (int mode : modes) { VectorGemm.transposedAInPlace = mode != 0; g.sgemm(ta,tb,m,n,k,1f,a,0,lda,b,0,ldb,0f,c[mode==0?0:1],0,n); }
      long t0 = cpu(); for (int w=0; w<5; w++) g.sgemm(ta,tb,m,n,k,1f,a,0,lda,b,0,ldb,0f,c[0],0,n);
      double per = (cpu()-t0)/5.0; int calls = Math.max(1, (int)(targetMs*1e6/per));
      double[][] res = new double[2][rounds];
      for (int rd=0; rd<rounds; rd++) for (int jj=0; jj<2; jj++) {
        int j = (jj + rd) % 2; VectorGemm.transposedAInPlace = modes[j] != 0;
        long c0 = cpu(); for (int i=0;i<calls;i++) g.sgemm(ta,tb,m,n,k,1f,a,0,lda,b,0,ldb,0f,c[j],0,n);
        res[j][rd] = flop*calls/(cpu()-c0);
      }
      boolean same = Arrays.equals(c[0], c[1]);
      System.out.printf("%-20s T%d calls %4d | packed %6.1f | in-place %6.1f GFLOP/s (cpu) | ratio %.3f | %s%n", s, threads, calls,
          med(res[0]), med(res[1]), med(res[1])/med(res[0]), same ? "bit-identical" : "DIFFERENT");
    }
    VectorGemm.transposedAInPlace = true;
  }
  static long cpu() { long s = 0; for (ThreadInfo ti : MX.getThreadInfo(MX.getAllThreadIds())) if (ti != null && (ti.getThreadName().startsWith("lfssd") || ti.getThreadId()==Thread.currentThread().getId())) { long x = MX.getThreadCpuTime(ti.getThreadId()); if (x>0) s+=x; } return s; }
  static double med(double[] v){ v = v.clone(); Arrays.sort(v); return v.length%2==1? v[v.length/2] : (v[v.length/2-1]+v[v.length/2])/2; }
}
