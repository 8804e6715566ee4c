import org.lfssd.autograd.F;
import org.lfssd.autograd.Var;
import org.lfssd.kernels.Parallel;
import org.lfssd.tensor.Tensor;
import java.util.SplittableRandom;
/** Per ResNet18 layer at batch n, channels-last: forward, dX only, dW only, dX+dW; medians in ms, one JVM. */
public class Layers {
  public static void main(String[] a) {
    int threads = Integer.parseInt(a[0]); int n = Integer.parseInt(a[1]); int reps = Integer.parseInt(a[2]);
    Parallel.setThreads(threads);
    String[] layers = {"3x32:64:k3s1","64x32:64:k3s1","64x32:128:k3s2","64x32:128:k1s2","128x16:128:k3s1","128x16:256:k3s2","128x16:256:k1s2","256x8:256:k3s1","256x8:512:k3s2","256x8:512:k1s2","512x4:512:k3s1"};
    int[] count = {1,4,1,1,3,1,1,3,1,1,3};
    double tot[] = new double[4];
    SplittableRandom rng = new SplittableRandom(1);
    for (int li = 0; li < layers.length; li++) {
      if (a.length > 3 && !layers[li].equals(a[3])) continue;
      String[] p = layers[li].split("[x:ks]");
      int c = Integer.parseInt(p[0]), hw = Integer.parseInt(p[1]), o = Integer.parseInt(p[2]), k = Integer.parseInt(p[4]), s = Integer.parseInt(p[5]);
      int pad = k / 2; int out = (hw + 2 * pad - k) / s + 1;
      Tensor xt = Tensor.randn(rng, 0f, 1f, n, hw, hw, c), wt = Tensor.randn(rng, 0f, 0.05f, o, c, k, k);
      Tensor seed = Tensor.randn(rng, 0f, 1f, n, out, out, o);
      double[][] t = new double[4][reps];
      try (var frozen = org.lfssd.autograd.FrozenParameters.of(java.util.List.of(wt))) {
      for (int r = 0; r < reps; r++) {
        long t0 = System.nanoTime();
        F.conv2dChannelsLast(Var.constant(xt), Var.constant(wt), null, s, pad);
        long t1 = System.nanoTime();
        Var y = F.conv2dChannelsLast(Var.param(xt), Var.constant(wt), null, s, pad); long t2 = System.nanoTime(); y.backward(seed); long t3 = System.nanoTime();
        y = F.conv2dChannelsLast(Var.constant(xt), Var.param(wt), null, s, pad); long t4 = System.nanoTime(); y.backward(seed); long t5 = System.nanoTime();
        y = F.conv2dChannelsLast(Var.param(xt), Var.param(wt), null, s, pad); long t6 = System.nanoTime(); y.backward(seed); long t7 = System.nanoTime();
        t[0][r] = (t1 - t0) / 1e6; t[1][r] = (t3 - t2) / 1e6; t[2][r] = (t5 - t4) / 1e6; t[3][r] = (t7 - t6) / 1e6;
      }
      }
      double gf = 2.0 * n * out * out * o * c * k * k / 1e9;
      StringBuilder sb = new StringBuilder(String.format("%-16s x%d %6.2f GF", layers[li], count[li], gf));
      String[] names = {"fwd","dX","dW","dXdW"};
      for (int q = 0; q < 4; q++) { java.util.Arrays.sort(t[q]); double m = t[q][reps/2]; tot[q] += m * count[li];
        sb.append(String.format("  %s %7.2f ms (%4.0f GF/s)", names[q], m, (q==3?2:1)*gf / m * 1000)); }
      System.out.println(sb);
    }
    System.out.printf("per-pass totals (x counts): fwd %.1f  dX %.1f  dW %.1f  dXdW %.1f ms%n", tot[0], tot[1], tot[2], tot[3]);
  }
}
