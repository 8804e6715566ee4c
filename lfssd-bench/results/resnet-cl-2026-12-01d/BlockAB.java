import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.lfssd.autograd.F;
import org.lfssd.autograd.Var;
import org.lfssd.kernels.Parallel;
import org.lfssd.tensor.Tensor;

/**
 * One identity ResNet basic block (conv3x3, BN+ReLU, conv3x3, BN+add+ReLU), forward and backward to the
 * weights and the input, NCHW ops vs channels-last ops (the input given in each op's own layout), alternated
 * ABBA in one JVM; CPU time of the calling thread (threads=1) or of the process (threads=2).
 */
public class BlockAB {
    static final ThreadMXBean T = ManagementFactory.getThreadMXBean();

    static long cpu(int threads) {
        return threads == 1 ? T.getCurrentThreadCpuTime()
                : ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    public static void main(String[] a) {
        int threads = Integer.parseInt(a[0]);
        int reps = Integer.parseInt(a[1]);
        Parallel.setThreads(threads);
        int[][] shapes = {{64, 32}, {128, 16}, {256, 8}, {512, 4}};
        int n = 64;
        for (int[] s : shapes) {
            int c = s[0], hw = s[1];
            SplittableRandom rng = new SplittableRandom(c);
            Tensor x = Tensor.randn(rng, 0f, 1f, n, c, hw, hw);
            Tensor xcl = F.toChannelsLast(Var.constant(x)).value();
            Var w1 = Var.param(Tensor.randn(rng, 0f, 0.05f, c, c, 3, 3));
            Var w2 = Var.param(Tensor.randn(rng, 0f, 0.05f, c, c, 3, 3));
            Var g1 = Var.param(Tensor.uniform(rng, 0.5f, 1.5f, c)), b1 = Var.param(Tensor.uniform(rng, -0.3f, 0.3f, c));
            Var g2 = Var.param(Tensor.uniform(rng, 0.5f, 1.5f, c)), b2 = Var.param(Tensor.uniform(rng, -0.3f, 0.3f, c));
            Tensor rm = Tensor.uniform(rng, -0.2f, 0.2f, c), rv = Tensor.uniform(rng, 0.5f, 2f, c);
            Tensor seed = Tensor.randn(rng, 0f, 1f, n, c, hw, hw);
            Tensor seedCl = F.toChannelsLast(Var.constant(seed)).value();
            Runnable nchw = () -> {
                Var in = Var.param(x);
                Var h = F.batchNormAddReluEval(F.conv2d(in, w1, null, 1, 1), g1, b1, rm, rv, 1e-5f, null);
                Var y = F.batchNormAddReluEval(F.conv2d(h, w2, null, 1, 1), g2, b2, rm, rv, 1e-5f, in);
                y.backward(seed);
            };
            Runnable cl = () -> {
                Var in = Var.param(xcl);
                Var h = F.batchNormEvalChannelsLast(F.conv2dChannelsLast(in, w1, null, 1, 1), g1, b1, rm, rv, 1e-5f, null, true);
                Var y = F.batchNormEvalChannelsLast(F.conv2dChannelsLast(h, w2, null, 1, 1), g2, b2, rm, rv, 1e-5f, in, true);
                y.backward(seedCl);
            };
            for (int i = 0; i < 3; i++) {
                nchw.run();
                cl.run();
            }
            double[] ta = new double[reps], tb = new double[reps], ratio = new double[reps];
            for (int r = 0; r < reps; r++) {
                for (int k = 0; k < 2; k++) {
                    boolean doA = (r % 2 == 0) == (k == 0);
                    System.gc();
                    long c0 = cpu(threads);
                    (doA ? nchw : cl).run();
                    double ms = (cpu(threads) - c0) / 1e6;
                    if (doA) ta[r] = ms; else tb[r] = ms;
                }
                ratio[r] = ta[r] / tb[r];
            }
            System.out.printf("C=%d %dx%d: NCHW %.1f ms, channels-last %.1f ms, median of ratios %.3f (ratios %s)%n", c, hw, hw,
                    med(ta), med(tb), med(ratio), Arrays.toString(Arrays.stream(ratio).map(v -> Math.round(v * 100) / 100.0).toArray()));
        }
    }

    static double med(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int m = s.length;
        return m % 2 == 1 ? s[m / 2] : 0.5 * (s[m / 2 - 1] + s[m / 2]);
    }
}
