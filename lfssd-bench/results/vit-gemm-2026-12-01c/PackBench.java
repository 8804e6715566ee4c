package org.lfssd.kernels.vector;
import java.lang.management.*;
public class PackBench {
  static ThreadMXBean mx = ManagementFactory.getThreadMXBean();
  public static void main(String[] x) {
    int MR=MicroKernel.MR, NR=MicroKernel.NR;
    float[] a = new float[3152*768], b = new float[3152*768];
    for (int i=0;i<a.length;i++){a[i]=i%11; b[i]=i%13;}
    float[] pa = new float[VectorGemm.MC*VectorGemm.KC+64], pb = new float[VectorGemm.NC*VectorGemm.KC];
    for (int r=0;r<6;r++){
      // NT fwd qkv: A plain 3152x192 (packA per 240-row block), B transposed 576x192
      long c0=mx.getCurrentThreadCpuTime();
      int reps=20;
      for (int q=0;q<reps;q++) for (int ic=0; ic<3152; ic+=240) GemmPacking.packA(false, a, 0, 192, ic, Math.min(240,3152-ic), 0, 192, pa);
      long tA=mx.getCurrentThreadCpuTime()-c0; c0=mx.getCurrentThreadCpuTime();
      for (int q=0;q<reps*4;q++) GemmPacking.packB(true, b, 0, 192, 0, 192, 0, 576, pb);
      long tB=mx.getCurrentThreadCpuTime()-c0; c0=mx.getCurrentThreadCpuTime();
      // TN dW qkv: A = g stored [3152 x 576] transposed, m=576; k slices 243; B = x plain [3152 x 192]
      for (int q=0;q<reps;q++) for (int pc=0; pc<3152; pc+=243) for (int ic=0; ic<576; ic+=240) GemmPacking.packA(true, a, 0, 576, ic, Math.min(240,576-ic), pc, Math.min(243,3152-pc), pa);
      long tA2=mx.getCurrentThreadCpuTime()-c0; c0=mx.getCurrentThreadCpuTime();
      for (int q=0;q<reps*4;q++) for (int pc=0; pc<3152; pc+=243) GemmPacking.packB(false, b, 0, 192, pc, Math.min(243,3152-pc), 0, 192, pb);
      long tB2=mx.getCurrentThreadCpuTime()-c0;
      System.out.printf("NT qkv: packA all %.3f ms (%.2f ns/el), packB x4 %.3f ms (%.2f ns/el) | TN dW: packA %.3f ms (%.2f ns/el), packB x4 %.3f ms (%.2f ns/el)%n",
        tA/1e6/reps, tA/(double)reps/(3152*192), tB/1e6/reps, tB/(double)reps/4/(576*192), tA2/1e6/reps, tA2/(double)reps/(3152*576), tB2/1e6/reps, tB2/(double)reps/4/(3152*192));
    }
  }
}
