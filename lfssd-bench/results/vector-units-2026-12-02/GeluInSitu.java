package org.lfssd.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.lfssd.kernels.Kernels;
import org.lfssd.kernels.Parallel;
import org.lfssd.kernels.UnaryOp;

/**
 * GELU forward and backward and the softmax expSum, timed (thread CPU, 1 thread) after the ViT workload has
 * run warm-up steps in the same JVM, so that the kernels run in the compiled state of the whole pass.
 */
public class GeluInSitu {
    public static void main(String[] a) {
        Parallel.setThreads(1);
        ImportancePassWorkload w = ImportancePassWorkload.create(a[0]);
        for (int i = 0; i < Integer.parseInt(a[1]); i++) w.run("lfssd");
        int n = 3152 * 768;
        float[] x = new float[n], g = new float[n], o = new float[n];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < n; i++) { x[i] = (float) r.nextGaussian(); g[i] = (float) r.nextGaussian(); }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        int rounds = 15;
        double[] f = new double[rounds], b = new double[rounds], s = new double[rounds];
        for (int k = 0; k < rounds; k++) {
            long c = mx.getCurrentThreadCpuTime();
            for (int row = 0; row < 3152; row++) Kernels.provider().map(UnaryOp.GELU, x, row * 768, o, row * 768, 768);
            f[k] = (mx.getCurrentThreadCpuTime() - c) / 1e6;
            c = mx.getCurrentThreadCpuTime();
            for (int row = 0; row < 3152; row++) Kernels.provider().mapBackward(UnaryOp.GELU, x, row * 768, g, row * 768, o, row * 768, 768);
            b[k] = (mx.getCurrentThreadCpuTime() - c) / 1e6;
            c = mx.getCurrentThreadCpuTime();
            for (int row = 0; row < n / 197; row++) Kernels.provider().expSum(0.5f, x, row * 197, o, row * 197, 197);
            s[k] = (mx.getCurrentThreadCpuTime() - c) / 1e6;
        }
        com.sun.management.ThreadMXBean smx = (com.sun.management.ThreadMXBean) mx;
        long a0 = smx.getThreadAllocatedBytes(Thread.currentThread().getId());
        for (int row = 0; row < 3152; row++) Kernels.provider().map(UnaryOp.GELU, x, row * 768, o, row * 768, 768);
        long a1 = smx.getThreadAllocatedBytes(Thread.currentThread().getId());
        for (int row = 0; row < 3152; row++) Kernels.provider().mapBackward(UnaryOp.GELU, x, row * 768, g, row * 768, o, row * 768, 768);
        long a2 = smx.getThreadAllocatedBytes(Thread.currentThread().getId());
        System.out.printf("allocated: GELU fwd %d bytes, bwd %d bytes%n", a1 - a0, a2 - a1);
        Arrays.sort(f); Arrays.sort(b); Arrays.sort(s);
        System.out.printf("%s after %s steps: GELU fwd %.2f ms, bwd %.2f ms (%d elements, rows of 768), expSum %.2f ms (rows of 197); medians of %d%n",
                a[0], a[1], f[rounds / 2], b[rounds / 2], n, s[rounds / 2], rounds);
    }
}
