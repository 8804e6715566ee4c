import org.lfssd.kernels.vector.VectorKernels;
import org.lfssd.kernels.UnaryOp;
/** GELU forward/backward on 3152 x 768 and softmax expSum on 197-element rows, thread CPU per call after warm-up. */
public class GB {
  public static void main(String[] a) {
    VectorKernels k = new VectorKernels();
    int n = 3152 * 768; float[] x = new float[n], g = new float[n], o = new float[n];
    java.util.Random r = new java.util.Random(1);
    for (int i = 0; i < n; i++) { x[i] = (float) r.nextGaussian() * 2; g[i] = (float) r.nextGaussian(); }
    java.lang.management.ThreadMXBean tb = java.lang.management.ManagementFactory.getThreadMXBean();
    double[] f = new double[15], b = new double[15], s = new double[15];
    for (int q = 0; q < 40; q++) {
      long t0 = tb.getCurrentThreadCpuTime(); k.map(UnaryOp.GELU, x, 0, o, 0, n);
      long t1 = tb.getCurrentThreadCpuTime(); k.mapBackward(UnaryOp.GELU, x, 0, g, 0, o, 0, n);
      long t2 = tb.getCurrentThreadCpuTime(); for (int row = 0; row + 197 <= n; row += 197) k.expSum(1f, x, row, o, row, 197);
      long t3 = tb.getCurrentThreadCpuTime();
      if (q >= 25) { f[q-25] = (t1-t0)/1e6; b[q-25] = (t2-t1)/1e6; s[q-25] = (t3-t2)/1e6; }
    }
    java.util.Arrays.sort(f); java.util.Arrays.sort(b); java.util.Arrays.sort(s);
    System.out.printf("median ms: gelu fwd %.2f (%.2f ns/elem), bwd %.2f, expSum rows %.2f%n", f[7], f[7]*1e6/n, b[7], s[7]);
  }
}
