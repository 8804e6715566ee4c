package org.lfssd.unlearn;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.*;
import org.lfssd.autograd.Var;
import org.lfssd.kernels.Parallel;
import org.lfssd.models.VisionTransformer;
import org.lfssd.tensor.Tensor;

/** Base path (per parameter: finiteness scan, then accumulate, on the caller) vs GradientAccumulation, alternated; main-thread CPU and wall per batch, medians. */
public class AccAB2 {
    public static void main(String[] a) {
        int threads = Integer.parseInt(a[0]);
        int rounds = Integer.parseInt(a[1]);
        Parallel.setThreads(threads);
        Map<String, Var> params = a[2].equals("vit224") ? VisionTransformer.tinyPatch16x224(10, new SplittableRandom(1)).namedParameters()
                : VisionTransformer.tinyPatch4x32(10, new SplittableRandom(1)).namedParameters();
        List<GradientAccumulation.Term> terms = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(2);
        for (Map.Entry<String, Var> p : params.entrySet()) {
            int n = p.getValue().value().numel();
            float[] g = new float[n]; for (int i = 0; i < n; i++) g[i] = (float) r.nextGaussian();
            terms.add(new GradientAccumulation.Term(p.getKey(), Tensor.wrap(g, 0, n), Tensor.zeros(n)));
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double[][] cpu = new double[2][rounds], wall = new double[2][rounds];
        for (int round = -5; round < rounds; round++) {
            for (int v = 0; v < 2; v++) {
                long c0 = mx.getCurrentThreadCpuTime(), w0 = System.nanoTime();
                for (int rep = 0; rep < 5; rep++) {
                    if (v == 0) {
                        for (GradientAccumulation.Term t : terms) {
                            requireFinite(t.gradient());
                            Method.LFSSD.accumulate(t.gradient(), t.sum(), 0, t.sum().numel());
                        }
                    } else {
                        GradientAccumulation.accumulate(Method.LFSSD, terms, 0);
                    }
                }
                if (round >= 0) { cpu[v][round] = (mx.getCurrentThreadCpuTime() - c0) / 5e6; wall[v][round] = (System.nanoTime() - w0) / 5e6; }
            }
        }
        for (int v = 0; v < 2; v++) { Arrays.sort(cpu[v]); Arrays.sort(wall[v]); }
        System.out.printf("%s threads %d: base main CPU %.2f ms (wall %.2f), GradientAccumulation main CPU %.2f ms (wall %.2f) per batch, medians of %d rounds of 5%n",
                a[2], threads, cpu[0][rounds / 2], wall[0][rounds / 2], cpu[1][rounds / 2], wall[1][rounds / 2], rounds);
    }

    /** The base's ImportancePass.requireFinite, as it was. */
    private static void requireFinite(Tensor g) {
        float[] d = g.data();
        int off = g.offset();
        for (int i = 0; i < g.numel(); i++) {
            if (!Float.isFinite(d[off + i])) {
                throw new IllegalArgumentException("non-finite at " + i);
            }
        }
    }
}
