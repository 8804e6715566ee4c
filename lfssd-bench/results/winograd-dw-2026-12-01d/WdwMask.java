import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.lfssd.kernels.ChannelsLast;
import org.lfssd.kernels.ImplicitGemm;
import org.lfssd.kernels.Kernels;
import org.lfssd.kernels.TapOverlap;
import org.lfssd.kernels.WinogradConvolution;

/**
 * Per-layer weight gradient of the stride-1 3x3 ResNet18-CIFAR layers at batch 64, laid out as DirectConv lays
 * them out: direct (gatherTransposed), Winograd (which now ends with TapOverlap.zeroDisjoint), and
 * TapOverlap.zeroDisjoint alone, alternated in one JVM, thread CPU time, medians.
 * java --add-modules jdk.incubator.vector -Dlfssd.threads=1 -cp benchmarks.jar:. WdwMask <dense|relu|dead> <rounds> [C H ...]
 */
public class WdwMask {
    public static void main(String[] args) {
        String data = args[0];
        int rounds = Integer.parseInt(args[1]);
        int[][] shapes = {{64, 32}, {128, 16}, {256, 8}, {512, 4}};
        if (args.length > 2) {
            shapes = new int[(args.length - 2) / 2][];
            for (int i = 0; i < shapes.length; i++) {
                shapes[i] = new int[] {Integer.parseInt(args[2 + 2 * i]), Integer.parseInt(args[3 + 2 * i])};
            }
        }
        ThreadMXBean tb = ManagementFactory.getThreadMXBean();
        ImplicitGemm gemm = Kernels.provider().implicitGemm();
        System.out.println("data=" + data + " java=" + Runtime.version() + " threads=" + System.getProperty("lfssd.threads"));
        for (int[] s : shapes) {
            int images = 64, c = s[0], h = s[1], o = c, hp = h + 2;
            ChannelsLast.Layout l = new ChannelsLast.Layout(images, c, h, h, c, 1, 1, hp, hp);
            ChannelsLast.Layout gl = new ChannelsLast.Layout(images, o, h, h, o, 1, 1, hp, hp);
            float[] xp = new float[l.size()], gp = new float[gl.size()];
            SplittableRandom r = new SplittableRandom(c * 31 + h);
            boolean[] deadIn = new boolean[c], deadOut = new boolean[o];
            for (int i = 0; i < c; i++) {
                deadIn[i] = data.equals("dead") && r.nextDouble() < 0.25;
                deadOut[i] = data.equals("dead") && r.nextDouble() < 0.25;
            }
            for (int n = 0; n < images; n++) for (int y = 0; y < h; y++) for (int x = 0; x < h; x++) for (int ch = 0; ch < c; ch++) {
                float a = (float) r.nextGaussian(), b = (float) r.nextGaussian();
                if (!data.equals("dense")) { a = Math.max(0f, a); b = r.nextBoolean() ? 0f : b; }
                xp[l.pixel(n, y + 1, x + 1) + ch] = deadIn[ch] ? 0f : a;
                gp[gl.pixel(n, y + 1, x + 1) + ch] = deadOut[ch] ? 0f : b;
            }
            int m = images * h * h;
            int[] rows = new int[m], grows = new int[m];
            for (int n = 0, i = 0; n < images; n++) for (int y = 0; y < h; y++) for (int x = 0; x < h; x++, i++) {
                rows[i] = l.pixel(n, y, x);
                grows[i] = gl.pixel(n, y + 1, x + 1);
            }
            int[] taps = new int[9];
            for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) taps[i * 3 + j] = (i * hp + j) * c;
            float[] dw1 = new float[9 * c * o], dw2 = new float[9 * c * o], dw3 = new float[9 * c * o];
            double[] td = new double[rounds], tw = new double[rounds], tm = new double[rounds];
            for (int round = -2; round < rounds; round++) {
                long t0 = tb.getCurrentThreadCpuTime();
                gemm.gatherTransposed(m, o, c, xp, rows, taps, gp, grows, dw1);
                long t1 = tb.getCurrentThreadCpuTime();
                WinogradConvolution.weightGradient(Kernels.provider(), xp, l, c, gp, gl, o, dw2);
                long t2 = tb.getCurrentThreadCpuTime();
                Arrays.fill(dw3, 1f);
                long t3 = tb.getCurrentThreadCpuTime();
                TapOverlap.zeroDisjoint(xp, l, c, gp, gl, o, dw3);
                long t4 = tb.getCurrentThreadCpuTime();
                if (round >= 0) { td[round] = (t1 - t0) / 1e6; tw[round] = (t2 - t1) / 1e6; tm[round] = (t4 - t3) / 1e6; }
            }
            Arrays.sort(td); Arrays.sort(tw); Arrays.sort(tm);
            double md = 0, mx = 0; long zeros = 0, kept = 0;
            for (int i = 0; i < dw1.length; i++) {
                md = Math.max(md, Math.abs(dw1[i] - dw2[i])); mx = Math.max(mx, Math.abs(dw1[i]));
                if (dw1[i] == 0) { zeros++; if (dw2[i] == 0) kept++; }
            }
            double d = td[rounds / 2], w = tw[rounds / 2], mk = tm[rounds / 2];
            System.out.printf("%3d->%3d %2dx%-2d direct %7.1f ms  winograd+mask %7.1f ms (mask %5.2f ms)  wino/direct %.2f  "
                    + "rel diff %.2e  direct zeros %d, kept %d%n", c, o, h, h, d, w, mk, w / d, md / mx, zeros, kept);
        }
    }
}
