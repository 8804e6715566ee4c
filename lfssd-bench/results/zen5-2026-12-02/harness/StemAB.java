import org.lfssd.autograd.F;
import org.lfssd.autograd.Var;
import org.lfssd.kernels.Parallel;
import org.lfssd.nn.BatchNorm2d;
import org.lfssd.nn.Conv2d;
import org.lfssd.nn.Conv2dOptions;
import org.lfssd.tensor.Tensor;
import java.util.Random;
public class StemAB {
  public static void main(String[] a) {
    Parallel.setThreads(1);
    Random rng = new Random(1);
    int n = Integer.parseInt(a[0]);
    Conv2d conv = new Conv2d(3, 64, Conv2dOptions.kernel(3).padding(1).bias(false), rng);
    BatchNorm2d bn = new BatchNorm2d(64); bn.eval(); conv.eval();
    Var x = Var.constant(Tensor.randn(rng, 0f, 1f, n, 3, 32, 32));
    Tensor seed = Tensor.randn(rng, 0f, 1f, n, 32, 32, 64);
    double[] ta = new double[150], tb = new double[150];
    for (int r = 0; r < 150; r++) {
      long t0 = System.nanoTime();
      Var h = F.toChannelsLast(bn.forwardAddRelu(conv.forward(x), null));
      h.backward(seed);
      long t1 = System.nanoTime();
      Var g = bn.forwardChannelsLast(conv.forwardChannelsLast(F.toChannelsLast(x)), null, true);
      g.backward(seed);
      long t2 = System.nanoTime();
      ta[r] = (t1 - t0) / 1e6; tb[r] = (t2 - t1) / 1e6;
    }
    java.util.Arrays.sort(ta); java.util.Arrays.sort(tb);
    System.out.printf("n=%d old(nchw stem) median %.2f ms  new(cl stem) median %.2f ms%n", n, ta[75], tb[75]);
  }
}
